import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MEDIA_EXTENSIONS } from '../probe/detect-format.js';
import { InputFileError, readTextFile } from '../shared/read-text-file.js';
import { naturalCompare } from './natural-order.js';

export const REQUEST_FILE_NAME = 'request.json';
export const PROMPT_FILE_NAME = 'prompt.txt';
/** What an asset folder is to the output guard: every file in it is read as the job's media. */
export const ASSET_FOLDER_ROLE = 'an asset folder (every file in it is read as media)';

/**
 * The most prompt.txt may hold. A prompt within 10,000 tokens (docs/LIMITS.md#request.prompt; estimated as at least one token
 * per 3 characters outside CJK, 2 per CJK character) has at most 30,000 non-space UTF-16 units of at most 3 bytes each
 * (90,000 bytes); 256 KiB leaves room for any whitespace around them, and keeps /proc files and runaway logs out.
 */
export const PROMPT_FILE_MAX_BYTES = 256 * 1024;

export interface AssetFolder {
  dir: string;
  /** The folder's request.json, when it has one: then it is the request. */
  requestFile: string | null;
  /** Entries to classify by content, in natural name order. */
  candidates: string[];
  /** The text of prompt.txt, if present and readable. */
  promptText: string | null;
  /** Why prompt.txt was not read (not a regular file, outside the folder, too long): the check reports it. */
  promptProblem: InputFileError | null;
}

export interface ScanOptions {
  /** Let prompt.txt resolve outside the folder (a symbolic link to a shared prompt). */
  allowOutsidePaths?: boolean;
}

/** Lists an asset folder's direct entries; the caller classifies them by probing their bytes. */
export async function scanAssetFolder(dir: string, options: ScanOptions = {}): Promise<AssetFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  if (names.has(REQUEST_FILE_NAME)) return { dir, requestFile: join(dir, REQUEST_FILE_NAME), candidates: [], promptText: null, promptProblem: null };
  const prompt = names.has(PROMPT_FILE_NAME) ? await readPromptFile(join(dir, PROMPT_FILE_NAME), dir, options) : { text: null, problem: null };
  const candidates = entries
    .filter((entry) => {
      if (entry.name.startsWith('.') || entry.name === PROMPT_FILE_NAME) return false;
      // a directory is reported only when it is named like media ("clip.mp4/"): otherwise it is not ours
      if (entry.isDirectory()) return isMediaName(entry.name);
      return true;
    })
    .map((entry) => entry.name)
    .sort(naturalCompare)
    .map((name) => join(dir, name));
  return { dir, requestFile: null, candidates, promptText: prompt.text, promptProblem: prompt.problem };
}

/** prompt.txt as a text input: inside the folder, a regular file, within the bound; a refusal is kept for the check to report. */
async function readPromptFile(path: string, dir: string, options: ScanOptions): Promise<{ text: string | null; problem: InputFileError | null }> {
  try {
    const text = await readTextFile(path, { what: 'prompt file', maxBytes: PROMPT_FILE_MAX_BYTES, ...(!options.allowOutsidePaths && { jobDir: dir }) });
    return { text: text.trim(), problem: null };
  } catch (error) {
    if (error instanceof InputFileError) return { text: null, problem: error };
    throw error;
  }
}

export function isMediaName(name: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(name).slice(1).toLowerCase());
}
