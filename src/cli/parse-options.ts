import { UsageError } from './io.js';

/** --concurrency: a whole number ≥ 1, or undefined for the default. */
export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, not "${value}"`);
  return n;
}
