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
 * error with a stack trace), and `io` writes that stop once a reader has gone. `onClosed` runs once, at the first.
 */
export function guardOutput(io: CliIo, streams: readonly NodeJS.WritableStream[], onClosed: () => void): GuardedOutput {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  for (const stream of streams) {
    stream.on('error', (error: unknown) => {
      if (isClosedOutput(error)) return close();
      // any other failure of our own output cannot be reported on it: end as if it had closed
      close();
    });
  }
  const guard = (write: (text: string) => void) => (text: string) => {
    if (closed) return;
    try {
      write(text);
    } catch (error) {
      // a synchronous throw (a destroyed stream) is the same event as the asynchronous 'error'
      close();
      if (!isClosedOutput(error)) throw error;
    }
  };
  return { io: { ...io, stdout: guard(io.stdout), stderr: guard(io.stderr) }, closed: () => closed };
}
