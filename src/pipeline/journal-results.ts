import { existsSync } from 'node:fs';
import type { FixedFileReport } from './fix-targets.js';
import { readJournal, type Generation, type Journal } from './journal.js';
import type { JobStage, RunJobResult } from './run-job.js';

/**
 * The journal's `fixed` as the fix step records it: besides the request and the copies, what fix did to each file, so
 * that a resumed run reports the fixes of the run that made them (journals written before it have no `files`).
 */
export type RecordedFix = NonNullable<Generation['fixed']> & { files?: FixedFileReport[] };

/** The fix step's record with each file's report (a finished fix has no interrupted file: the mark is not kept). */
export function withFileReports(fixed: NonNullable<Generation['fixed']>, files: readonly FixedFileReport[]): RecordedFix {
  return { ...fixed, files: files.map(({ interrupted: _interrupted, ...file }) => file) };
}

/** Pure: the fixed files a journal's generation records, as the fix step reported them; [] when it recorded none. */
export function fixedFromJournal(fixed: Generation['fixed']): FixedFileReport[] {
  const files = (fixed as RecordedFix | undefined)?.files;
  if (!Array.isArray(files)) return [];
  // read back as written, but never trusted blindly: an entry without what the outputs read of it is left out
  return files.filter((f) => typeof f === 'object' && f !== null && typeof f.path === 'string' && Array.isArray(f.actions) && Array.isArray(f.violations) && typeof f.plan === 'object' && f.plan !== null);
}

/**
 * `result` completed with what the journal's current generation holds and this run did not do itself: the files an
 * earlier run fixed, what it uploaded (uploaded: false, nothing was sent now), the request, the task and the result.
 * A stage this run performed keeps its own report (a fix that failed now reports no earlier fix).
 */
export function withJournalResults(result: RunJobResult, journal: Journal, performed: ReadonlySet<JobStage>): void {
  if (!performed.has('check') && !performed.has('fix') && result.fixed.length === 0) result.fixed = fixedFromJournal(journal.fixed);
  if (!performed.has('upload') && result.uploads.length === 0 && journal.uploads) result.uploads = journal.uploads.map((u) => ({ ...u, uploaded: false }));
  result.request ??= journal.request ?? null;
  result.taskId ??= journal.submit?.taskId ?? null;
  // a result deleted since is fetched again by the next run: not reported as there
  if (!result.result && journal.result && existsSync(journal.result.path)) result.result = { path: journal.result.path, bytes: journal.result.bytes };
}

/** Reads the job's journal back after a run and completes its result from it; a journal that cannot be read (or is another job's) adds nothing. */
export async function restoreJournalResults(result: RunJobResult, workDir: string, identity: string, performed: ReadonlySet<JobStage>): Promise<void> {
  const journal = await readJournal(workDir).catch(() => null);
  if (journal?.job === identity) withJournalResults(result, journal, performed);
}
