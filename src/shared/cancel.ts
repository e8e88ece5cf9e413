import { PreflightError } from './errors.js';

/** The caller's AbortSignal fired: the one way cancellation is reported, by every stage. */
export class CancelledError extends PreflightError {
  readonly kind = 'cancelled';
  /** The signal's reason (a signal name such as "SIGINT", or whatever the caller aborted with). */
  readonly reason: unknown;

  /** `what` names the stopped operation ("ffmpeg", "uploading clip.mp4"); `cause` is the error it ended with, else the reason. */
  constructor(what: string, reason: unknown, cause: unknown = reason) {
    super(`${what} was cancelled`, { cause, retryable: false });
    this.reason = reason;
  }
}

/** Whether an error reports a cancellation. Never match messages or `name === 'AbortError'`: convert at the boundary instead. */
export function isCancelled(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/** Throws a CancelledError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what, signal.reason);
}

/**
 * The error to throw after `error` ended an operation: a CancelledError when the signal fired (keeping `error` as its
 * cause, or returning it when it already is one), else `error` unchanged.
 */
export function cancellationOr(error: unknown, signal: AbortSignal | undefined, what: string): unknown {
  if (!signal?.aborted) return error;
  return isCancelled(error) ? error : new CancelledError(what, signal.reason, error);
}
