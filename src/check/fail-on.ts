import type { CheckReport } from './check-job.js';
import type { Violation } from './violation.js';

/** The least severity that fails a check: errors only (the default), or warnings too (--strict). */
export type FailOn = 'error' | 'warning';

export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning'];

/**
 * The report with every `ok` judged at `failOn`: with 'warning', a file or request with any violation is not ok,
 * and neither is the whole. The violations themselves keep their severity. Pure.
 */
export function judgeReport(report: CheckReport, failOn: FailOn): CheckReport {
  if (failOn === 'error') return report;
  const clean = (violations: readonly Violation[]) => violations.length === 0;
  const files = report.files.map((file) => ({ ...file, ok: clean(file.violations) }));
  const request = { ...report.request, ok: clean(report.request.violations) };
  const remote = report.remote?.map((entry) => ({ ...entry, ok: clean(report.request.violations.filter((v) => v.subject === entry.url)) }));
  return { ok: request.ok && files.every((f) => f.ok), files, request, ...(remote && { remote }) };
}
