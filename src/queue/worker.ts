import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { runJob, type RunJobOptions, type RunJobResult } from '../pipeline/run-job.js';
import type { ApiClient } from '../submit/client.js';
import type { RetryEvent } from '../submit/http.js';
import type { UploadsInFlight } from '../upload/upload-files.js';
import { VERSION } from '../version.js';
import { unreadableJobData, type QueuedJobData, type QueuedProgress } from './job-data.js';
import { failedResult, resultForEnqueuer } from './queued-result.js';

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

/** What the worker's API client must call so the fleet keeps the account's limits (given to createApiClient). */
export interface FleetApiHooks {
  /** A 429 slows every worker: BullMQ's queue-wide rate limit stops them taking new jobs meanwhile. */
  onRetry: (event: RetryEvent) => void;
}

export interface QueueWorkerOptions extends Pick<RunJobOptions, 'upload' | 'env' | 'probeCache' | 'fixCache'> {
  redis: Redis;
  /** The API client, made with the fleet's hooks. */
  apiClient: (hooks: FleetApiHooks) => ApiClient;
  queueName: string;
  /** Where this worker mounts the enqueuer's ROOT; default each job's recorded ROOT. */
  root?: string;
  /** Jobs doing media work (check, fix, upload) at once. */
  mediaConcurrency: number;
  /** Jobs submitting or waiting at once. */
  apiConcurrency: number;
  lockDurationMs?: number;
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
  // folders that share media send each object once between this worker's jobs
  const uploadsInFlight: UploadsInFlight = new Map();
  const lockDuration = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const queue = new Queue(options.queueName, { connection: options.redis });
  const client = options.apiClient({
    onRetry: (event) => {
      if (event.error?.status !== 429) return;
      queue.rateLimit(event.delayMs).then(
        () => options.log(`worker: the API answered 429 (rate limited): no worker of queue ${options.queueName} takes a new job for ${Math.ceil(event.delayMs / 1000)} s\n`),
        (error: Error) => options.log(`worker: the API answered 429, but the queue could not be rate-limited: ${error.message}\n`),
      );
    },
  });

  const processJob = async (job: Job<QueuedJobData, RunJobResult>, token?: string, bullSignal?: AbortSignal): Promise<RunJobResult> => {
    const problem = unreadableJobData(job.data, VERSION);
    if (problem) {
      options.log(`[job ${job.id}] failed: ${problem}\n`);
      throw new UnrecoverableError(problem);
    }
    const data = job.data;
    const label = data.relativePath;
    const workerRoot = options.root ?? data.root;
    const folder = join(workerRoot, data.relativePath);
    const paths = { workerRoot, root: data.root, relativePath: data.relativePath };
    const fail = async (result: RunJobResult): Promise<never> => {
      options.log(`[${label}] failed at ${result.error!.stage}: ${result.error!.message}\n`);
      // the follower reads a failed job's result from its data; BullMQ keeps return values for completed jobs only
      await job.updateData({ ...data, result });
      throw new UnrecoverableError(`${result.error!.stage}: ${result.error!.message}`);
    };
    if (!(await isDirectory(folder))) {
      const mapped = options.root ? ` (enqueued as ${join(data.root, data.relativePath)}; this worker maps ROOT to ${options.root})` : '';
      return fail(failedResult(join(data.root, data.relativePath), `${folder} does not exist on this worker${mapped}`, 'restore the folder, or give this worker --root with the path where it mounts the enqueued ROOT, then enqueue again'));
    }
    let taskId: string | null = null;
    const progress = (stage: string, detail: string) => {
      const value: QueuedProgress = { stage, detail, taskId };
      // progress is advice for the follower and status: a lost update must not stop the job
      job.updateProgress(value as unknown as object).catch(() => undefined);
    };
    let result: RunJobResult;
    try {
      result = await runJob({
        job: { folder },
        profile: data.settings.profile,
        upload: options.upload,
        client,
        prompt: data.settings.prompt,
        fit: data.settings.fit,
        audioFormat: data.settings.audioFormat,
        allowOutsidePaths: data.settings.allowOutsidePaths,
        waitTimeoutMs: data.settings.timeoutMs,
        probeCache: options.probeCache,
        fixCache: options.fixCache,
        env: options.env,
        mediaSlot: (work) => media(work),
        apiSlot: (work) => api(work),
        uploadsInFlight,
        signal: bullSignal ? AbortSignal.any([stopping.signal, bullSignal]) : stopping.signal,
        onStage: (stage, detail) => {
          options.log(`[${label}] ${stage}: ${detail}\n`);
          progress(stage, detail);
        },
        onNote: (note) => options.log(`[${label}] note: ${note}\n`),
        onTask: (task) => {
          if (taskId === task.id) return;
          taskId = task.id;
          progress('wait', `task ${task.id}`);
        },
      });
    } catch (error) {
      // an unexpected error in one job is that job's failure, as in a local batch
      return fail(failedResult(join(data.root, data.relativePath), (error as Error).message, 'see the message; run this folder alone with seedance-preflight run for details'));
    }
    if (result.cancelled) {
      if (stopping.signal.aborted && token) {
        // resumable: the journal says where it stopped; another worker (or this one, restarted) takes it from there
        await job.moveToWait(token);
        options.log(`[${label}] stopped at a step boundary: back in the queue for another worker\n`);
        throw new WaitingError();
      }
      throw new Error(`the job was cancelled (${String(bullSignal?.reason ?? 'lock lost')})`);
    }
    const shown = resultForEnqueuer(result, paths);
    if (!shown.ok) return fail(shown);
    return shown;
  };

  const worker = new Worker<QueuedJobData, RunJobResult>(options.queueName, processJob, {
    connection: options.redis,
    name: id,
    // a job waiting for its task holds a place, so media work goes on beside the API work
    concurrency: options.mediaConcurrency + options.apiConcurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: MAX_STALLED_COUNT,
    limiter: PASSIVE_LIMITER,
  });
  worker.on('error', (error) => options.log(`worker: ${error.message}\n`));
  return {
    id,
    async stop(reason) {
      stopping.abort(reason);
      await worker.close();
      await queue.close();
    },
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
