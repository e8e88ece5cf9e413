import { basename, dirname, join } from 'node:path';
import { NETWORK_CODES, NETWORK_SYSCALLS } from './network-codes.js';
import { parseTemporaryName } from './temp-file.js';

/** What node:fs (or a process's stderr, read back) says about a failed file operation: its errno name, the call, the paths. */
export interface FsErrorFacts {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  /** For ENOTDIR: the part of the path that is a file (found by the shell, which can stat). */
  fileInTheWay?: string;
}

/** The file system holding a path: its mount point and, when statfs answered, its room. */
export interface DiskFacts {
  mount: string;
  freeBytes: number | null;
  totalBytes: number | null;
}

/** One line of what happened and where, and what to do: never a stack, never an errno number alone. */
export interface FsErrorDescription {
  message: string;
  hint: string;
}

/** Calls of node:fs (and the fs side of a spawn): an errno error naming one of them is about a file even when it names no path. */
const FS_SYSCALLS: ReadonlySet<string> = new Set([
  'open', 'close', 'read', 'write', 'mkdir', 'mkdtemp', 'rename', 'stat', 'lstat', 'fstat', 'statfs', 'scandir', 'opendir', 'readdir',
  'unlink', 'rmdir', 'rm', 'copyfile', 'cp', 'realpath', 'symlink', 'link', 'readlink', 'access', 'chmod', 'fchmod', 'chown', 'fchown',
  'utime', 'futime', 'lutime', 'truncate', 'ftruncate', 'fsync', 'fdatasync', 'watch',
]);

/**
 * The errno facts of a node:fs error ("ENOSPC", "open", the path), or null for anything else: Node's own codes (ERR_…),
 * a network failure (ECONNREFUSED from Redis or the API is no file's fault), an errno error naming neither a path nor a
 * file-system call.
 */
export function fsErrorFacts(error: unknown): FsErrorFacts | null {
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown } | null | undefined;
  // errno names are E + capitals; Node's own codes (ERR_…) are not file-system failures
  if (typeof e?.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code) || NETWORK_CODES.has(e.code)) return null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const facts = { code: e.code, syscall: text(e.syscall), path: text(e.path), dest: text(e.dest) };
  if (facts.syscall !== undefined && NETWORK_SYSCALLS.has(facts.syscall)) return null;
  return facts.path !== undefined || (facts.syscall !== undefined && FS_SYSCALLS.has(facts.syscall)) ? facts : null;
}

/** The verb of a system call as the message says it: "writing", "creating the folder". */
function doing(syscall: string | undefined): string {
  switch (syscall) {
    case 'mkdir':
      return 'creating the folder';
    case 'open':
      return 'opening';
    case 'read':
    case 'stat':
    case 'lstat':
    case 'fstat':
    case 'statfs':
      return 'reading';
    case 'scandir':
    case 'opendir':
      return 'listing';
    case 'rename':
      return 'renaming';
    case 'unlink':
    case 'rmdir':
    case 'rm':
      return 'removing';
    case 'copyfile':
      return 'copying';
    case 'realpath':
      return 'resolving';
    case 'symlink':
    case 'link':
      return 'linking';
    default:
      return 'writing';
  }
}

/** A temporary's name → the file it becomes (".journal.spf-….partial.json" → "journal.json"): a user knows the file being written, not its temporary name. */
export function shownPath(path: string): string {
  const temporary = parseTemporaryName(basename(path));
  // a report's assets folder is built as "<name>.<pid>.partial" and renamed
  if (!temporary) return path.replace(/\.\d+\.partial$/, '');
  // rest: the final extension, then what a writer derived from the temporary (".jpg.decoded.png")
  const extension = temporary.rest.split('.')[0];
  return join(dirname(path), extension ? `${temporary.stem}.${extension}` : temporary.stem);
}

/** Failures that belong to the file being written, not the one read. */
const WRITE_SIDE: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG', 'ENOTDIR', 'EEXIST', 'EISDIR', 'ENAMETOOLONG']);

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 2097152 → "2.0 MiB"; bytes below 1 KiB as they are. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "/mnt/x: 0 B free of 2.0 MiB", or the mount point alone when statfs gave nothing. */
function room(disk: DiskFacts): string {
  if (disk.freeBytes === null || disk.totalBytes === null) return `file system ${disk.mount}`;
  return `file system ${disk.mount}: ${formatBytes(disk.freeBytes)} free of ${formatBytes(disk.totalBytes)}`;
}

/** The longest part of a path, in bytes (what ENAMETOOLONG is about, usually). */
function longestPart(path: string): number {
  return Math.max(0, ...path.split('/').map((part) => Buffer.byteLength(part)));
}

/**
 * Pure: a failed file operation in one line with what to do. `disk` (the mount point and room of the folder written)
 * names the disk when it is full. The output flags named in hints are the ones that choose where things are written.
 */
export function describeFsError(facts: FsErrorFacts, disk: DiskFacts | null = null): FsErrorDescription {
  // a copy or rename that failed on the writing side failed at its destination (node names the source first)
  const written = facts.dest !== undefined && WRITE_SIDE.has(facts.code) ? facts.dest : facts.path;
  const path = written ? shownPath(written) : null;
  const what = path ?? 'a file';
  const folder = path ? dirname(path) : null;
  const verb = doing(facts.syscall);
  switch (facts.code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      const full = facts.code === 'ENOSPC' ? 'no space left' : 'the disk quota is used up';
      const where = folder ? ` on the disk holding ${folder}` : '';
      const detail = [path ? `${verb} ${path}` : null, disk ? room(disk) : null].filter(Boolean).join('; ');
      const freeOn = disk?.mount ?? folder ?? 'the disk';
      return {
        message: `${full}${where}${detail ? ` (${detail})` : ''}`,
        hint: `free space on ${freeOn}${facts.code === 'EDQUOT' ? ' (within your quota)' : ''}, or choose another --out/--work folder on a disk with room; then run again`,
      };
    }
    case 'EROFS':
      return { message: `${what} is on a read-only file system`, hint: 'choose another --out/--work folder, on a writable disk, or remount that disk read-write' };
    case 'EACCES':
    case 'EPERM':
      return { message: `permission denied ${verb} ${what}${facts.dest ? ` to ${shownPath(facts.dest)}` : ''}`, hint: `check the permissions of ${what} and of its folder (ls -ld), or choose another path` };
    case 'EEXIST':
      if (facts.syscall === 'mkdir') return { message: `${what} is a file, not a folder`, hint: 'name a folder there (or a path that does not exist yet), or move the file away' };
      return { message: `${what} already exists`, hint: 'move it away, or choose another name' };
    case 'ENOTDIR':
      if (facts.fileInTheWay === facts.path || (!facts.fileInTheWay && (facts.syscall === 'scandir' || facts.syscall === 'opendir'))) return { message: `${what} is a file, not a folder`, hint: 'name a folder there' };
      if (facts.fileInTheWay) return { message: `${facts.fileInTheWay} is a file, not a folder (in the way of ${what})`, hint: 'name a path under a folder, or move the file away' };
      return { message: `a part of ${what} is a file, not a folder`, hint: 'check the path: every part before the last must be a folder' };
    case 'EISDIR':
      return { message: path ? `${path} is a folder, not a file` : 'a folder stands where a file belongs', hint: 'name a file there (or a path that does not exist yet)' };
    case 'ENOENT':
      return { message: `${what} does not exist`, hint: 'check the path; if it was there, something removed it while the command ran' };
    case 'ENAMETOOLONG':
      return { message: `a name in ${what} is too long for the file system (its longest part is ${longestPart(what)} bytes; most file systems allow 255)`, hint: 'shorten that file or folder name' };
    case 'ELOOP':
      return { message: `${what} is a symbolic link where a real file or folder is required, or a loop of links`, hint: 'replace the link with what it points to' };
    case 'EMFILE':
    case 'ENFILE':
      return { message: `too many open files (${facts.code === 'EMFILE' ? "this process's limit" : "the system's limit"}) ${verb} ${what}`, hint: 'raise the limit (ulimit -n 4096) or lower --concurrency' };
    case 'ENOMEM':
      return { message: `out of memory ${verb} ${what}`, hint: 'free memory, or lower --concurrency' };
    case 'EFBIG':
      return { message: `${what} grew larger than its file system allows`, hint: 'choose another --out/--work folder, on a disk whose file system holds larger files' };
    case 'EIO':
      return { message: `input/output error ${verb} ${what}: the disk or network file system failed`, hint: 'check the disk (dmesg) and its connection, then run again' };
    case 'EBUSY':
    case 'ETXTBSY':
      return { message: `${what} is busy: another process holds it`, hint: 'wait for that process to end, then run again' };
    case 'ESTALE':
      return { message: `${what} is on a network file system whose server no longer knows it (stale file handle)`, hint: 'remount the network file system, then run again' };
    case 'EXDEV':
      return { message: `${what} cannot be moved to ${facts.dest ?? 'its destination'}: they are on different disks`, hint: 'keep the output and work folders on one disk' };
    case 'ENXIO':
    case 'ENODEV':
      return { message: `${what} is a device or socket, not a file`, hint: 'name a regular file there' };
    default:
      return { message: `${verb} ${what} failed (${facts.code})`, hint: 'check the path and the disk, then run again' };
  }
}

/** What a tool prints when the disk refuses its writes (strerror's words), by errno name. */
const REFUSED_WRITES: readonly [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/File too large/i, 'EFBIG'],
];

/** Pure: the errno name a tool's error text gives for a write the disk refused (ffmpeg's "…: No space left on device", libvips' "system error: …"), or null. */
export function refusedWriteIn(text: string): string | null {
  return REFUSED_WRITES.find(([words]) => words.test(text))?.[1] ?? null;
}

/** Codes of a write the disk refused: the environment's fault, never the source file's. */
export const REFUSED_WRITE_CODES: ReadonlySet<string> = new Set(REFUSED_WRITES.map(([, code]) => code));
