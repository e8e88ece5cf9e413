import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { pidNamespace, processAlive } from './process-alive.js';

/** A temporary of another host (or PID namespace) untouched this long has lost its writer: every writer here streams or writes at once, so a live one stays fresh. */
export const STALE_TEMPORARY_MS = 15 * 60_000;

/** The file systems in use (ext4, xfs, btrfs, APFS, NTFS via UTF-16 units) allow 255 bytes per name. */
export const NAME_LIMIT_BYTES = 255;

/** Room a writer may add to a temporary's name for an intermediate of its own (write-image's ".decoded.png"). */
export const DERIVED_SUFFIX_BYTES = 16;

/** An extension longer than this is no format's extension (ffmpeg and sharp know none): it stays part of the stem. */
const MAX_EXTENSION_BYTES = 16;

/** The tool's own marker: "spf-<host tag>-<pid>-<random>" between the stem and ".partial". */
const MARKER = 'spf';

/**
 * This host and PID namespace, as 8 hex digits of a sha256: enough to tell apart the writers sharing a folder whose pids
 * can be asked (containers sharing a host name each have their own pids), and no host name in file names.
 */
export const HOST_TAG = hostTag(hostname(), pidNamespace());

/** Pure: the tag of a host name and PID namespace; without a namespace (not Linux), of the name alone. */
export function hostTag(name: string, namespace: string | null = null): string {
  return createHash('sha256').update(namespace === null ? name : `${name}\n${namespace}`).digest('hex').slice(0, 8);
}

/** What a temporary's name says about its writer. */
export interface TemporaryName {
  stem: string;
  host: string;
  pid: number;
  /** The extension the final file will have ('' for none), then anything a writer derived from it (".decoded.png"). */
  rest: string;
}

const NEW_SCHEME = new RegExp(`^\\.(.*)\\.${MARKER}-([0-9a-f]{8})-([1-9][0-9]{0,9})-[0-9a-f]{8}\\.partial(\\..+)?$`, 's');
/** Names of versions before the marker: ".clip.1a2b3c4d.partial.mp4" (a user may well name a file or folder like this). */
const OLD_SCHEME = /^\..+\.[0-9a-f]{8}\.partial(\..+)?$/s;

/** Pure: a temporary's name for `stem` and `extension`, written by `pid` on the host tagged `host`; within NAME_LIMIT_BYTES less DERIVED_SUFFIX_BYTES, the stem shortened (never the marker or the extension). */
export function temporaryName(stem: string, extension: string, writer: { host: string; pid: number }, random: string): string {
  let ext = extension;
  let base = stem;
  if (Buffer.byteLength(ext) > MAX_EXTENSION_BYTES) {
    base = `${stem}.${ext}`;
    ext = '';
  }
  const tail = `.${MARKER}-${writer.host}-${writer.pid}-${random}.partial${ext ? `.${ext}` : ''}`;
  const room = NAME_LIMIT_BYTES - DERIVED_SUFFIX_BYTES - 1 - Buffer.byteLength(tail);
  return `.${truncateUtf8(safeStem(base), room)}${tail}`;
}

/** Pure: the longest prefix of `text` of at most `maxBytes` UTF-8 bytes, cut between code points. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/** A stem comes from a file name, which holds no "/" or NUL; any that slipped in would make another path, so they become "_". */
function safeStem(stem: string): string {
  return stem.replace(/[/\0]/g, '_');
}

/** Pure: the writer a temporary's name records, or null for any other name (old-scheme names included). */
export function parseTemporaryName(name: string): TemporaryName | null {
  const match = NEW_SCHEME.exec(name);
  if (!match) return null;
  return { stem: match[1]!, host: match[2]!, pid: Number(match[3]), rest: (match[4] ?? '').slice(1) };
}

/** True for a name of the scheme, including what a writer derived from one (an intermediate ".partial.jpg.decoded.png"). */
export function isTemporaryName(name: string): boolean {
  return parseTemporaryName(name) !== null;
}

/** True for a temporary's name of versions before the marker: swept only where asked (`legacy`), as it may equally be a user's name. */
export function isLegacyTemporaryName(name: string): boolean {
  return !isTemporaryName(name) && OLD_SCHEME.test(name);
}

/** The one temporary-file scheme: a hidden name in `dir` (".clip.spf-1a2b3c4d-4242-0f1e2d3c.partial.mp4"); the extension stays last, so ffmpeg and sharp pick the format from it. */
export function temporaryPath(dir: string, stem: string, extension: string): string {
  return join(dir, temporaryName(stem, extension, { host: HOST_TAG, pid: process.pid }, randomBytes(4).toString('hex')));
}

/** A temporary name beside `path`, to be renamed onto it once complete: readers never see half a file, and a killed writer leaves nothing under the final name. */
export function temporaryPathFor(path: string): string {
  const extension = extname(path);
  return temporaryPath(dirname(path), basename(path, extension), extension.slice(1));
}

/** Pure: whether a temporary last written at `mtimeMs` is left over, at `now`. */
export function isStaleTemporary(mtimeMs: number, now: number, olderThanMs: number): boolean {
  return now - mtimeMs >= olderThanMs;
}

/** What the sweep knows of one entry of a folder. */
export interface SweepCandidate {
  name: string;
  /** lstat's verdict: a regular file (not a folder, not a symlink, not a FIFO). */
  regularFile: boolean;
  mtimeMs: number;
}

export interface SweepPolicy {
  host: string;
  now: number;
  olderThanMs: number;
  /** Also old-scheme names (regular files older than `olderThanMs`): only in folders no user writes to. */
  legacy: boolean;
  /** Whether a process of this host and PID namespace is alive. */
  alive: (pid: number) => boolean;
}

/**
 * Pure: whether the sweep removes this entry. Only regular files carrying the marker: of this host and PID namespace when
 * their writer's process is gone, of another (another machine, another container) when untouched for `olderThanMs` (its
 * processes cannot be asked).
 */
export function shouldSweep(entry: SweepCandidate, policy: SweepPolicy): boolean {
  if (!entry.regularFile) return false;
  const parsed = parseTemporaryName(entry.name);
  if (!parsed) return policy.legacy && OLD_SCHEME.test(entry.name) && isStaleTemporary(entry.mtimeMs, policy.now, policy.olderThanMs);
  if (parsed.host === policy.host) return !policy.alive(parsed.pid);
  return isStaleTemporary(entry.mtimeMs, policy.now, policy.olderThanMs);
}

/**
 * Removes the temporaries in `dir` whose writer is gone (see shouldSweep): regular files only, never a folder, never
 * recursively, never a name without the marker unless `legacy`. Returns the names removed.
 */
export async function sweepTemporaries(dir: string, options: { olderThanMs?: number; now?: number; legacy?: boolean } = {}): Promise<string[]> {
  const policy: SweepPolicy = { host: HOST_TAG, now: options.now ?? Date.now(), olderThanMs: options.olderThanMs ?? STALE_TEMPORARY_MS, legacy: options.legacy ?? false, alive: processAlive };
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed = await Promise.all(
    names
      .filter((name) => isTemporaryName(name) || (policy.legacy && OLD_SCHEME.test(name)))
      .map(async (name) => {
        const path = join(dir, name);
        const info = await lstat(path).catch(() => null);
        if (!info || !shouldSweep({ name, regularFile: info.isFile(), mtimeMs: info.mtimeMs }, policy)) return null;
        // no `recursive`: should the entry have become a folder since the lstat, rm fails instead of emptying it
        return rm(path, { force: true }).then(() => name, () => null);
      }),
  );
  return removed.filter((name): name is string => name !== null);
}

const swept = new Map<string, Promise<unknown>>();

/** sweepTemporaries(dir) once per process: for writers called often (the journal, the probe cache), a readdir each time would cost. */
export function sweepTemporariesOnce(dir: string, options: { legacy?: boolean } = {}): Promise<unknown> {
  let pending = swept.get(dir);
  if (!pending) {
    pending = sweepTemporaries(dir, options).catch(() => []);
    swept.set(dir, pending);
  }
  return pending;
}
