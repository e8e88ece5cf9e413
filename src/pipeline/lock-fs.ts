import { mkdirSync, rmdirSync, statSync, utimesSync } from 'node:fs';

type Callback<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;

/** Runs a sync call and answers a callback on the next tick, as an async fs call would. */
function answer<T>(call: () => T, callback: Callback<T>): void {
  let value: T | undefined;
  let failure: NodeJS.ErrnoException | null = null;
  try {
    value = call();
  } catch (error) {
    failure = error as NodeJS.ErrnoException;
  }
  process.nextTick(() => callback(failure, value));
}

/**
 * The file system proper-lockfile uses (its `fs` option): each of its calls (mkdir, stat, utimes, rmdir, one at a time)
 * made synchronously. A lock call is one syscall of a few microseconds on a local disk; through libuv's thread pool,
 * shared with every job's journal and hashing, it waits its turn: in a batch re-run that wait was most of the lock's
 * cost. One shared object, so the library's cached mtime precision (kept on it) is probed once per process.
 */
export const SYNC_LOCK_FS = {
  mkdir: (path: string, callback: Callback<void>) => answer(() => void mkdirSync(path), callback),
  stat: (path: string, callback: Callback<ReturnType<typeof statSync>>) => answer(() => statSync(path), callback),
  utimes: (path: string, atime: Date, mtime: Date, callback: Callback<void>) => answer(() => utimesSync(path, atime, mtime), callback),
  rmdir: (path: string, callback: Callback<void>) => answer(() => rmdirSync(path), callback),
  rmdirSync: (path: string) => rmdirSync(path),
};
