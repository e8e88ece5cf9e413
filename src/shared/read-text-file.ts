import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PreflightError } from './errors.js';
import { locateInFolder, realLocation } from './inside-folder.js';

/** Why a text input was refused: scripts switch on it, messages name it. */
export type InputFileProblem = 'missing' | 'not-regular' | 'outside' | 'too-large' | 'unreadable';

/** A text input (request file, prompt.txt, profile) that was not read: one line naming the file, the rule and what to do. */
export class InputFileError extends PreflightError {
  readonly kind = 'input-file';
  constructor(
    readonly path: string,
    readonly problem: InputFileProblem,
    /** What is wrong, said of the file: "is a named pipe (FIFO), not a regular file". */
    readonly clause: string,
    /** What to do, when there is something to say: "replace it with a regular file". */
    readonly fix: string | null,
    what: string,
    cause?: unknown,
  ) {
    super(`${what} ${path} ${clause}${fix ? `; ${fix}` : ''}`, { cause });
  }

  /** The problem said of "it", for messages that name the file already: "it is a named pipe (FIFO), not a regular file". */
  get detail(): string {
    return `it ${this.clause}`;
  }
}

export interface ReadTextFileOptions {
  /** What the file is, for messages: "request file", "prompt file", "profile". */
  what: string;
  /** At most this many bytes are read; a longer file is refused, not cut. */
  maxBytes: number;
  /** The job's folder: the file must resolve (symlinks included) inside it. Absent: anywhere (an explicit --profile, or --allow-outside-paths). */
  jobDir?: string;
}

/** Where Linux mounts its pseudo-file systems: /proc/self/environ states size 0 and holds every secret of the process. */
const KERNEL_FILE_SYSTEMS = ['/proc/', '/sys/', '/dev/'];

// O_NONBLOCK: a regular file swapped for a FIFO between the stat and the open cannot block the open; O_NOFOLLOW: nor for a link
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads a text input the way media are read: resolved inside the job, a regular file (checked before opening and again on
 * the open handle), and at most `maxBytes`. Nothing that is refused is read, so nothing of it can be printed or sent.
 */
export async function readTextFile(path: string, options: ReadTextFileOptions): Promise<string> {
  const { what, maxBytes } = options;
  let real: string;
  if (options.jobDir !== undefined) {
    const where = locateInFolder(path, options.jobDir);
    if (!where.inside) {
      throw new InputFileError(path, 'outside', `resolves to ${where.resolved}, outside the job's folder ${options.jobDir}`, 'a job reads files only from inside its own folder: move the file into it', what);
    }
    real = where.resolved;
  } else {
    real = realLocation(path);
  }
  // even where the folder allows it (--allow-outside-paths, --profile): a kernel's pseudo-file holds the system's state, never a user's text
  if (KERNEL_FILE_SYSTEMS.some((root) => real.startsWith(root))) {
    throw new InputFileError(path, 'not-regular', `resolves to ${real}, a kernel file (/proc, /sys, /dev), not a text file`, 'give a regular file you wrote', what);
  }
  let before: Stats;
  try {
    before = await stat(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new InputFileError(path, 'unreadable', 'is a loop of symbolic links', 'replace it with a regular file', what, error);
    throw accessError(path, what, error);
  }
  refuseSpecial(path, what, before);
  refuseLarge(path, what, before.size, maxBytes);
  let handle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch (error) {
    throw accessError(path, what, error);
  }
  try {
    const opened = await handle.stat();
    refuseSpecial(path, what, opened);
    if (opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new InputFileError(path, 'unreadable', 'was replaced while it was being opened', 'run again once nothing is changing it', what);
    }
    return (await readBounded(handle, path, what, maxBytes)).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads up to maxBytes + 1: the extra byte tells a file that is too long (a /proc file states size 0) from one that fits. */
async function readBounded(handle: Awaited<ReturnType<typeof open>>, path: string, what: string, maxBytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null);
    if (bytesRead === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    total += bytesRead;
    if (total > maxBytes) refuseLarge(path, what, total, maxBytes, true);
  }
  return Buffer.concat(chunks, total);
}

function refuseSpecial(path: string, what: string, stats: Stats): void {
  if (stats.isFile()) return;
  throw new InputFileError(path, 'not-regular', `is ${fileTypeOf(stats)}, not a regular file`, 'text inputs are read only from regular files: replace it with one', what);
}

function refuseLarge(path: string, what: string, size: number, maxBytes: number, readPastLimit = false): void {
  if (size <= maxBytes) return;
  const actual = readPastLimit ? 'longer than' : `${size.toLocaleString('en-US')} bytes, over`;
  throw new InputFileError(path, 'too-large', `is ${actual} the ${formatBytes(maxBytes)} a ${what} may hold`, 'shorten it', what);
}

function accessError(path: string, what: string, error: unknown): InputFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputFileError(path, 'missing', 'does not exist', null, what, error);
  // O_NOFOLLOW met a link: the file was swapped for one after it was resolved
  if (code === 'ELOOP') return new InputFileError(path, 'unreadable', 'was replaced by a symbolic link while it was being opened', 'run again once nothing is changing it', what, error);
  return new InputFileError(path, 'unreadable', `cannot be read (${code ?? (error as Error).message})`, null, what, error);
}

/** What a non-regular file is, in words. */
export function fileTypeOf(stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'>): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/** "64 KiB", "4 MiB", else exact bytes: the bounds are powers of two and read best that way. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}
