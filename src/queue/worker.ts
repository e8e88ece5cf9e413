import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import type { RunJobOptions, RunJobResult } from '../pipeline/run-job.js';
import type { ApiClient } from '../submit/client.js';
import type { RetryEvent } from '../submit/http.js';
import type { QueuedJobData } from './job-data.js';
import { redisCreateGuard } from './create-claim.js';
import { fleetPause } from './fleet-pause.js';
import { startHeartbeat } from './heartbeat.js';
import { redisFolderLeases } from './folder-lease.js';
import { queuedJobProcessor } from './run-queued-job.js';
import { redisTaskSlots } from './task-slots.js';

/** BullMQ's default lock: a dead worker's job goes to another after this long. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
/**
 * A job whose workers keep dying is never failed as "stalled too many times": each worker that takes it resumes from
 * its journal, and the create claim (not BullMQ) keeps it to one task.
 */
const MAX_STALLED_COUNT = 1_000_000;
/**
 * BullMQ honours a manual rate limit (queue.rateLimit, on a 429) only when a limiter is set: this one never limits by
 * itself (a million jobs a second).
 */
const PASSIVE_LIMITER = { max: 1_000_000, duration: 1000 };
/** A job whose folder another worker is running waits this long before it is tried again. */
const FOLDER_RETRY_MS = 2000;

/** What the worker's API client must call so the fleet keeps the account's limits (given to createApiClient). */
export interface FleetApiHooks {
  /** Awaited before every API request: waits out a pause that a 429 anywhere in the fleet set. */
  beforeRequest: (signal?: AbortSignal) => Promise<void>;
  /** A 429 pauses every worker's API calls, and BullMQ's queue-wide rate limit stops them taking new jobs meanwhile. */
  onRetry: (event: RetryEvent) => void;
}

export interface QueueWorkerOptions extends Pick<RunJobOptions, 'upload' | 'env' | 'probeCache' | 'fixCache' | 'encodeTimeoutSeconds'> {
  redis: Redis;
  /** The API client, made with the fleet's hooks. */
  apiClient: (hooks: FleetApiHooks) => ApiClient;
  queueName: string;
  /** Where this worker mounts the enqueuer's ROOT; default each job's recorded ROOT. */
  root?: string;
  /** Jobs doing media work (check, fix, upload) at once. */
  mediaConcurrency: number;
  /** Tasks in flight (from before a create until its wait ends) across every worker of the queue; downloads at once on this one. */
  apiConcurrency: number;
  lockDurationMs?: number;
  /** After Redis lost the fleet's task slots (or for a new queue), how long no new slot is granted (task-slots.ts DEFAULT_RECOVERY_MS). */
  taskSlotRecoveryMs?: number;
  /** Every line the worker has to say (stage progress, failures): the CLI writes them to stderr. */
  log: (line: string) => void;
}

export interface QueueWorker {
  readonly id: string;
  /** Stops at the next step boundary: running jobs go back to the queue for another worker; resolves once closed. */
  stop(reason: string): Promise<void>;
}

/** A unique name for this worker process (shown in BullMQ's dashboards and on the claims it takes). */
export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Takes jobs from the queue and runs each through runJob until stopped. */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const id = newWorkerId();
  const stopping = new AbortController();
  const media = pLimit(options.mediaConcurrency);
  const api = pLimit(options.apiConcurrency);
  const lockDuration = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const queue = new Queue(options.queueName, { connection: options.redis });
  const say = (what: string) => (error: Error) => options.log(`worker: ${what}: ${error.message}\n`);
  // the account's limits hold for the fleet: task slots and the 429 pause live in Redis, shared by every worker
  // a Redis that comes back empty does not lift the limit: held slots are written back, new ones wait until they are
  const taskSlots = redisTaskSlots(options.redis, {
    queueName: options.queueName,
    limit: options.apiConcurrency,
    holder: id,
    ...(options.taskSlotRecoveryMs !== undefined && { recoveryMs: options.taskSlotRecoveryMs }),
    onRefreshError: (jobKey, error) => say(`could not keep the task slot of ${jobKey}`)(error),
  });
  const pause = fleetPause(options.redis, {
    queueName: options.queueName,
    rateLimit: async (ms) => {
      await queue.rateLimit(ms);
      options.log(`worker: the API answered 429 (rate limited): every worker of queue ${options.queueName} pauses its API calls and takes no new job for ${Math.ceil(ms / 1000)} s\n`);
    },
    onError: say('the API answered 429, but the fleet could not be paused'),
  });
  const client = options.apiClient({ beforeRequest: (signal) => pause.before(signal), onRetry: (event) => pause.onRetry(event) });
  // a folder's lease lasts as long as a job's lock: a dead worker's folder is free when its job is handed out again
  const folders = redisFolderLeases(options.redis, { holder: id, leaseMs: lockDuration, onRefreshError: (error) => options.log(`worker: could not keep a folder's lease: ${error.message}\n`) });
  const processJob = queuedJobProcessor({
    root: options.root,
    upload: options.upload,
    client,
    env: options.env,
    probeCache: options.probeCache,
    fixCache: options.fixCache,
    encodeTimeoutSeconds: options.encodeTimeoutSeconds,
    mediaSlot: (work) => media(work),
    apiSlot: (work) => api(work),
    taskSlots,
    createGuard: redisCreateGuard(options.redis, id),
    // folders that share media send each object once between this worker's jobs
    uploadsInFlight: new Map(),
    stopping: stopping.signal,
    folders,
    folderRetryMs: FOLDER_RETRY_MS,
    log: options.log,
  });

  // a job that ended keeping its task slot (stopped while its task ran) must not have it written back for ever by this
  // worker: once no run of that job is left here, the slot is left to lapse, or to the job's next worker
  const running = new Map<string, number>();
  const processOne: typeof processJob = async (job, token, signal) => {
    const jobName = typeof job.data?.root === 'string' && typeof job.data.relativePath === 'string' ? join(job.data.root, job.data.relativePath) : null;
    if (jobName !== null) running.set(jobName, (running.get(jobName) ?? 0) + 1);
    try {
      return await processJob(job, token, signal);
    } finally {
      if (jobName !== null) {
        const left = running.get(jobName)! - 1;
        if (left > 0) running.set(jobName, left);
        else {
          running.delete(jobName);
          taskSlots.forget(jobName);
        }
      }
    }
  };

  const worker = new Worker<QueuedJobData, RunJobResult>(options.queueName, processOne, {
    connection: options.redis,
    name: id,
    // a job waiting for its task holds a place, so media work goes on beside the API work
    concurrency: options.mediaConcurrency + options.apiConcurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: MAX_STALLED_COUNT,
    limiter: PASSIVE_LIMITER,
  });
  // `queue status` tells a dead worker from a busy one by this: a record stamped every sixth of the lock
  const heartbeat = startHeartbeat(options.redis, {
    queueName: options.queueName,
    workerId: id,
    lockDurationMs: lockDuration,
    onError: say('could not publish its heartbeat (queue status shows this worker gone until it can)'),
    onRecovered: () => options.log('worker: its heartbeat is published again\n'),
  });
  // a job Redis lost (FLUSHALL, a restart without persistence) runs on to its end: said once, not at every lock renewal
  const lost = new Set<string>();
  worker.on('error', (error) => {
    const jobId = lostJobId(error.message);
    if (jobId === null) return options.log(`worker: ${error.message}\n`);
    if (lost.has(jobId)) return;
    lost.add(jobId);
    options.log(`worker: job ${jobId} vanished from queue ${options.queueName} (Redis lost its keys?): it runs on to its end, its journal keeps what it did, and a following batch --queue enqueues it again if it has not ended\n`);
  });
  return {
    id,
    async stop(reason) {
      stopping.abort(reason);
      await worker.close();
      // its jobs went back to the queue: nothing of this worker is left to watch
      await heartbeat.stop();
      folders.close();
      await taskSlots.close();
      await queue.close();
    },
  };
}

/** The job id of BullMQ's errors about a job whose keys are gone (lock or job hash), or null for any other error. */
export function lostJobId(message: string): string | null {
  return /^(?:could not renew lock for job|Missing (?:lock|key) for job) ([^\s.]+)/.exec(message)?.[1] ?? null;
}
