import type { CheckReport } from '../../check/check-job.js';

/** `check --json`, exactly as DESIGN.md gives it: {ok, files: [{path, kind, ok, violations}], request: {ok, violations}}. */
export function formatCheckJson(report: CheckReport): string {
  const document = {
    ok: report.ok,
    files: report.files.map(({ path, kind, ok, violations }) => ({ path, kind, ok, violations })),
    request: report.request,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
