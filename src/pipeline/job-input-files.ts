import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSpec } from '../shared/guard-outputs.js';
import { ASSET_FOLDER_ROLE, PROMPT_FILE_NAME, REQUEST_FILE_NAME } from './asset-folder.js';
import { isFolderMedia, type JobRef } from './job-inputs.js';
import { loadRequestFile } from './request-file.js';
import { mediaRole, promptRole, REQUEST_FILE_ROLE } from './run-inputs.js';

/**
 * The files a job will read, found before it runs (no probing), for the output guard of run and batch: its request
 * file and the request's local media, or its folder itself, its prompt.txt and the entries the run takes as media (as
 * readJobInputs decides: media-named, or media bytes). A request that cannot be read adds nothing here: the run reports it.
 */
export async function jobInputFiles(job: JobRef): Promise<InputSpec[]> {
  if ('requestFile' in job) return requestInputs(job.requestFile);
  const entries = await readdir(job.folder, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.name === REQUEST_FILE_NAME)) return requestInputs(join(job.folder, REQUEST_FILE_NAME));
  const found: InputSpec[] = [{ path: job.folder, shown: job.folder, role: ASSET_FOLDER_ROLE }];
  const prompt = join(job.folder, PROMPT_FILE_NAME);
  if (entries.some((e) => e.name === PROMPT_FILE_NAME)) found.push({ path: prompt, shown: prompt, role: promptRole(job.folder) });
  // a file the run leaves out (a report, notes) is no input here; a clip without an extension is
  const media = entries.filter((entry) => !entry.name.startsWith('.') && entry.name !== PROMPT_FILE_NAME && !entry.isDirectory()).map((entry) => join(job.folder, entry.name));
  const taken = await Promise.all(media.map(isFolderMedia));
  for (const path of media.filter((_, i) => taken[i])) found.push({ path, shown: path, role: mediaRole('folder', null, 0, job.folder) });
  return found;
}

async function requestInputs(requestFile: string): Promise<InputSpec[]> {
  const found: InputSpec[] = [{ path: requestFile, shown: requestFile, role: REQUEST_FILE_ROLE }];
  const loaded = await loadRequestFile(requestFile).catch(() => null);
  for (const media of loaded?.media ?? []) {
    if (media.path) found.push({ path: media.path, shown: media.path, role: mediaRole('request', media.field, media.index, requestFile) });
  }
  return found;
}
