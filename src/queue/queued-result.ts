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
