import { isAbsolute } from 'node:path';
import type { CheckReport } from '../../check/check-job.js';
import type { Violation } from '../../check/violation.js';
import type { BatchJobResult } from '../../pipeline/job-outcome.js';
import type { FixedFileReport, FixOutcome } from '../../pipeline/fix-targets.js';
import { displayPath, displayPathsIn } from '../../shared/display-path.js';

/**
 * A path as every output shows it (text, JSON, JUnit, report): relative to the command's folder, URLs unchanged;
 * `text` shows the paths inside a sentence so (those under the folder), when the caller knows the folder.
 */
export type Show = ((path: string) => string) & { text?: (sentence: string) => string };

/** The display function of a command run in `cwd`. */
export function shower(cwd: string): Show {
  return Object.assign((path: string) => displayPath(path, cwd), { text: (sentence: string) => displayPathsIn(sentence, cwd) });
}

/** A sentence with the paths in it shown as outputs show paths (as written when the Show knows no folder). */
function shownText(sentence: string, show: Show): string {
  return show.text ? show.text(sentence) : sentence;
}

/** A violation whose subject (a file, a request, a URL) is shown as outputs show paths: its sentence names it so too. */
export function shownViolation(v: Violation, show: Show): Violation {
  // an actual value that is a path (file.outside_job's resolved target) is shown as a path too
  const actual = typeof v.actual === 'string' && isAbsolute(v.actual) ? show(v.actual) : v.actual;
  return { ...v, subject: show(v.subject), actual, problem: shownText(v.problem, show), fix: shownText(v.fix, show) };
}

/** The check report with every path as shown (data for the formatters; the verdicts are untouched). */
export function shownCheckReport(report: CheckReport, show: Show): CheckReport {
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, path: show(f.path), violations: f.violations.map((v) => shownViolation(v, show)) })),
    request: { ...report.request, violations: report.request.violations.map((v) => shownViolation(v, show)) },
  };
}

/** One fixed file with its source, output and the subjects of its violations as shown. */
export function shownFixedFile<T extends Pick<FixedFileReport, 'path' | 'output' | 'violations'> & Partial<Pick<FixedFileReport, 'outputViolations'>>>(file: T, show: Show): T {
  return {
    ...file,
    path: show(file.path),
    output: file.output === null ? null : show(file.output),
    ...('error' in file && typeof file.error === 'string' ? { error: shownText(file.error, show) } : {}),
    violations: file.violations.map((v) => shownViolation(v, show)),
    ...(file.outputViolations ? { outputViolations: file.outputViolations.map((v) => shownViolation(v, show)) } : {}),
  };
}

/** The fix outcome with every path as shown: sources, outputs, folders, the requests, the files left out or missing. */
export function shownFixOutcome(outcome: FixOutcome, show: Show): FixOutcome {
  return {
    ...outcome,
    jobs: outcome.jobs.map((j) => ({
      ...j,
      label: show(j.label),
      outDir: show(j.outDir),
      files: j.files.map((f) => shownFixedFile(f, show)),
      requestOutput: j.requestOutput === null ? null : show(j.requestOutput),
      requestBlockedBy: j.requestBlockedBy.map(show),
      request: { ...j.request, violations: j.request.violations.map((v) => shownViolation(v, show)) },
    })),
    missingPaths: outcome.missingPaths.map(show),
    ignored: outcome.ignored.map(show),
  };
}

/** A job's result with every path as shown: the job, its result, uploads, earlier results and fixed files. */
export function shownJobResult(r: BatchJobResult, show: Show): BatchJobResult {
  return {
    ...r,
    job: show(r.job),
    error: r.error && { ...r.error, message: shownText(r.error.message, show), hint: shownText(r.error.hint, show) },
    result: r.result && { ...r.result, path: show(r.result.path) },
    fixed: r.fixed.map((f) => shownFixedFile(f, show)),
    uploads: (r.uploads ?? []).map((u) => ({ ...u, path: show(u.path) })),
    ...(r.previousResults ? { previousResults: r.previousResults.map((p) => ({ ...p, path: show(p.path) })) } : {}),
  };
}
