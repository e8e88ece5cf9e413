import { violationJson } from './violation-text.js';
import type { CheckReport } from '../../check/check-job.js';

/** `check --json`, exactly as DESIGN.md gives it: {ok, files: [{path, kind, ok, violations}], request: {ok, violations}}. */
export function formatCheckJson(report: CheckReport): string {
  const document = {
    ok: report.ok,
    files: report.files.map(({ path, kind, ok, violations }) => ({ path, kind, ok, violations: violations.map(violationJson) })),
    request: { ok: report.request.ok, violations: report.request.violations.map(violationJson) },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
