import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { PreflightError } from '../shared/errors.js';
import { throwIfCancelled } from '../shared/cancel.js';
import { failedResult, notStartedResult } from './failed-result.js';
import { findAssetFolders } from './find-asset-folders.js';
import type { BatchJobResult } from './job-outcome.js';
import type { UploadsInFlight } from '../upload/upload-files.js';
import { runJob, type JobProgressEvent, type RunJobOptions } from './run-job.js';
import { localTaskSlots } from './task-slots.js';
import { restartedFrom, restartKindOf, type Restarted, type RestartKind } from './batch-restart.js';
import type { JobState } from './job-state.js';

export interface RunBatchOptions extends Omit<RunJobOptions, 'job' | 'workDir' | 'outputDir' | 'mediaSlot' | 'apiSlot' | 'taskSlots' | 'createGuard' | 'jobName' | 'uploadsInFlight' | 'onStage' | 'onTask' | 'onProgress' | 'onNote' | 'adoptTask' | 'restart'> {
  root: string;
  /** The asset folders to run (--only / --exclude chose them); default every one under root. */
  folders?: readonly string[];
  /** --restart KINDS: the jobs whose journal stands so start over with a new task; every other job resumes. */
  restart?: ReadonlySet<RestartKind>;
  /** Jobs doing media work (check, fix, upload) at once; default the number of cores. */
  mediaConcurrency?: number;
  /** Tasks in flight at once (from before a create until its wait ends), and downloads at once; default 2 (accounts have a small task limit). */
  apiConcurrency?: number;
  onStage?: (job: string, stage: string, detail: string) => void;
  onNote?: (job: string, note: string) => void;
  /** Progress inside a job's stage (an encode, an upload, a task's poll), by job folder: for a live view. */
  onProgress?: (job: string, event: JobProgressEvent) => void;
  onJobDone?: (result: BatchJobResult) => void;
}

const DEFAULT_API_CONCURRENCY = 2;

/**
 * `run` for every asset folder under root; one job's failure never stops the others. Once the signal fires no job
 * starts: one still waiting for its turn ends "not started", no stage of it run.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchJobResult[]> {
  const folders = options.folders ?? (await findAssetFolders(options.root));
  const media = pLimit(options.mediaConcurrency ?? availableParallelism());
  const apiConcurrency = options.apiConcurrency ?? DEFAULT_API_CONCURRENCY;
  // one slot per task from its create to the end of its wait: a per-call limit let more tasks run than the account allows
  const taskSlots = localTaskSlots(apiConcurrency);
  const downloads = pLimit(apiConcurrency);
  // folders that share media (the same logo, the same music) send each object once between them
  const uploadsInFlight: UploadsInFlight = new Map();
  return Promise.all(
    folders.map(async (folder) => {
      let result: BatchJobResult;
      // a job has started once any stage of it ran in this run; before that, a Ctrl-C leaves it not started
      let started = false;
      /** Work that waited for its turn starts only while the batch is not interrupted. */
      const inTurn = <T>(work: () => Promise<T>) => () => {
        throwIfCancelled(options.signal, 'the job');
        started = true;
        return work();
      };
      // asked by runJob once, under the job's lock, of the state its journal held: a busy job is never asked
      let restarted: Restarted | null = null;
      const restart = options.restart?.size
        ? (state: JobState) => {
            const kind = restartKindOf(state);
            restarted = kind && options.restart!.has(kind) ? restartedFrom(state, kind) : null;
            return restarted !== null;
          }
        : undefined;
      try {
        if (options.signal?.aborted) return done(notStartedResult(folder, options.signal.reason));
        result = await runJob({
          ...options,
          restart,
          job: { folder },
          mediaSlot: (work) => media(inTurn(work)),
          apiSlot: (work) => downloads(inTurn(work)),
          taskSlots,
          uploadsInFlight,
          onStage: (stage, detail) => {
            started = true;
            options.onStage?.(folder, stage, detail);
          },
          onNote: (note) => options.onNote?.(folder, note),
          onProgress: (event) => options.onProgress?.(folder, event),
          onTask: (task) => options.onProgress?.(folder, { type: 'task', task }),
        });
        if (result.cancelled && !started) result = notStartedResult(folder, options.signal?.reason ?? 'cancelled');
        else if (restarted) result = { ...result, restarted };
      } catch (error) {
        // an unexpected error in one job is that job's failure, not the batch's
        const hint = error instanceof PreflightError && error.hint ? error.hint : 'see the message; run this folder alone with seedance-preflight run for details';
        result = failedResult(folder, (error as Error).message, hint);
      }
      return done(result);
    }),
  );

  function done(result: BatchJobResult): BatchJobResult {
    options.onJobDone?.(result);
    return result;
  }
}
