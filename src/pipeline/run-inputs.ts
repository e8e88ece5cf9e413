import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckInput } from '../check/job.js';
import type { InputSpec } from '../shared/guard-outputs.js';
import { ASSET_FOLDER_ROLE, PROMPT_FILE_NAME } from './asset-folder.js';

/** What besides the checked jobs a run read: the --request file and the --profile file (a built-in profile's name is no file). */
export interface ExtraInputs {
  requestFile?: string;
  profileFile?: string;
}

/**
 * Every file a checked run read, with what it is to the run: request files, the prompts of asset folders, each local
 * media entry (by its place in the request), and the profile. The output guard compares outputs with these.
 */
export async function runInputs(inputs: readonly CheckInput[], extra: ExtraInputs = {}): Promise<InputSpec[]> {
  const found: InputSpec[] = [];
  if (extra.requestFile) found.push({ path: extra.requestFile, shown: extra.requestFile, role: REQUEST_FILE_ROLE });
  if (extra.profileFile) found.push({ path: extra.profileFile, shown: extra.profileFile, role: 'the --profile file' });
  for (const input of inputs) {
    const kind = input.label === 'files' && input.request === null ? 'files' : await labelKind(input.label);
    if (kind === 'request' && input.label !== extra.requestFile) found.push({ path: input.label, shown: input.label, role: REQUEST_FILE_ROLE });
    if (kind === 'folder') {
      found.push({ path: input.label, shown: input.label, role: ASSET_FOLDER_ROLE });
      const prompt = join(input.label, PROMPT_FILE_NAME);
      found.push({ path: prompt, shown: prompt, role: promptRole(input.label) });
    }
    for (const media of input.media) {
      if (media.path === null) continue;
      found.push({ path: media.path, shown: media.path, role: mediaRole(kind, media.field, media.index, input.label) });
    }
  }
  return found;
}

/** What a file is to the run, in the guard's messages: one wording whether found before a run (job-input-files) or after its check. */
export const REQUEST_FILE_ROLE = 'the request file';

export function promptRole(folder: string): string {
  return `the prompt of asset folder ${folder}`;
}

export function mediaRole(kind: 'files' | 'request' | 'folder', field: string | null, index: number, label: string): string {
  if (kind === 'files') return 'a file given on the command line';
  const where = kind === 'request' ? label : `asset folder ${label}`;
  return field ? `${field}[${index}] of ${where}` : `a file of ${where}`;
}

/** A job's label is its request file, or its asset folder. */
async function labelKind(label: string): Promise<'request' | 'folder'> {
  const info = await stat(label).catch(() => null);
  return info?.isDirectory() ? 'folder' : 'request';
}
