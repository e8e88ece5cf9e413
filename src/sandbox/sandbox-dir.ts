import { join, resolve } from 'node:path';
import { defaultCacheDir } from '../probe/probe-cache.js';
import { TASKS_FILE } from './task-store.js';

/** Where `--sandbox` and `sandbox` keep their state when no --sandbox-dir is given. */
export const SANDBOX_DIR_ENV = 'SEEDANCE_SANDBOX_DIR';

/** The sandbox folder: --sandbox-dir, else $SEEDANCE_SANDBOX_DIR, else <cache folder>/sandbox (so it survives runs). */
export function sandboxDirFrom(env: NodeJS.ProcessEnv, flag: string | undefined, cwd: string): string {
  if (flag !== undefined && flag !== '') return resolve(cwd, flag);
  if (env[SANDBOX_DIR_ENV]) return resolve(cwd, env[SANDBOX_DIR_ENV]);
  return join(defaultCacheDir(env), 'sandbox');
}

/** What a sandbox folder holds: the store's objects, the simulator's tasks, the key, the ports of last time. */
export function sandboxLayout(dir: string) {
  return {
    store: join(dir, 'store'),
    tasks: join(dir, TASKS_FILE),
    key: join(dir, 'api-key'),
    ports: join(dir, 'ports.json'),
    /** The endpoints of the process that holds the folder now, for a second command to use (see sandbox-lock.ts). */
    running: join(dir, 'running.json'),
  };
}
