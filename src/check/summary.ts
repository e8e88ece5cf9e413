import type { CheckReport } from './check-job.js';

/** The counts of a check, as `check --json` and the text summary give them: media (files and URLs read) and violations. */
export interface CheckSummary {
  /** Local files checked. */
  files: number;
  /** Media URLs read with --remote. */
  urls: number;
  /** Files and URLs that pass (at the --fail-on level the report was judged at). */
  ok: number;
  failing: number;
  errors: number;
  warnings: number;
  /** Errors that fix can repair. */
  fixable: number;
}

/** Pure. A URL's violations are the request's (subject: the URL), so every violation is counted once. */
export function summarize(report: CheckReport): CheckSummary {
  const all = [...report.files.flatMap((f) => f.violations), ...report.request.violations];
  const errors = all.filter((v) => v.severity === 'error').length;
  const media = [...report.files, ...(report.remote ?? [])];
  const failing = media.filter((m) => !m.ok).length;
  return {
    files: report.files.length,
    urls: report.remote?.length ?? 0,
    ok: media.length - failing,
    failing,
    errors,
    warnings: all.length - errors,
    fixable: all.filter((v) => v.severity === 'error' && v.fixable).length,
  };
}
