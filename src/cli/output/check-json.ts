import type { CheckReport } from '../../check/check-job.js';
import { violationJson } from './violation-text.js';

/** `check --json`, exactly as DESIGN.md gives it: {ok, files: [{path, kind, ok, violations}], request: {ok, violations}}. */
export function formatCheckJson(report: CheckReport): string {
  return `${JSON.stringify(checkReportJson(report), null, 2)}\n`;
}

/** The check report as `check --json` documents it, each violation's sentence rendered; also inside submit's refusal. */
export function checkReportJson(report: CheckReport) {
  return {
    ok: report.ok,
    files: report.files.map(({ path, kind, ok, violations }) => ({ path, kind, ok, violations: violations.map(violationJson) })),
    request: { ok: report.request.ok, violations: report.request.violations.map(violationJson) },
  };
}
