import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { REQUEST_FILE_NAME, isMediaName } from './asset-folder.js';
import { naturalCompare } from './natural-order.js';

/** Folders the pipeline writes into a job: never jobs themselves. */
const SKIPPED = new Set(['.seedance-preflight', 'output', 'node_modules', '.git']);

/** Every asset folder under root (root included): a folder with a request.json, or with media files; natural order. */
export async function findAssetFolders(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    if (files.includes(REQUEST_FILE_NAME) || files.some(isMediaName)) found.push(dir);
    const subdirs = entries.filter((e) => e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')).map((e) => e.name).sort(naturalCompare);
    for (const name of subdirs) await visit(join(dir, name));
  };
  await visit(root);
  return found;
}
