import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DelayedError, UnrecoverableError, WaitingError, type Job, type Processor } from 'bullmq';
import { runJob, type JobProgressEvent, type RunJobOptions, type RunJobResult } from '../pipeline/run-job.js';
import { VERSION } from '../version.js';
import type { FolderLeases } from './folder-lease.js';
import { unreadableJobData, type QueuedJobData, type QueuedProgress } from './job-data.js';
import { failedResult } from '../pipeline/failed-result.js';
import { resultForEnqueuer } from './queued-result.js';
import { progressPublisher, queuedProgressEventOf } from './progress-publisher.js';

/** What every job a worker runs shares: its settings, its limits, its stop signal. */
export interface QueuedJobContext extends Pick<RunJobOptions, 'upload' | 'client' | 'env' | 'probeCache' | 'fixCache' | 'encodeTimeoutSeconds' | 'mediaSlot' | 'apiSlot' | 'uploadsInFlight' | 'taskSlots' | 'createGuard'> {
  /** Where this worker mounts the enqueuer's ROOT; default each job's recorded ROOT. */
  root?: string;
  /** The worker is stopping: running jobs stop at their next step and go back to the queue. */
  stopping: AbortSignal;
  /** One worker per folder at a time; a job whose folder is taken waits in the delayed set (from `folderRetryMs`, doubling), then tries again. */
  folders: FolderLeases;
  folderRetryMs: number;
  log: (line: string) => void;
}

type QueuedJob = Job<QueuedJobData, RunJobResult>;

/**
 * BullMQ's processor for our jobs: one asset folder through runJob. A job it cannot run (another version's, a vanished
 * folder) and a job that does not conform fail for good (UnrecoverableError: a retry cannot help), with their result
 * kept in the job's data for the follower; a job stopped by the worker's stop goes back to wait, resumable; a job whose
 * folder another worker is running (its Redis lease), or another process (its lock: a local run), waits in the delayed set.
 */
export function queuedJobProcessor(context: QueuedJobContext): Processor<QueuedJobData, RunJobResult> {
  return async (job, token, bullSignal) => {
    const problem = unreadableJobData(job.data, VERSION);
    if (problem) {
      context.log(`[job ${job.id}] failed: ${problem}\n`);
      throw new UnrecoverableError(problem);
    }
    const data = job.data;
    const jobName = join(data.root, data.relativePath);
    const folder = join(context.root ?? data.root, data.relativePath);
    if (!(await isDirectory(folder))) {
      const mapped = context.root ? ` (enqueued as ${jobName}; this worker maps ROOT to ${context.root})` : '';
      return failJob(context, job, failedResult(jobName, `${folder} does not exist on this worker${mapped}`, 'restore the folder, or give this worker --root with the path where it mounts the enqueued ROOT, then enqueue again'));
    }
    const lease = await context.folders.take(jobName);
    if (!lease.ok) return delayJob(context, job, token, `another worker (${lease.holder}) is running this folder`);
    try {
      return await runFolder(context, job, folder, token, bullSignal);
    } finally {
      await context.folders.release(jobName).catch(() => undefined);
    }
  };
}

/** The job's folder through runJob, this worker holding its lease. */
async function runFolder(context: QueuedJobContext, job: QueuedJob, folder: string, token: string | undefined, bullSignal: AbortSignal | undefined): Promise<RunJobResult> {
  const data = job.data;
  const label = data.relativePath;
  let taskId: string | null = null;
  // progress is advice for the follower and status: a lost update must not stop the job
  const publisher = progressPublisher((value: QueuedProgress) => void job.updateProgress(value as unknown as object).catch(() => undefined));
  const progress = (stage: string, detail: string) => publisher.stage(stage, detail, taskId);
  const within = (event: JobProgressEvent) => {
    const shown = queuedProgressEventOf(folder, event);
    if (shown) publisher.event(shown);
  };
  let result: RunJobResult;
  try {
    result = await runJob({
      job: { folder },
      profile: data.settings.profile,
      upload: context.upload,
      client: context.client,
      prompt: data.settings.prompt,
      fit: data.settings.fit,
      audioFormat: data.settings.audioFormat,
      allowOutsidePaths: data.settings.allowOutsidePaths,
      waitTimeoutMs: data.settings.timeoutMs,
      probeCache: context.probeCache,
      fixCache: context.fixCache,
      // this worker's machine sets how long an encode may stall, not the enqueuer's
      encodeTimeoutSeconds: context.encodeTimeoutSeconds,
      env: context.env,
      mediaSlot: context.mediaSlot,
      apiSlot: context.apiSlot,
      uploadsInFlight: context.uploadsInFlight,
      taskSlots: context.taskSlots,
      createGuard: context.createGuard,
      // the job's name across the fleet and its queue names: the folder as enqueued, whatever a worker mounts it as
      jobName: join(data.root, data.relativePath),
      signal: bullSignal ? AbortSignal.any([context.stopping, bullSignal]) : context.stopping,
      onStage: (stage, detail) => {
        context.log(`[${label}] ${stage}: ${detail}\n`);
        progress(stage, detail);
      },
      onNote: (note) => context.log(`[${label}] note: ${note}\n`),
      // inside a stage: an encode's fraction, an upload's bytes, each poll of the task (rate-limited by the publisher)
      onProgress: within,
      onTask: (task) => {
        if (taskId !== task.id) {
          taskId = task.id;
          progress('wait', `task ${task.id}`);
        }
        within({ type: 'task', task });
      },
    });
  } catch (error) {
    // an unexpected error in one job is that job's failure, as in a local batch
    return failJob(context, job, failedResult(join(data.root, data.relativePath), (error as Error).message, 'see the message; run this folder alone with seedance-preflight run for details'));
  } finally {
    publisher.close();
  }
  // a local run (or batch) holds the job's lock: the job waits for it as for another worker's lease, untouched
  if (result.busy) return delayJob(context, job, token, result.error!.message);
  if (result.cancelled) {
    if (context.stopping.aborted && token) {
      // resumable: the journal says where it stopped; another worker (or this one, restarted) takes it from there
      await job.moveToWait(token);
      context.log(`[${label}] stopped at a step boundary: back in the queue for another worker\n`);
      throw new WaitingError();
    }
    throw new Error(`the job was cancelled (${String(bullSignal?.reason ?? 'lock lost')})`);
  }
  const shown = resultForEnqueuer(result, { workerRoot: context.root ?? data.root, root: data.root, relativePath: data.relativePath });
  return shown.ok ? shown : failJob(context, job, shown);
}

/** Puts the job in the delayed set for a later try (its folder is being run elsewhere): never a failure. */
async function delayJob(context: QueuedJobContext, job: QueuedJob, token: string | undefined, why: string): Promise<never> {
  const delay = folderRetryDelay(context.folderRetryMs, job.attemptsStarted);
  context.log(`[${job.data.relativePath}] ${why}: trying again in ${Math.ceil(delay / 1000)} s\n`);
  if (token) await job.moveToDelayed(Date.now() + delay, token);
  throw new DelayedError();
}

/** Fails the job for good, its result kept in its data: BullMQ keeps return values for completed jobs only. */
async function failJob(context: QueuedJobContext, job: QueuedJob, result: RunJobResult): Promise<never> {
  context.log(`[${job.data.relativePath}] failed at ${result.error!.stage}: ${result.error!.message}\n`);
  await job.updateData({ ...job.data, result });
  throw new UnrecoverableError(`${result.error!.stage}: ${result.error!.message}`);
}

/** The holder may be waiting minutes on a task: each try waits twice as long as the last, up to a minute. */
export function folderRetryDelay(firstMs: number, attemptsStarted: number): number {
  return Math.min(60_000, firstMs * 2 ** Math.min(10, Math.max(0, attemptsStarted - 1)));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
