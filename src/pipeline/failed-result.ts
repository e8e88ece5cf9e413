import type { BatchJobResult } from './job-outcome.js';
import type { RunJobResult } from './run-job.js';

/** The result of a job that ended without runJob's own (runJob threw; in a queue also: its folder vanished, the job's data was unreadable). */
export function failedResult(job: string, message: string, hint: string): RunJobResult {
  return { job, ok: false, resumed: [], fixed: [], uploads: [], request: null, taskId: null, result: null, qc: null, costDrivers: null, error: { stage: 'check', message, hint }, state: null, notes: [], previousResults: [], cancelled: false, busy: null };
}

/** A batch job the signal reached before its turn: nothing of it ran in this run (its journal, if any, is as it was). */
export function notStartedResult(job: string, reason: unknown): BatchJobResult {
  return { ...failedResult(job, `not started: ${String(reason)} came before its turn`, 'run again to start it'), cancelled: true, notStarted: true };
}
