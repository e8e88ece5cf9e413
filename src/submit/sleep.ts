import { setTimeout as delay } from 'node:timers/promises';
import { cancellationOr } from '../shared/cancel.js';

/** Waits `ms`, or rejects with a CancelledError as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined).catch((error: unknown) => {
    throw cancellationOr(error, signal, 'waiting before a retry');
  });
}
