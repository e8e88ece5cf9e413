import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { findAssetFolders } from './find-asset-folders.js';
import type { UploadsInFlight } from '../upload/upload-files.js';
import { runJob, type RunJobOptions, type RunJobResult } from './run-job.js';

export interface RunBatchOptions extends Omit<RunJobOptions, 'job' | 'workDir' | 'outputDir' | 'mediaSlot' | 'apiSlot' | 'uploadsInFlight' | 'onStage' | 'onTask' | 'onNote' | 'adoptTask' | 'restart'> {
  root: string;
  /** Jobs doing media work (check, fix, upload) at once; default the number of cores. */
  mediaConcurrency?: number;
  /** Jobs talking to the API (submit, wait, download) at once; default 2 (accounts have a small task limit). */
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
  const api = pLimit(options.apiConcurrency ?? DEFAULT_API_CONCURRENCY);
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
          apiSlot: (work) => api(work),
          uploadsInFlight,
          onStage: (stage, detail) => options.onStage?.(folder, stage, detail),
          onNote: (note) => options.onNote?.(folder, note),
        });
      } catch (error) {
        // an unexpected error in one job is that job's failure, not the batch's
        result = { job: folder, ok: false, resumed: [], fixed: [], uploads: [], request: null, taskId: null, result: null, qc: null, costDrivers: null, error: { stage: 'check', message: (error as Error).message, hint: 'see the message; run this folder alone with seedance-preflight run for details' }, state: null, notes: [], previousResults: [], cancelled: false };
      }
      options.onJobDone?.(result);
      return result;
    }),
  );
}
