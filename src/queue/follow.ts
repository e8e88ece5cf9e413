import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunJobResult } from '../pipeline/run-job.js';
import type { EnqueuedJob } from './enqueue.js';
import { isQueuedProgress, JOB_NAME, type QueuedJobData, type QueuedProgress } from './job-data.js';
import { failedResult } from '../pipeline/failed-result.js';
import { drainedAt } from './drained.js';
import { redisNow } from './heartbeat.js';
import { readVanishedJob, type VanishedJob } from './vanished-job.js';

/** Events can be missed (a stream trimmed, a reconnection): the jobs' states are read again this often. */
const SWEEP_INTERVAL_MS = 5000;

export interface FollowOptions {
  /** Aborting it stops following (the jobs go on); followJobs then resolves with null. */
  signal?: AbortSignal;
  onProgress?: (job: EnqueuedJob, progress: QueuedProgress) => void;
  onEnded?: (job: EnqueuedJob, result: RunJobResult) => void;
  /** Redis time (ms) from which a job `queue drain` removed is reported drained (default: when following starts). */
  since?: number;
  /** A job vanished from Redis before it ended (its journal says `state`): it was enqueued again. */
  onRequeued?: (job: EnqueuedJob, state: Extract<VanishedJob, { verdict: 'unfinished' }>['state'] | 'unreadable journal') => void;
}

/** Waits until every one of these jobs has ended (completed or failed); their results in the jobs' order. */
export async function followJobs(queue: Queue, redis: Redis, jobs: readonly EnqueuedJob[], options: FollowOptions = {}): Promise<RunJobResult[] | null> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  // a job `queue drain` removed after this follower started is reported drained, not enqueued again
  const since = options.since ?? (await redisNow(redis));
  const results = new Map<string, RunJobResult>();
  // jobs this follower enqueued again after Redis lost them: their journals are read on every sweep
  const requeued = new Set<string>();
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
      const result = await endedResult(queue, redis, since, job, requeued, options);
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

/**
 * The job's result once it has ended, or null while it waits or runs. A job that vanished from Redis (FLUSHALL, a Redis
 * without persistence restarted) is judged by its journal, which lives in its folder: done or failed there is its
 * result (a completed job is never reported failed). An unfinished one is enqueued again, under the same id and data
 * (BullMQ adds nothing for an id it holds): a worker that still runs the original holds the job's lock, so the copy
 * waits its turn, then resumes from the journal; the journal and the create claim keep it to one task. Enqueuing it
 * again is what makes it end at all when nobody runs it (it was waiting in the queue, or its worker died too).
 */
async function endedResult(queue: Queue, redis: Redis, since: number, enqueued: EnqueuedJob, requeued: Set<string>, options: FollowOptions): Promise<RunJobResult | null> {
  // one command per job and sweep while it waits or runs; the job itself is read once it has ended
  const state = await queue.getJobState(enqueued.id);
  if (state === 'unknown') return vanishedResult(queue, redis, since, enqueued, requeued, options);
  if (state !== 'completed' && state !== 'failed') {
    // the original (still running when Redis lost the job) may finish before its copy runs: its journal says so
    if (!requeued.has(enqueued.id)) return null;
    const seen = await readVanishedJob(enqueued.folder, enqueued.data?.fingerprint ?? null).catch(() => null);
    return seen?.verdict === 'done' ? seen.result : null;
  }
  const job = await queue.getJob(enqueued.id);
  // removed between the two reads: the next sweep finds it unknown
  if (!job) return null;
  if (state === 'completed') return job.returnvalue as RunJobResult;
  const data = job.data as Partial<QueuedJobData>;
  return data.result ?? failedResult(enqueued.folder, job.failedReason, "see the worker's log for this job");
}

/** A job Redis no longer knows: what its journal says, drained by `queue drain`, or (unfinished) null once it is enqueued again. */
async function vanishedResult(queue: Queue, redis: Redis, since: number, enqueued: EnqueuedJob, requeued: Set<string>, options: FollowOptions): Promise<RunJobResult | null> {
  // a damaged journal is the worker's to report (runJob says how to recover it): the job runs again
  const seen = await readVanishedJob(enqueued.folder, enqueued.data?.fingerprint ?? null).catch(() => ({ verdict: 'unfinished', state: 'unreadable journal' }) as const);
  if (seen.verdict !== 'unfinished') return seen.result;
  const drained = await drainedAt(redis, queue.name, enqueued.id);
  if (drained !== null && drained >= since) {
    return failedResult(enqueued.folder, `removed from queue ${queue.name} by queue drain before a worker ran it`, 'enqueue the folder again (batch ROOT --queue) to run it');
  }
  if (!enqueued.data) {
    return failedResult(enqueued.folder, `job ${enqueued.id} vanished from queue ${queue.name} before it ended (Redis lost its keys?); its journal says: ${seen.state}`, 'enqueue the folder again: it resumes from its journal, without a second task');
  }
  await queue.add(JOB_NAME, enqueued.data, { jobId: enqueued.id });
  requeued.add(enqueued.id);
  options.onRequeued?.(enqueued, seen.state);
  return null;
}
