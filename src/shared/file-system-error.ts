import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { diskOf } from './disk-of.js';
import { describeFsError, fsErrorFacts, refusedWriteIn, REFUSED_WRITE_CODES, type DiskFacts, type FsErrorFacts } from './describe-fs-error.js';
import { PreflightError } from './errors.js';

/** A file operation the environment refused (a full disk, a permission, a file where a folder belongs): one line and what to do. */
export class FileSystemError extends PreflightError {
  readonly kind = 'file-system';
  declare readonly hint: string;
  /** The errno name: ENOSPC, EACCES, … */
  readonly code: string;
  /** The path the operation failed on, as node named it (a temporary name included). */
  readonly path: string | undefined;

  constructor(facts: FsErrorFacts, disk: DiskFacts | null, cause?: unknown) {
    const { message, hint } = describeFsError(facts, disk);
    super(message, { hint, cause });
    this.code = facts.code;
    this.path = facts.path;
  }
}

/** Codes that say the disk is out of room: the disk is named, with what is left on it. */
const DISK_FULL: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

/** The first part of `path` that exists and is not a folder (what ENOTDIR is about), or undefined. */
async function fileOnPath(path: string): Promise<string | undefined> {
  const parts = resolve(path).split(sep);
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(sep);
    const info = await stat(prefix).catch(() => null);
    if (!info) return undefined;
    if (!info.isDirectory()) return prefix;
  }
  return undefined;
}

/** Why the nearest existing folder above `path` refuses writes (EROFS, EACCES), or undefined when it does not. */
async function writeRefusalAbove(path: string): Promise<string | undefined> {
  let at = dirname(resolve(path));
  while (!(await stat(at).then((info) => info.isDirectory(), () => false))) {
    if (dirname(at) === at) return undefined;
    at = dirname(at);
  }
  return access(at, constants.W_OK).then(() => undefined, (error: NodeJS.ErrnoException) => error.code);
}

/**
 * A node:fs error as a FileSystemError (the disk looked up when it is full); null when `error` is no errno error.
 * `writing`: the file being written, for errors that name none (a write on an open handle carries no path).
 */
export async function fileSystemError(error: unknown, writing?: string): Promise<FileSystemError | null> {
  if (error instanceof FileSystemError) return error;
  const facts = fsErrorFacts(error);
  if (!facts) return null;
  return fileSystemErrorOf(facts.path === undefined && writing !== undefined ? { ...facts, path: writing } : facts, error);
}

/** A FileSystemError from known facts (an ffmpeg's "No space left on device" read back, say). */
export async function fileSystemErrorOf(facts: FsErrorFacts, cause?: unknown): Promise<FileSystemError> {
  // a recursive mkdir refused by a read-only or unwritable folder says ENOENT: the nearest folder that exists tells why
  if (facts.code === 'ENOENT' && facts.syscall === 'mkdir' && facts.path) {
    const refused = await writeRefusalAbove(facts.path);
    if (refused) return fileSystemErrorOf({ ...facts, code: refused }, cause);
  }
  const written = facts.dest ?? facts.path;
  const disk = DISK_FULL.has(facts.code) && written ? await diskOf(written) : null;
  const fileInTheWay = facts.code === 'ENOTDIR' && written ? await fileOnPath(written) : undefined;
  return new FileSystemError(fileInTheWay ? { ...facts, fileInTheWay } : facts, disk, cause);
}

/**
 * The disk's refusal of a write (full, over quota, read-only, file too large) in `error`, as a FileSystemError naming
 * the disk; `writing` is the file being written when the error does not name one (a process's stderr, sharp's message).
 * Null for any other failure: those stay the caller's to describe.
 */
export async function refusedWriteError(error: unknown, writing: string): Promise<FileSystemError | null> {
  if (error instanceof FileSystemError) return error;
  const facts = fsErrorFacts(error);
  if (facts) return REFUSED_WRITE_CODES.has(facts.code) ? fileSystemError(error, writing) : null;
  const text = [(error as { stderrTail?: unknown })?.stderrTail, (error as Error | null)?.message].filter((part): part is string => typeof part === 'string').join('\n');
  const code = refusedWriteIn(text);
  return code ? fileSystemErrorOf({ code, syscall: 'write', path: writing }, error) : null;
}
