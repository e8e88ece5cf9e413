import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSpec } from '../shared/guard-outputs.js';
import { isMediaName, PROMPT_FILE_NAME, REQUEST_FILE_NAME } from './asset-folder.js';
import { loadRequestFile } from './request-file.js';

/** A job as run and batch name it: an asset folder, or a request file. */
export type JobRef = { folder: string } | { requestFile: string };

/**
 * The files a job will read, found before it runs (no probing), for the output guard of run and batch: its request
 * file and the request's local media, or its folder's prompt.txt and media-named files. A request that cannot be read
 * adds nothing here: the run itself reports it.
 */
export async function jobInputFiles(job: JobRef): Promise<InputSpec[]> {
  if ('requestFile' in job) return requestInputs(job.requestFile);
  const entries = await readdir(job.folder, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.name === REQUEST_FILE_NAME)) return requestInputs(join(job.folder, REQUEST_FILE_NAME));
  const found: InputSpec[] = [];
  const prompt = join(job.folder, PROMPT_FILE_NAME);
  if (entries.some((e) => e.name === PROMPT_FILE_NAME)) found.push({ path: prompt, shown: prompt, role: `the prompt of asset folder ${job.folder}` });
  // what check would classify by content; a file not named as media (a report, notes) the run leaves out, so it is no input here
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !isMediaName(entry.name)) continue;
    const path = join(job.folder, entry.name);
    found.push({ path, shown: path, role: `a file of asset folder ${job.folder}` });
  }
  return found;
}

async function requestInputs(requestFile: string): Promise<InputSpec[]> {
  const found: InputSpec[] = [{ path: requestFile, shown: requestFile, role: 'the request file' }];
  const loaded = await loadRequestFile(requestFile).catch(() => null);
  for (const media of loaded?.media ?? []) {
    if (media.path) found.push({ path: media.path, shown: media.path, role: `${media.field}[${media.index}] of ${requestFile}` });
  }
  return found;
}
