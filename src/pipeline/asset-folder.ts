import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MEDIA_EXTENSIONS } from '../probe/detect-format.js';
import { naturalCompare } from './natural-order.js';

export const REQUEST_FILE_NAME = 'request.json';
export const PROMPT_FILE_NAME = 'prompt.txt';

export interface AssetFolder {
  dir: string;
  /** The folder's request.json, when it has one: then it is the request. */
  requestFile: string | null;
  /** Entries to classify by content, in natural name order. */
  candidates: string[];
  /** The text of prompt.txt, if present. */
  promptText: string | null;
}

/** Lists an asset folder's direct entries; the caller classifies them by probing their bytes. */
export async function scanAssetFolder(dir: string): Promise<AssetFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  if (names.has(REQUEST_FILE_NAME)) return { dir, requestFile: join(dir, REQUEST_FILE_NAME), candidates: [], promptText: null };
  const promptText = names.has(PROMPT_FILE_NAME) ? (await readFile(join(dir, PROMPT_FILE_NAME), 'utf8')).trim() : null;
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
  return { dir, requestFile: null, candidates, promptText };
}

export function isMediaName(name: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(name).slice(1).toLowerCase());
}
