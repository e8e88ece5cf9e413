import { createHash } from 'node:crypto';
import { sweepTemporariesOnce, temporaryPathFor } from '../shared/temp-file.js';
import { constants, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FixPlan } from './fix-plan.js';

/** Bump when encoder settings change, so outputs made with the old ones are not reused. */
const FIX_CACHE_SCHEMA = 2;


/** Pure: the cache key of a fix: the source's content hash plus everything the plan does (not where the file lies). */
export function fixCacheKey(contentHash: string, plan: FixPlan): string {
  const { source: _source, ...work } = plan;
  return createHash('sha256').update(JSON.stringify({ schema: FIX_CACHE_SCHEMA, contentHash, work })).digest('hex');
}

/** Fixed outputs on disk, keyed by content and plan: re-running fix on unchanged inputs encodes nothing. */
export class FixCache {
  constructor(readonly dir: string) {}

  private pathOf(key: string, extension: string): string {
    return join(this.dir, `${key}.${extension}`);
  }

  /** Copies a cached output to `target` (reflinked where the filesystem can); false on a miss. */
  async restore(key: string, extensions: readonly string[], target: (extension: string) => string): Promise<string | null> {
    for (const extension of extensions) {
      const cached = this.pathOf(key, extension);
      try {
        await stat(cached);
      } catch {
        continue;
      }
      const path = target(extension);
      await copyFile(cached, path, constants.COPYFILE_FICLONE);
      return path;
    }
    return null;
  }

  /** Keeps a copy of a verified output; a failure to cache never fails the fix. */
  async store(key: string, extension: string, file: string): Promise<void> {
    const path = this.pathOf(key, extension);
    // unique per writer: two jobs of a batch may store the same fix at once
    const temp = temporaryPathFor(path);
    try {
      await mkdir(this.dir, { recursive: true });
      await sweepTemporariesOnce(this.dir, { legacy: true });
      await copyFile(file, temp, constants.COPYFILE_FICLONE);
      await rename(temp, path);
    } catch {
      await rm(temp, { force: true });
    }
  }
}
