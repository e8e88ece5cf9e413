import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunJobResult } from '../pipeline/run-job.js';
import type { EnqueuedJob } from './enqueue.js';
import { isQueuedProgress, type QueuedJobData, type QueuedProgress } from './job-data.js';
import { failedResult } from './queued-result.js';

/** Events can be missed (a stream trimmed, a reconnection): the jobs' states are read again this often. */
const SWEEP_INTERVAL_MS = 2000;

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
  const check = async (id: string) => {
    const job = byId.get(id);
    if (!job || results.has(id) || checking.has(id)) return;
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
    while (results.size < jobs.length && !options.signal?.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, SWEEP_INTERVAL_MS);
      });
      const onAbort = () => wake();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await sweep();
        if (results.size < jobs.length && !options.signal?.aborted) await woken;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    }
    if (results.size < jobs.length) return null;
    return jobs.map((j) => results.get(j.id)!);
  } finally {
    await events.close();
  }
}

/** The job's result once it has ended, or null while it waits or runs. */
async function endedResult(queue: Queue, enqueued: EnqueuedJob): Promise<RunJobResult | null> {
  const job = await queue.getJob(enqueued.id);
  if (!job) return failedResult(enqueued.folder, `job ${enqueued.id} was removed from the queue before it ended`, 'enqueue the folder again');
  const state = await job.getState();
  if (state === 'completed') return job.returnvalue as RunJobResult;
  if (state !== 'failed') return null;
  const data = job.data as Partial<QueuedJobData>;
  return data.result ?? failedResult(enqueued.folder, job.failedReason, "see the worker's log for this job");
}
