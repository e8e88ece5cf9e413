import type { Job, JobType, Queue } from 'bullmq';
import type { RunJobResult } from '../pipeline/run-job.js';
import { naturalCompare } from '../pipeline/natural-order.js';
import { isQueuedProgress, type QueuedJobData } from './job-data.js';

export type QueuedState = 'waiting' | 'active' | 'done' | 'failed';

export interface QueuedJobStatus {
  id: string;
  root: string | null;
  relativePath: string | null;
  state: QueuedState;
  /** The last stage a worker reported (or, for a failed job, the stage it failed at); null before any. */
  stage: string | null;
  taskId: string | null;
  /** Why a failed job failed. */
  failedReason: string | null;
}

export interface QueueStatus {
  queueName: string;
  counts: Record<QueuedState, number>;
  jobs: QueuedJobStatus[];
}

/** BullMQ's states as a user counts them: everything not yet taken is waiting. */
const STATES: readonly [QueuedState, JobType[]][] = [
  ['waiting', ['waiting', 'delayed', 'prioritized', 'waiting-children']],
  ['active', ['active']],
  ['done', ['completed']],
  ['failed', ['failed']],
];

/** Every job of the queue with its state, stage and task; jobs in their folders' natural order. */
export async function queueStatus(queue: Queue): Promise<QueueStatus> {
  const counts: Record<QueuedState, number> = { waiting: 0, active: 0, done: 0, failed: 0 };
  const jobs: QueuedJobStatus[] = [];
  for (const [state, types] of STATES) {
    const found = (await queue.getJobs(types, 0, -1, true)).filter((job): job is Job => Boolean(job));
    counts[state] = found.length;
    jobs.push(...found.map((job) => jobStatus(job as Job<Partial<QueuedJobData>, RunJobResult | undefined>, state)));
  }
  jobs.sort((a, b) => naturalCompare(a.relativePath ?? '', b.relativePath ?? '') || naturalCompare(a.root ?? '', b.root ?? '') || (a.id < b.id ? -1 : 1));
  return { queueName: queue.name, counts, jobs };
}

function jobStatus(job: Job<Partial<QueuedJobData>, RunJobResult | undefined>, state: QueuedState): QueuedJobStatus {
  const progress = isQueuedProgress(job.progress) ? job.progress : null;
  const ended = state === 'done' ? job.returnvalue : state === 'failed' ? job.data?.result : undefined;
  const stage = state === 'done' ? 'done' : ended?.error?.stage ?? progress?.stage ?? null;
  return {
    id: job.id ?? '',
    root: typeof job.data?.root === 'string' ? job.data.root : null,
    relativePath: typeof job.data?.relativePath === 'string' ? job.data.relativePath : null,
    state,
    stage,
    taskId: ended?.taskId ?? progress?.taskId ?? null,
    failedReason: state === 'failed' ? job.failedReason ?? null : null,
  };
}
