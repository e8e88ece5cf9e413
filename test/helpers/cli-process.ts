import './isolated-sandbox-dir.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The command line from source (no build needed). */
export const SOURCE_BIN = ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))];
/** The built bundle (npm run build), as users run it. */
export const BUILT_BIN = [fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url))];

/** A command line process of the tool: its output so far, and how it ended. */
export interface CliProcess {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when it has exited: the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to its whole process group (its ffmpeg children die with it, as on a machine that dies). */
  killHard(): void;
}

/** Starts `seedance-preflight ARGS` in its own process group with `env` added to this process's environment. */
export function startCli(args: string[], env: Record<string, string | undefined>, options: { bin?: string[]; cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [...(options.bin ?? SOURCE_BIN), ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    killHard: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Resolves once `test` holds, checking every `everyMs`; rejects with `what` and `detail()` after `timeoutMs`. */
export async function waitFor(test: () => boolean | Promise<boolean>, what: string, options: { timeoutMs: number; everyMs?: number; detail?: () => string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.detail ? `: ${options.detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/** What `sandbox --json` prints. */
export interface SandboxSettings {
  apiBaseUrl: string;
  s3Endpoint: string;
  bucket: string;
  /** The sandbox folder its objects, tasks and key live in. */
  sandboxDir: string;
  env: Record<string, string>;
}

/** The sandbox as its own process (so it outlives the workers under test), keeping its store in `directory`. */
export async function startSandboxProcess(options: { directory: string; taskDurationSeconds: number; bin?: string[] }): Promise<{ settings: SandboxSettings; process: CliProcess; stop(): Promise<void> }> {
  const sandbox = startCli(['--json', 'sandbox', '--task-duration', String(options.taskDurationSeconds), '--directory', options.directory], {}, { bin: options.bin });
  try {
    await waitFor(() => sandbox.stdout().trimEnd().endsWith('}'), 'the sandbox settings', { timeoutMs: 60_000, detail: sandbox.stderr });
  } catch (error) {
    sandbox.killHard();
    throw error;
  }
  return {
    settings: JSON.parse(sandbox.stdout()) as SandboxSettings,
    process: sandbox,
    async stop() {
      sandbox.child.kill('SIGTERM');
      await sandbox.exited;
    },
  };
}

/** Peak resident memory of a live process so far (VmHWM, kB → MB); null once it has gone. */
export async function peakRssMB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const match = status?.match(/^VmHWM:\s+(\d+) kB$/m);
  return match ? Number(match[1]) / 1024 : null;
}
