import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaInfo } from '../probe/media-info.js';
import { sha256File } from '../shared/sha256-file.js';
import { temporaryPath } from '../shared/temp-file.js';
import { renderThumbnails, type RenderedThumbnails } from './render-thumbnails.js';

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Bump when the pictures change (sizes, frame times), so older ones are drawn again. */
const THUMBNAIL_VERSION = 2;

/** A file's thumbnails in the store: the folder they are in, and what it holds. */
export interface StoredThumbnails extends RenderedThumbnails {
  dir: string;
  key: string;
}

/**
 * Thumbnails kept beside the probe cache, keyed by the file's content: an unchanged (or copied, or renamed) file is
 * never drawn twice. Each entry is drawn in a temporary folder and renamed into place, so readers never see half of one.
 */
export class ThumbnailStore {
  private readonly pending = new Map<string, Promise<StoredThumbnails | null>>();

  constructor(readonly dir: string) {}

  /** The thumbnails of a probed file, drawn now if the store has none for its bytes. */
  async get(info: MediaInfo, signal?: AbortSignal): Promise<StoredThumbnails | null> {
    const hashed = await sha256File(info.path, { signal }).catch((error: unknown) => {
      // a file gone since it was probed (removed, renamed by another tool) gets a card without pictures, never a failed report
      if (isMissingFile(error)) return null;
      throw error;
    });
    if (!hashed) return null;
    const { sha256 } = hashed;
    const key = createHash('sha256').update(`thumbnails v${THUMBNAIL_VERSION}\0${info.kind}\0${sha256}`).digest('hex').slice(0, 32);
    let entry = this.pending.get(key);
    if (!entry) {
      entry = this.load(key).then((found) => found ?? this.render(key, info, signal));
      this.pending.set(key, entry);
    }
    return entry;
  }

  private async load(key: string): Promise<StoredThumbnails | null> {
    try {
      const meta = JSON.parse(await readFile(join(this.dir, key, 'meta.json'), 'utf8')) as RenderedThumbnails;
      return { ...meta, dir: join(this.dir, key), key };
    } catch {
      return null;
    }
  }

  private async render(key: string, info: MediaInfo, signal?: AbortSignal): Promise<StoredThumbnails | null> {
    const final = join(this.dir, key);
    // the one temporary-name scheme, so a killed run's leftover folder is swept like any other temporary
    const temp = temporaryPath(this.dir, key, '');
    await mkdir(temp, { recursive: true });
    try {
      const rendered = await renderThumbnails(info, temp, signal);
      if (!rendered) return null;
      await writeFile(join(temp, 'meta.json'), JSON.stringify(rendered));
      try {
        await rename(temp, final);
      } catch {
        // another process stored the same bytes first: theirs is as good
        return (await this.load(key)) ?? null;
      }
      return { ...rendered, dir: final, key };
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}
