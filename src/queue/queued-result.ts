import { join, sep } from 'node:path';
import type { RunJobResult } from '../pipeline/run-job.js';

/** A job's result as the enqueuer reads it: paths under the worker's mount shown under the enqueuer's ROOT. */
export function resultForEnqueuer(result: RunJobResult, paths: { workerRoot: string; root: string; relativePath: string }): RunJobResult {
  const map = (path: string) => (path.startsWith(paths.workerRoot + sep) ? join(paths.root, path.slice(paths.workerRoot.length + 1)) : path);
  return {
    ...result,
    job: join(paths.root, paths.relativePath),
    result: result.result && { ...result.result, path: map(result.result.path) },
    previousResults: result.previousResults?.map((p) => ({ ...p, path: map(p.path) })),
    // what each fix did stays; the probed details (kept in Redis with every job) are the folder's own business
    fixed: result.fixed.map((f) => ({ ...f, path: map(f.path), output: f.output && map(f.output), violations: [], outputInfo: null })),
  };
}

/** The result of a job that ended without runJob's own (its folder vanished, runJob threw, the data was unreadable). */
export function failedResult(job: string, message: string, hint: string): RunJobResult {
  return { job, ok: false, resumed: [], fixed: [], uploads: [], request: null, taskId: null, result: null, qc: null, costDrivers: null, error: { stage: 'check', message, hint }, state: null, notes: [], previousResults: [], cancelled: false };
}
