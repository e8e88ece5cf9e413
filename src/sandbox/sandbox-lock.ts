import { readFile, rm } from 'node:fs/promises';
import { lockJob, type JobLock } from '../pipeline/job-lock.js';
import { commandSummary, describeHolder, lockStaleMs, DEFAULT_LOCK_STALE_SECONDS, type JobBusy } from '../pipeline/lock-holder.js';
import { writeAtomically } from '../shared/write-atomically.js';
import { sandboxLayout } from './sandbox-dir.js';

/** What the process holding a sandbox folder publishes there, so a second command can use its sandbox instead of its own. */
export interface RunningSandbox {
  pid: number;
  /** `sandbox`: a long-running `sandbox` command (usable by others); `in-process`: a --sandbox run (gone when it ends). */
  kind: 'sandbox' | 'in-process';
  apiBaseUrl: string;
  s3Endpoint: string;
  bucket: string;
  /** Whether its key is the folder's key file (not one given with --api-key, which is written nowhere). */
  keyStored: boolean;
}

export interface HeldSandboxDir {
  publish(running: RunningSandbox): Promise<void>;
  /** Removes the published record, then gives the folder back. */
  release(): Promise<void>;
}

export type SandboxDirClaim = { ok: true; held: HeldSandboxDir } | { ok: false; busy: JobBusy; running: RunningSandbox | null };

/**
 * One process per sandbox folder: two simulators writing one task file, or two stores one folder, would lose tasks.
 * The lock is the job lock's (heartbeat, a dead holder taken over at once on this machine).
 */
export async function claimSandboxDir(dir: string, env: NodeJS.ProcessEnv): Promise<SandboxDirClaim> {
  const stale = lockStaleMs(env);
  const layout = sandboxLayout(dir);
  const attempt = await lockJob(dir, { command: commandSummary(process.argv), staleMs: stale.ok ? stale.ms : DEFAULT_LOCK_STALE_SECONDS * 1000 });
  if (!attempt.ok) {
    const running = await readRunning(layout.running);
    // a record left by an earlier holder is not this holder's
    return { ok: false, busy: attempt.busy, running: running && running.pid === attempt.busy.holder?.pid ? running : null };
  }
  const lock: JobLock = attempt.lock;
  return {
    ok: true,
    held: {
      publish: (running) => writeAtomically(layout.running, `${JSON.stringify(running, null, 2)}\n`),
      async release() {
        await rm(layout.running, { force: true });
        await lock.release();
      },
    },
  };
}

async function readRunning(file: string): Promise<RunningSandbox | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<RunningSandbox>;
    const ok = typeof data.pid === 'number' && (data.kind === 'sandbox' || data.kind === 'in-process') && typeof data.apiBaseUrl === 'string' && typeof data.s3Endpoint === 'string' && typeof data.bucket === 'string';
    return ok ? ({ ...data, keyStored: data.keyStored === true } as RunningSandbox) : null;
  } catch {
    return null;
  }
}

/** The one line said when a sandbox folder is held by a process whose sandbox cannot be shared. */
export function sandboxBusyMessage(dir: string, busy: JobBusy): string {
  return `busy: the sandbox folder ${dir} is in use by ${describeHolder(busy)}; run \`seedance-preflight sandbox\` in another shell to share one sandbox between commands, or give this one its own folder with --sandbox-dir DIR`;
}
