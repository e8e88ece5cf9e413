import { stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { deriveState, JOB_STAGES, type JobState } from '../pipeline/job-state.js';
import { readJournal, type Journal } from '../pipeline/journal.js';
import { fixedFromJournal } from '../pipeline/journal-results.js';
import type { JobStage, RunJobResult } from '../pipeline/run-job.js';
import { jobWorkDir } from '../pipeline/work-dir.js';

/**
 * What a job's journal says of a job that vanished from Redis (FLUSHALL, a Redis without persistence restarted): the
 * journal lives in the job's folder, which the enqueuer sees too, so it outlives the queue.
 */
export type VanishedJob =
  /** Downloaded and checked: the job is done; its result is built from the journal. */
  | { verdict: 'done'; result: RunJobResult }
  /** A failure the journal keeps (a refused request, a failed task): a re-run of the same request stops there too. */
  | { verdict: 'failed'; result: RunJobResult }
  /** Not finished (or not started, or the journal is another request's): a worker must still run it. */
  | { verdict: 'unfinished'; state: JobState['name'] | 'no journal' | 'another request' };


/**
 * Pure: the journal of a vanished job → its verdict. `fingerprint`: the enqueued job's (a journal of another request
 * says nothing about this one); `resultOnDisk`: whether the journal's result file is still there (as the enqueuer sees
 * it). Paths in the journal are the worker's (its mount of ROOT, the journal's `job`): shown under `folder`.
 */
export function vanishedJobVerdict(journal: Journal | null, facts: { folder: string; fingerprint: string | null; resultOnDisk: boolean }): VanishedJob {
  if (!journal) return { verdict: 'unfinished', state: 'no journal' };
  if (facts.fingerprint !== null && journal.fingerprint !== facts.fingerprint) return { verdict: 'unfinished', state: 'another request' };
  const state = deriveState(journal, { resultOnDisk: facts.resultOnDisk, fixedOnDisk: false });
  const map = enqueuerPath(journal, facts.folder);
  const base: RunJobResult = {
    job: facts.folder,
    ok: false,
    resumed: [...JOB_STAGES],
    // what its fix did, as the journal recorded it (paths under the enqueuer's folder)
    fixed: fixedFromJournal(journal.fixed).map((f) => ({ ...f, path: map(f.path), output: f.output && map(f.output) })),
    uploads: (journal.uploads ?? []).map((u) => ({ ...u, path: map(u.path), uploaded: false })),
    request: journal.request ?? null,
    taskId: journal.submit?.taskId ?? null,
    result: null,
    qc: null,
    costDrivers: null,
    error: null,
    state: state.name,
    notes: [],
    previousResults: [],
    cancelled: false,
  };
  if (state.name === 'downloaded' && state.checked) {
    const note = `the queue lost this job (Redis lost its keys) after it ended: this result is read from its journal`;
    return { verdict: 'done', result: { ...base, ok: true, result: { path: map(journal.result!.path), bytes: journal.result!.bytes }, qc: journal.result!.qc ?? [], notes: [note] } };
  }
  if (state.name === 'failed') {
    const stage = state.stage;
    return { verdict: 'failed', result: { ...base, resumed: JOB_STAGES.slice(0, JOB_STAGES.indexOf(stage)), error: { stage, message: state.message, hint: state.hint } } };
  }
  return { verdict: 'unfinished', state: state.name };
}

/** Reads the vanished job's journal (in its folder as the enqueuer sees it) and says what it holds. */
export async function readVanishedJob(folder: string, fingerprint: string | null): Promise<VanishedJob> {
  const journal = await readJournal(jobWorkDir({ folder }));
  const resultPath = journal?.result && enqueuerPath(journal, folder)(journal.result.path);
  const resultOnDisk = resultPath ? await stat(resultPath).then((s) => s.isFile(), () => false) : false;
  return vanishedJobVerdict(journal, { folder, fingerprint, resultOnDisk });
}

/** A path the journal's worker wrote (under its mount of the folder, the journal's `job`) as the enqueuer sees it. */
function enqueuerPath(journal: Journal, folder: string): (path: string) => string {
  return (path) => (path.startsWith(journal.job + sep) ? join(folder, path.slice(journal.job.length + 1)) : path);
}
