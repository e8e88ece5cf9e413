import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sweepTemporariesOnce, temporaryPathFor } from './temp-file.js';

/** Writes a file under a temporary name beside it, then renames it: readers never see half a file. */
export async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await sweepTemporariesOnce(dirname(path));
  const temp = temporaryPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    // a full disk's write error names no file, an open's names the temporary: the user should see the file being written
    const failed = error as NodeJS.ErrnoException;
    if (failed && typeof failed === 'object' && (failed.path === undefined || failed.path === temp)) failed.path = path;
    throw error;
  }
}
