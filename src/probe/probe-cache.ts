import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeAtomically } from '../shared/write-atomically.js';
import type { ProbeResult } from './media-info.js';
import type { FileIdentity } from './probe-file.js';

/** Bump when MediaInfo or the probing logic changes, so old entries are not trusted. */
const CACHE_SCHEMA = 7;
/** Entries kept on disk; the oldest are dropped past this. */
const MAX_ENTRIES = 50_000;
/** How stale an entry's last-use time may get before a hit records it again. */
const USED_AT_RESOLUTION_MS = 24 * 60 * 60 * 1000;

interface CacheEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  result: ProbeResult;
  usedAt: number;
}

interface CacheFile {
  schema: number;
  entries: Record<string, CacheEntry>;
}

/** Where the probe cache lives: $SEEDANCE_PREFLIGHT_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEEDANCE_PREFLIGHT_CACHE_DIR) return resolve(env.SEEDANCE_PREFLIGHT_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'seedance-preflight');
}

/** Probe results keyed by absolute path, size, mtime and inode: an unchanged file is never probed twice. */
export class ProbeCache {
  private entries = new Map<string, CacheEntry>();
  private dirty = false;

  private constructor(private readonly file: string | null) {}

  /** A cache that lives only in memory. */
  static inMemory(): ProbeCache {
    return new ProbeCache(null);
  }

  /** Loads the cache file in `dir`; a missing or damaged file starts an empty cache. */
  static async open(dir: string): Promise<ProbeCache> {
    const cache = new ProbeCache(join(dir, 'probe-cache.json'));
    try {
      const data = JSON.parse(await readFile(cache.file!, 'utf8')) as CacheFile;
      if (data.schema === CACHE_SCHEMA) cache.entries = new Map(Object.entries(data.entries));
    } catch {
      // no cache yet, or unreadable: start empty
    }
    return cache;
  }

  /** The cached result when the file still has the size, mtime and inode it had when probed. */
  get(path: string): ProbeResult | undefined {
    const key = resolve(path);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    try {
      // synchronous: a stat takes microseconds, a thread-pool round trip per file costs more on a warm check of hundreds
      const stats = statSync(key);
      if (stats.size !== entry.size || stats.mtimeMs !== entry.mtimeMs || stats.ino !== entry.ino) return undefined;
    } catch {
      return undefined;
    }
    // refreshed at most daily, so a warm re-check of an unchanged folder does not rewrite the cache file
    const now = Date.now();
    if (now - entry.usedAt > USED_AT_RESOLUTION_MS) {
      entry.usedAt = now;
      this.dirty = true;
    }
    return { ...entry.result, ...(entry.result.ok ? { info: { ...entry.result.info, path } } : { failure: { ...entry.result.failure, path } }) } as ProbeResult;
  }

  /**
   * Remembers a result; failures that depend on more than the bytes (missing, permissions) are not kept.
   * `identity` is the file's size, mtime and inode from before it was probed: a file changed during the probe then misses next time.
   */
  set(path: string, result: ProbeResult, identity?: FileIdentity): void {
    if (!result.ok && ['not_found', 'unreadable', 'not_a_file'].includes(result.failure.code)) return;
    const key = resolve(path);
    try {
      const { size, mtimeMs, ino } = identity ?? statSync(key);
      this.entries.set(key, { size, mtimeMs, ino, result, usedAt: Date.now() });
      this.dirty = true;
    } catch {
      // the file went away between probe and stat: nothing to cache
    }
  }

  /** Writes the cache atomically (temporary file, then rename). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    let entries = [...this.entries.entries()];
    if (entries.length > MAX_ENTRIES) entries = entries.sort((a, b) => b[1].usedAt - a[1].usedAt).slice(0, MAX_ENTRIES);
    const data: CacheFile = { schema: CACHE_SCHEMA, entries: Object.fromEntries(entries) };
    await writeAtomically(this.file, JSON.stringify(data));
    this.dirty = false;
  }
}
