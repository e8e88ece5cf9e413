import { UsageError } from './io.js';

/** Node's timers hold at most 2^31 − 1 ms; a longer delay fires at once (TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A flag given in seconds (a plain decimal number above 0), as milliseconds; undefined when the flag is absent. */
export function parseSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const ms = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Math.round(Number(text) * 1000) : NaN;
  if (!(ms > 0)) throw new UsageError(`${flag} must be a number of seconds greater than 0, not ${JSON.stringify(value)}`);
  if (ms > MAX_TIMER_MS) throw new UsageError(`${flag} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (about 24 days), not ${JSON.stringify(value)}`);
  return ms;
}
