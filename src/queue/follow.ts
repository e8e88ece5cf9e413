import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunJobResult } from '../pipeline/run-job.js';
import type { EnqueuedJob } from './enqueue.js';
import { isQueuedProgress, type QueuedJobData, type QueuedProgress } from './job-data.js';
import { failedResult } from '../pipeline/failed-result.js';

/** Events can be missed (a stream trimmed, a reconnection): the jobs' states are read again this often. */
const SWEEP_INTERVAL_MS = 5000;

export interface FollowOptions {
  /** Aborting it stops following (the jobs go on); followJobs then resolves with null. */
  signal?: AbortSignal;
  onProgress?: (job: EnqueuedJob, progress: QueuedProgress) => void;
  onEnded?: (job: EnqueuedJob, result: RunJobResult) => void;
}

/** Waits until every one of these jobs has ended (completed or failed); their results in the jobs' order. */
export async function followJobs(queue: Queue, redis: Redis, jobs: readonly EnqueuedJob[], options: FollowOptions = {}): Promise<RunJobResult[] | null> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const results = new Map<string, RunJobResult>();
  // QueueEvents blocks on the events stream: it reads on a duplicate of the connection
  const events = new QueueEvents(queue.name, { connection: redis });
  events.on('error', () => undefined);
  let wake: () => void = () => undefined;
  const checking = new Set<string>();
  // an event that arrives while its job is being read (by a sweep) is read again after
  const again = new Set<string>();
  const check = async (id: string): Promise<void> => {
    const job = byId.get(id);
    if (!job || results.has(id)) return;
    if (checking.has(id)) return void again.add(id);
    checking.add(id);
    try {
      const result = await endedResult(queue, job);
      if (result && !results.has(id)) {
        results.set(id, result);
        options.onEnded?.(job, result);
        wake();
      }
    } finally {
      checking.delete(id);
    }
    if (again.delete(id)) await check(id);
  };
  const sweep = () => Promise.all(jobs.map((j) => check(j.id)));
  events.on('completed', ({ jobId }) => void check(jobId).catch(() => undefined));
  events.on('failed', ({ jobId }) => void check(jobId).catch(() => undefined));
  events.on('progress', ({ jobId, data }) => {
    const job = byId.get(jobId);
    if (job && !results.has(jobId) && isQueuedProgress(data)) options.onProgress?.(job, data);
  });
  try {
    await events.waitUntilReady();
    // jobs that ended before the events were read (or in an earlier batch) are found by the first sweep
    await sweep();
    while (results.size < jobs.length && !options.signal?.aborted) {
      let timer: NodeJS.Timeout | undefined;
      let swept = false;
      const onAbort = () => wake();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(() => {
            swept = true;
            resolve();
          }, SWEEP_INTERVAL_MS);
        });
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (swept && !options.signal?.aborted) await sweep();
    }
    if (results.size < jobs.length) return null;
    return jobs.map((j) => results.get(j.id)!);
  } finally {
    await events.close();
  }
}

/** The job's result once it has ended, or null while it waits or runs. */
async function endedResult(queue: Queue, enqueued: EnqueuedJob): Promise<RunJobResult | null> {
  // one command per job and sweep while it waits or runs; the job itself is read once it has ended
  const state = await queue.getJobState(enqueued.id);
  if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return null;
  const job = state === 'unknown' ? undefined : await queue.getJob(enqueued.id);
  if (!job) return failedResult(enqueued.folder, `job ${enqueued.id} was removed from the queue before it ended`, 'enqueue the folder again');
  if (state === 'completed') return job.returnvalue as RunJobResult;
  const data = job.data as Partial<QueuedJobData>;
  return data.result ?? failedResult(enqueued.folder, job.failedReason, "see the worker's log for this job");
}
