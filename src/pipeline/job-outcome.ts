import type { Restarted } from './batch-restart.js';
import type { RunJobResult } from './run-job.js';

/** A batch's result for one job: a job the signal reached before its turn never started (nothing of it ran in this run). */
export interface BatchJobResult extends RunJobResult {
  notStarted?: boolean;
  /** batch --restart started this job over with a new task: what its journal held before. */
  restarted?: Restarted | null;
}

/** How a job ended: interrupted and not started are their own outcomes, never counted as failed. */
export type JobOutcome = 'done' | 'failed' | 'busy' | 'interrupted' | 'not started';

export function jobOutcome(r: BatchJobResult): JobOutcome {
  if (r.ok) return 'done';
  if (r.busy) return 'busy';
  if (r.notStarted) return 'not started';
  return r.cancelled ? 'interrupted' : 'failed';
}

/** How many jobs ended each way. */
export function countOutcomes(results: readonly BatchJobResult[]): Record<JobOutcome, number> {
  const counts: Record<JobOutcome, number> = { done: 0, failed: 0, busy: 0, interrupted: 0, 'not started': 0 };
  for (const r of results) counts[jobOutcome(r)]++;
  return counts;
}
