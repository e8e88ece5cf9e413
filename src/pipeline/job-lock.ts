import { hostname } from 'node:os';
import { closeSync, constants, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
// proper-lockfile 4.1.2 (MIT, pure JavaScript, no engines bound: runs on Node 20): an atomic mkdir, an mtime heartbeat,
// a stale lock taken over, a callback when the lock is compromised, locks released on process exit (signal-exit); made
// "for a local or network file system" (no flock, no O_EXCL, no native code). Its lock is a folder it removes with
// rmdir, and a write inside would change the mtime it reads as its heartbeat: the holder's record lives beside it.
import lockfile from 'proper-lockfile';
import { SYNC_LOCK_FS } from './lock-fs.js';
import { pidNamespace, processAlive } from '../shared/process-alive.js';
import { readOwnRecord } from '../shared/read-own-record.js';
import { heartbeatMs, holderIsDead, type JobBusy, type LockHolder } from './lock-holder.js';

/** The lock folder in the job's work folder (where its journal lives): every process that runs the job meets there. */
export const LOCK_DIR = 'job.lock';
/** The holder's record, beside the lock folder. */
export const HOLDER_FILE = 'job.lock.holder.json';

/** A job's lock, held: kept alive by a heartbeat until released. */
export interface JobLock {
  holder: LockHolder;
  /** Fires when the lock is lost (its heartbeat failed for longer than the staleness, or its folder was removed): stop before any create. */
  lost: AbortSignal;
  /**
   * Whether the lock is still this holder's (its folder the one it made, its record its own); when not, `lost` fires.
   * Called right before a create: two processes that took over one stale lock at once both believe they hold it,
   * until the heartbeat of one finds out; this finds out at once.
   */
  verify(): Promise<boolean>;
  /** Gives the lock back, and its record (a lost lock's are left to whoever holds it now). */
  release(): Promise<void>;
}

export type LockAttempt = { ok: true; lock: JobLock } | { ok: false; busy: JobBusy };

export interface LockJobOptions {
  /** The command holding it (commandSummary: no flags, no secrets). */
  command: string;
  /** A lock whose heartbeat is older than this is taken over. */
  staleMs: number;
}

/** A lock the holder already released while a second process looked: tried again this many times. */
const RELEASED_MEANWHILE_TRIES = 3;

/**
 * Takes the lock of the job whose work folder is `workDir` (made when missing), once, without waiting: either it is
 * this process's, or another holds it and the answer says who. A busy answer writes nothing; a holder that died on
 * this machine has its lock made stale and taken over at once.
 */
export async function lockJob(workDir: string, options: LockJobOptions): Promise<LockAttempt> {
  const lockPath = join(workDir, LOCK_DIR);
  const here = { host: hostname(), pid: process.pid, pidNamespace: pidNamespace() };
  for (let tries = 1; ; tries++) {
    const lost = new AbortController();
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(workDir, {
        lockfilePath: lockPath,
        realpath: false,
        stale: options.staleMs,
        update: heartbeatMs(options.staleMs),
        retries: 0,
        fs: SYNC_LOCK_FS,
        // the default throws from a timer, ending the process; a lost lock stops the job at its next step instead
        onCompromised: (error) => lost.abort(`the job's lock was lost (${error.message}): another process may run it now`),
      });
    } catch (error) {
      // a job's first run: its work folder is made here (only then, so a re-run costs no mkdir)
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && tries < RELEASED_MEANWHILE_TRIES) {
        await mkdir(workDir, { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const seen = await inspectLock(workDir);
      const busy = seen && busyFrom(seen, lockPath, options.staleMs);
      if (seen?.holder && tries < RELEASED_MEANWHILE_TRIES && holderIsDead(seen.holder, here, processAlive)) {
        // its holder was killed on this machine (SIGKILL, out of memory): its lock is made stale for the library to take
        // over, unless another process took it over meanwhile (without birth times its new folder, not yet recorded, shows
        // the dead record): then the loop looks again
        const again = await inspectLock(workDir);
        if (again && sameLockState(seen, again)) await utimes(lockPath, new Date(0), new Date(0)).catch(() => undefined);
        continue;
      }
      if (busy || tries >= RELEASED_MEANWHILE_TRIES) return { ok: false, busy: busy ?? { lock: lockPath, holder: null, heartbeatAgeMs: 0, staleAfterMs: options.staleMs } };
      continue;
    }
    const holder: LockHolder = { host: here.host, pid: here.pid, startedAt: new Date().toISOString(), command: options.command, pidNamespace: here.pidNamespace };
    const holderPath = join(workDir, HOLDER_FILE);
    let made: number;
    try {
      made = statSync(lockPath).birthtimeMs;
      writeHolder(holderPath, holder);
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
    const isMine = (record: LockHolder | null) => record?.pid === holder.pid && record.startedAt === holder.startedAt && record.host === holder.host;
    return {
      ok: true,
      lock: {
        holder,
        lost: lost.signal,
        async release() {
          // a lost lock may be another holder's by now: its folder and record are left to it
          if (lost.signal.aborted) return;
          // the record goes first, while the lock still keeps every other process from writing its own
          rmSync(holderPath, { force: true });
          await release().catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ERELEASED') throw error;
          });
        },
        async verify() {
          if (lost.signal.aborted) return false;
          const now = await stat(lockPath).catch(() => null);
          // a folder made later than this holder's (birth times, where the file system keeps them), or another's record
          if (now && now.birthtimeMs === made && isMine(await readHolder(holderPath))) return true;
          lost.abort(`the job's lock was taken over by another process: it runs the job now`);
          return false;
        },
      },
    };
  }
}

/** What a second process sees of a lock: its folder's identity and heartbeat, and the holder recorded for it. */
export interface LockState {
  ino: number;
  birthtimeMs: number;
  mtimeMs: number;
  /** Null when not recorded (yet), unreadable, or older than the folder. */
  holder: LockHolder | null;
}

/** Pure: whether a lock is the same one, untouched, on a second look (folder, heartbeat and record all unchanged). */
export function sameLockState(first: LockState, again: LockState): boolean {
  return first.ino === again.ino && first.birthtimeMs === again.birthtimeMs && first.mtimeMs === again.mtimeMs && JSON.stringify(first.holder) === JSON.stringify(again.holder);
}

/** The lock as it is now, or null when it was released meanwhile. */
async function inspectLock(workDir: string): Promise<LockState | null> {
  const lockStat = await stat(join(workDir, LOCK_DIR)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!lockStat) return null;
  const holder = await readHolder(join(workDir, HOLDER_FILE));
  // a record older than the lock folder is a dead holder's, not yet replaced by the new one
  const current = holder && Date.parse(holder.startedAt) >= lockStat.birthtimeMs - 1000 ? holder : null;
  return { ino: lockStat.ino, birthtimeMs: lockStat.birthtimeMs, mtimeMs: lockStat.mtimeMs, holder: current };
}

function busyFrom(state: LockState, lockPath: string, staleMs: number): JobBusy {
  return { lock: lockPath, holder: state.holder, heartbeatAgeMs: Math.max(0, Date.now() - state.mtimeMs), staleAfterMs: staleMs };
}

/** Who holds the lock now, or null when it was released meanwhile. */
export async function readBusy(workDir: string, staleMs: number): Promise<JobBusy | null> {
  const state = await inspectLock(workDir);
  return state && busyFrom(state, join(workDir, LOCK_DIR), staleMs);
}

// O_EXCL after the unlink: a new regular file, never a link's target or a FIFO planted under the name by the job's folder
const HOLDER_WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Writes the holder's record, while holding the lock: whatever lies under its name goes first (unlink removes a link
 * itself, never its target). One small write, no temporary: a reader that meets it half-written reads "not recorded
 * yet", as before it existed.
 */
function writeHolder(path: string, holder: LockHolder): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fd = openSync(path, HOLDER_WRITE_FLAGS, 0o666);
  try {
    writeSync(fd, `${JSON.stringify(holder, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The holder's record; null when there is none to trust (missing, half-written, a link, a FIFO, too long, malformed). */
async function readHolder(path: string): Promise<LockHolder | null> {
  const text = await readOwnRecord(path);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.host === 'string' && typeof value.pid === 'number' && typeof value.startedAt === 'string' && typeof value.command === 'string' ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}
