import { spawn } from 'node:child_process';
import { CancelledError } from './cancel.js';
import { PreflightError } from './errors.js';
import { verboseEnabled } from './verbose-log.js';
import { watchProcess } from './verbose-process.js';

/** ffmpeg and ffprobe read "file:" paths literally: a name starting with "-" or holding ":" is never taken as an option or protocol. */
export function fileArg(path: string): string {
  return `file:${path}`;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the process after this many milliseconds. */
  timeoutMs?: number;
  /** Asked every `stallCheckMs`: true kills the process as stalled (it stopped making progress). */
  isStalled?: (now: number) => boolean;
  stallCheckMs?: number;
  /** Called with each chunk of stdout as it arrives (for progress parsing). */
  onStdout?: (chunk: string) => void;
  /** Stop collecting stdout past this many bytes (the process is killed). */
  maxStdoutBytes?: number;
  /** Hand stdout to onStdout only, without keeping it (long ffmpeg -progress streams). */
  discardStdout?: boolean;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const STDERR_TAIL_BYTES = 4000;
const DEFAULT_MAX_STDOUT = 64 * 1024 * 1024;

/** A process that failed or timed out; carries the exit code and the tail of stderr. A cancelled one rejects with CancelledError. */
export class ProcessError extends PreflightError {
  readonly kind = 'process';
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly signalName: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly timedOut: boolean;
  /** Killed because it stopped making progress (see RunOptions.isStalled). */
  readonly stalled: boolean;

  constructor(init: {
    command: string;
    args: readonly string[];
    exitCode: number | null;
    signalName: NodeJS.Signals | null;
    stderrTail: string;
    timedOut: boolean;
    stalled?: boolean;
    cause?: unknown;
  }) {
    const what = init.stalled
      ? 'made no progress'
      : init.timedOut
      ? 'timed out'
      : init.exitCode === null
        ? init.signalName
          ? `was killed by ${init.signalName}`
          : 'could not be started'
        : `exited with code ${init.exitCode}`;
    const tail = init.stderrTail.trim();
    super(`${basename(init.command)} ${what}${tail ? `: ${lastLine(tail)}` : ''}`, { cause: init.cause });
    this.command = init.command;
    this.args = init.args;
    this.exitCode = init.exitCode;
    this.signalName = init.signalName;
    this.stderrTail = init.stderrTail;
    this.timedOut = init.timedOut;
    this.stalled = init.stalled ?? false;
  }
}

/** Runs a binary with an argument array (never a shell), collecting its output. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal, timeoutMs, isStalled, stallCheckMs = 1000, onStdout, maxStdoutBytes = DEFAULT_MAX_STDOUT, discardStdout = false, env } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError(basename(command), signal.reason));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env });
    const logEnd = verboseEnabled() ? watchProcess(command, args, child.pid) : undefined;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let stalled = false;
    let cancelled = false;
    let overflow = false;

    const kill = () => child.kill('SIGKILL');
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), kill()), timeoutMs) : undefined;
    const watchdog = isStalled
      ? setInterval(() => {
          if (!stalled && isStalled(Date.now())) (stalled = true), kill();
        }, stallCheckMs)
      : undefined;

    child.stdout.on('data', (chunk: Buffer) => {
      if (discardStdout) return onStdout?.(chunk.toString('utf8'));
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) {
        overflow = true;
        kill();
        return;
      }
      stdout.push(chunk);
      onStdout?.(chunk.toString('utf8'));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // keep only the tail: ffmpeg can write megabytes of warnings
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });

    function failure(init: Omit<ConstructorParameters<typeof ProcessError>[0], 'command' | 'args'>) {
      return new ProcessError({ command, args, ...init });
    }
    const killedFor = () => (cancelled ? 'cancelled' : timedOut ? 'timed out' : stalled ? 'made no progress' : overflow ? `output over ${maxStdoutBytes} bytes` : undefined);
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      if (watchdog) clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (error) => {
      cleanup();
      if (child.pid === undefined) logEnd?.({ exitCode: null, signalName: null, startError: error });
      reject(cancelled ? new CancelledError(basename(command), signal?.reason, error) : failure({ exitCode: null, signalName: null, stderrTail: error.message, timedOut, cause: error }));
    });
    child.on('close', (exitCode, signalName) => {
      cleanup();
      logEnd?.({ exitCode, signalName, killedFor: killedFor() });
      const out = Buffer.concat(stdout).toString('utf8');
      if (exitCode === 0 && !timedOut && !stalled && !cancelled && !overflow) {
        resolve({ stdout: out, stderr, exitCode });
        return;
      }
      if (cancelled) return reject(new CancelledError(basename(command), signal?.reason));
      const tail = overflow ? `output exceeded ${maxStdoutBytes} bytes\n${stderr}` : stderr;
      reject(failure({ exitCode, signalName, stderrTail: tail, timedOut, stalled }));
    });
  });
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
