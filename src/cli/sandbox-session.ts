import { displayPath, displayPathsIn } from '../shared/display-path.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { terminalOf } from './terminal/terminal.js';

/** --sandbox and --sandbox-dir as a command gives them. */
export interface SandboxChoice {
  sandbox?: boolean;
  sandboxDir?: string;
}

/** The --sandbox-dir flag, for every command that takes --sandbox. */
export const SANDBOX_DIR_FLAG = ['--sandbox-dir <dir>', 'with --sandbox: the folder the sandbox keeps its objects, tasks and key in, across runs (default $SEEDANCE_SANDBOX_DIR, else <cache folder>/sandbox)'] as const;

/**
 * Runs `work` with the environment, first starting the local sandbox in-process when asked (and closing it after).
 * Its state lives in the sandbox folder, so a re-run finds the objects and tasks of the run it resumes. A folder held
 * by a `sandbox` process is used through that process; held by another --sandbox run, it is busy (exit 75).
 */
export async function withOptionalSandbox<T>(choice: SandboxChoice, io: CliIo, work: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T | number> {
  const { sandbox: enabled, sandboxDir } = choice;
  if (sandboxDir !== undefined && !enabled) throw new UsageError('--sandbox-dir needs --sandbox');
  if (!enabled) return work(io.env);
  const [{ startSandbox, sandboxEnv }, { sandboxDirFrom, sandboxLayout }, { claimSandboxDir, sandboxBusyMessage }, { readKey }] = await Promise.all([
    import('../sandbox/start-sandbox.js'),
    import('../sandbox/sandbox-dir.js'),
    import('../sandbox/sandbox-lock.js'),
    import('../sandbox/sandbox-key.js'),
  ]);
  const dir = sandboxDirFrom(io.env, sandboxDir, io.cwd);
  const shown = displayPath(dir, io.cwd);
  const claim = await claimSandboxDir(dir, io.env).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot use the sandbox folder ${shown} (${error.code ?? error.message}): give --sandbox-dir a writable folder`);
  });
  if (!claim.ok) {
    const running = claim.running;
    const key = running?.kind === 'sandbox' && running.keyStored ? await readKey(sandboxLayout(dir).key) : null;
    if (running?.kind === 'sandbox' && !key) {
      // its key was given on its command line and is written nowhere: only its printed settings carry it
      io.stderr(`seedance-preflight: busy: the sandbox folder ${shown} is held by the sandbox process ${running.pid}, started with its own --api-key: run without --sandbox, with the settings that process printed\n`);
      return EXIT.busy;
    }
    if (!running || !key) {
      io.stderr(`seedance-preflight: ${sandboxBusyMessage(shown, claim.busy)}\n`);
      return EXIT.busy;
    }
    terminalOf(io).info(`sandbox: using the sandbox process ${running.pid} that holds ${shown}: S3 store at ${running.s3Endpoint}, API simulator at ${running.apiBaseUrl}\n`);
    return work({ ...io.env, ...sandboxEnv({ apiBaseUrl: running.apiBaseUrl, apiKey: key, bucket: running.bucket, s3Endpoint: running.s3Endpoint }) });
  }
  let sandbox;
  try {
    sandbox = await startSandbox({ taskDurationMs: 3000, stateDir: dir });
    await claim.held.publish({ pid: process.pid, kind: 'in-process', apiBaseUrl: sandbox.apiBaseUrl, s3Endpoint: sandbox.s3.endpoint, bucket: sandbox.bucket, keyStored: true });
  } catch (error) {
    await sandbox?.close();
    await claim.held.release();
    throw new UsageError(`cannot start the sandbox in ${shown}: ${displayPathsIn((error as Error).message, io.cwd)}`);
  }
  terminalOf(io).info(`sandbox: S3 store at ${sandbox.s3.endpoint}, API simulator at ${sandbox.apiBaseUrl} (in-process until this command ends; objects and tasks kept in ${shown})\n`);
  try {
    return await work({ ...io.env, ...sandbox.env });
  } finally {
    await sandbox.close();
    await claim.held.release();
  }
}
