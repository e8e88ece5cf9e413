import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { PreflightError } from '../shared/errors.js';
import { failedResult } from './failed-result.js';
import { findAssetFolders } from './find-asset-folders.js';
import type { UploadsInFlight } from '../upload/upload-files.js';
import { runJob, type RunJobOptions, type RunJobResult } from './run-job.js';
import { localTaskSlots } from './task-slots.js';

export interface RunBatchOptions extends Omit<RunJobOptions, 'job' | 'workDir' | 'outputDir' | 'mediaSlot' | 'apiSlot' | 'taskSlots' | 'createGuard' | 'jobName' | 'uploadsInFlight' | 'onStage' | 'onTask' | 'onNote' | 'adoptTask' | 'restart'> {
  root: string;
  /** Jobs doing media work (check, fix, upload) at once; default the number of cores. */
  mediaConcurrency?: number;
  /** Tasks in flight at once (from before a create until its wait ends), and downloads at once; default 2 (accounts have a small task limit). */
  apiConcurrency?: number;
  onStage?: (job: string, stage: string, detail: string) => void;
  onNote?: (job: string, note: string) => void;
  onJobDone?: (result: RunJobResult) => void;
}

const DEFAULT_API_CONCURRENCY = 2;

/** `run` for every asset folder under root; one job's failure never stops the others. */
export async function runBatch(options: RunBatchOptions): Promise<RunJobResult[]> {
  const folders = await findAssetFolders(options.root);
  const media = pLimit(options.mediaConcurrency ?? availableParallelism());
  const apiConcurrency = options.apiConcurrency ?? DEFAULT_API_CONCURRENCY;
  // one slot per task from its create to the end of its wait: a per-call limit let more tasks run than the account allows
  const taskSlots = localTaskSlots(apiConcurrency);
  const downloads = pLimit(apiConcurrency);
  // folders that share media (the same logo, the same music) send each object once between them
  const uploadsInFlight: UploadsInFlight = new Map();
  return Promise.all(
    folders.map(async (folder) => {
      let result: RunJobResult;
      try {
        result = await runJob({
          ...options,
          job: { folder },
          mediaSlot: (work) => media(work),
          apiSlot: (work) => downloads(work),
          taskSlots,
          uploadsInFlight,
          onStage: (stage, detail) => options.onStage?.(folder, stage, detail),
          onNote: (note) => options.onNote?.(folder, note),
        });
      } catch (error) {
        // an unexpected error in one job is that job's failure, not the batch's
        const hint = error instanceof PreflightError && error.hint ? error.hint : 'see the message; run this folder alone with seedance-preflight run for details';
        result = failedResult(folder, (error as Error).message, hint);
      }
      options.onJobDone?.(result);
      return result;
    }),
  );
}
