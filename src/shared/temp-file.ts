import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** A temporary untouched this long has lost its writer: every writer here streams or writes at once, so a live one stays fresh. */
export const STALE_TEMPORARY_MS = 15 * 60_000;

/** The one temporary-file scheme: a hidden name in `dir` (".clip.1a2b3c4d.partial.mp4"); the extension stays last, so ffmpeg and sharp pick the format from it. */
export function temporaryPath(dir: string, stem: string, extension: string): string {
  return join(dir, `.${stem}.${randomBytes(4).toString('hex')}.partial${extension ? `.${extension}` : ''}`);
}

/** A temporary name beside `path`, to be renamed onto it once complete: readers never see half a file, and a killed writer leaves nothing under the final name. */
export function temporaryPathFor(path: string): string {
  const extension = extname(path);
  return temporaryPath(dirname(path), basename(path, extension), extension.slice(1));
}

/** True for a name of the scheme, including what a writer derived from one (an intermediate ".partial.jpg.decoded.png"). */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.[0-9a-f]{8}\.partial(\..+)?$/.test(name);
}

/** Pure: whether a temporary last written at `mtimeMs` is left over, at `now`. */
export function isStaleTemporary(mtimeMs: number, now: number, olderThanMs: number): boolean {
  return now - mtimeMs >= olderThanMs;
}

/**
 * Removes the scheme's temporaries in `dir` untouched for `olderThanMs` (default STALE_TEMPORARY_MS: a writer in another
 * process may still own a fresh one); 0 removes all, for a folder only this run writes to. Returns the names removed.
 */
export async function sweepTemporaries(dir: string, options: { olderThanMs?: number; now?: number } = {}): Promise<string[]> {
  const olderThanMs = options.olderThanMs ?? STALE_TEMPORARY_MS;
  const now = options.now ?? Date.now();
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed = await Promise.all(
    names.filter(isTemporaryName).map(async (name) => {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (!info || !isStaleTemporary(info.mtimeMs, now, olderThanMs)) return null;
      await rm(path, { force: true, recursive: true });
      return name;
    }),
  );
  return removed.filter((name): name is string => name !== null);
}

const swept = new Map<string, Promise<unknown>>();

/** sweepTemporaries(dir) once per process: for writers called often (the journal, the probe cache), a readdir each time would cost. */
export function sweepTemporariesOnce(dir: string): Promise<unknown> {
  let pending = swept.get(dir);
  if (!pending) {
    pending = sweepTemporaries(dir).catch(() => []);
    swept.set(dir, pending);
  }
  return pending;
}
