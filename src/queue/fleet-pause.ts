import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { cancellationOr, throwIfCancelled } from '../shared/cancel.js';
import type { RetryEvent } from '../submit/http.js';

export interface FleetPause {
  /** Waits until the fleet's pause (if any) has passed; give it to createApiClient as `beforeRequest`. */
  before(signal?: AbortSignal): Promise<void>;
  /** Pauses every worker's API requests for `ms` from now; a longer pause already set is kept (it only ever extends). */
  pauseFor(ms: number): Promise<void>;
  /** For createApiClient's `onRetry`: a 429 pauses the fleet for the retry's delay (Retry-After when the provider gave one), and calls `rateLimit`. */
  onRetry(event: RetryEvent): void;
}

// the pause is a key whose expiry is its end, on the server's clock; a shorter pause never cuts a longer one
const EXTEND = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('SET', KEYS[1], now + ms, 'PX', ms)
end
return redis.call('PTTL', KEYS[1])`;

/**
 * A 429 anywhere slows the whole fleet, not only the worker that got it: the provider's rate limit is the account's.
 * One key per queue: seedance-preflight:<queue>:api-paused-until (its value the end, epoch ms; its expiry the same).
 */
export function fleetPause(
  redis: Redis,
  options: {
    queueName: string;
    /** Also told of a 429's delay: the worker passes BullMQ's queue.rateLimit, so no worker takes a new job meanwhile. */
    rateLimit?: (ms: number) => Promise<void>;
    /** Told when recording the pause failed (onRetry cannot throw into the client's retry loop). */
    onError?: (error: Error) => void;
  },
): FleetPause {
  const key = `seedance-preflight:${options.queueName}:api-paused-until`;
  const pauseFor = async (ms: number) => {
    if (ms > 0) await redis.eval(EXTEND, 1, key, Math.ceil(ms));
  };
  return {
    async before(signal) {
      for (;;) {
        throwIfCancelled(signal, 'waiting out the fleet\'s rate-limit pause');
        // -2: no pause; -1 cannot happen (the key is always written with an expiry)
        const left = await redis.pttl(key);
        if (left <= 0) return;
        await delay(left, undefined, signal ? { signal } : undefined).catch((error: unknown) => {
          throw cancellationOr(error, signal, 'waiting out the fleet\'s rate-limit pause');
        });
      }
    },
    pauseFor,
    onRetry(event) {
      if (event.error?.status !== 429) return;
      const fail = (error: unknown) => options.onError?.(error as Error);
      pauseFor(event.delayMs).catch(fail);
      options.rateLimit?.(event.delayMs).catch(fail);
    },
  };
}
