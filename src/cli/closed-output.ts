import type { CliIo } from './io.js';

/**
 * The exit status of a command whose output's reader went away (`… | head -1`): 141, the shell's status for a process
 * ended by SIGPIPE (128 + 13), which is what `yes | head -1` leaves under `set -o pipefail`. Nothing is printed.
 */
export const EXIT_OUTPUT_CLOSED = 141;

/** Emitted on `process` when stdout's or stderr's reader has gone: commands that stop cleanly (run, batch, wait…) stop as on SIGTERM. */
export const OUTPUT_CLOSED_EVENT = 'seedance:output-closed';

/** Pure: whether a stream's error says its reader has gone (a closed pipe or socket), rather than a failure of ours. */
export function isClosedOutput(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/** What guardOutput gives back: the io to run the command with, and whether an output has closed. */
export interface GuardedOutput {
  io: CliIo;
  closed: () => boolean;
}

/**
 * Makes writes into a closed pipe harmless: an 'error' listener on each stream (without one, EPIPE is an unhandled
 * error with a stack trace), and `io` writes to a stream whose reader has gone are dropped (the other stream still
 * writes: a run whose stderr closed still prints its result). `onClosed` runs once, at the first.
 */
export function guardOutput(io: CliIo, streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, onClosed: () => void): GuardedOutput {
  const gone = new Set<'stdout' | 'stderr'>();
  const close = (name: 'stdout' | 'stderr') => {
    const first = gone.size === 0;
    gone.add(name);
    if (first) onClosed();
  };
  for (const name of ['stdout', 'stderr'] as const) {
    // any failure of our own output (not only EPIPE) cannot be reported on it: it ends as if closed
    streams[name].on('error', () => close(name));
  }
  const guard = (name: 'stdout' | 'stderr', write: (text: string) => void) => (text: string) => {
    if (gone.has(name)) return;
    try {
      write(text);
    } catch (error) {
      // a synchronous throw (a destroyed stream) is the same event as the asynchronous 'error'
      if (!isClosedOutput(error)) throw error;
      close(name);
    }
  };
  return { io: { ...io, stdout: guard('stdout', io.stdout), stderr: guard('stderr', io.stderr) }, closed: () => gone.size > 0 };
}
