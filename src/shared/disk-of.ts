import { stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DiskFacts } from './describe-fs-error.js';

/**
 * The file system holding `path` (or its nearest existing folder): its mount point, found by climbing while the
 * parent is on the same device, and its room from statfs. Null when not even the root can be read.
 */
export async function diskOf(path: string): Promise<DiskFacts | null> {
  let at = resolve(path);
  let info = await stat(at).catch(() => null);
  while (!info && dirname(at) !== at) {
    at = dirname(at);
    info = await stat(at).catch(() => null);
  }
  if (!info) return null;
  for (let parent = dirname(at); parent !== at; parent = dirname(at)) {
    const above = await stat(parent).catch(() => null);
    if (!above || above.dev !== info.dev) break;
    at = parent;
  }
  const room = await statfs(at).catch(() => null);
  // bavail: what an unprivileged writer may still use (root's reserve is not room for the user)
  return { mount: at, freeBytes: room ? room.bavail * room.bsize : null, totalBytes: room ? room.blocks * room.bsize : null };
}
