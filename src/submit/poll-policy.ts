/** How a wait polls a task: start quickly, slow down, stay at a ceiling so completion is seen promptly. */
export interface PollPolicy {
  /** Delay before the second query (milliseconds). */
  initialDelayMs: number;
  /** Growth per query. */
  factor: number;
  /** Ceiling: the most a completed task can go unnoticed, and the poll rate for long tasks. */
  maxDelayMs: number;
  /** Up to this fraction of a delay is taken off at random, so many waits do not poll in step. */
  jitter: number;
}

/**
 * 1 s, 1.5 s, 2.25 s… up to 5 s: a 60 s task takes about 16 queries and is seen within 5 s of
 * completing (bench/wait.bench.ts); 600 requests a minute (TASKS.md) allows ~50 waits at once.
 */
export const DEFAULT_POLL_POLICY: PollPolicy = { initialDelayMs: 1000, factor: 1.5, maxDelayMs: 5000, jitter: 0.1 };

/** The delay after the n-th query (n = 0 after the first). Pure given `random`. */
export function pollDelay(queryIndex: number, policy: PollPolicy, random: () => number = Math.random): number {
  const full = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** queryIndex);
  return Math.round(full * (1 - policy.jitter * random()));
}

/** The times (ms from the start) at which a wait queries, until `untilMs` is seen. Pure: for planning and benchmarks. */
export function pollTimes(untilMs: number, policy: PollPolicy, random: () => number = () => 0): number[] {
  const times = [0];
  let at = 0;
  for (let i = 0; at < untilMs; i++) {
    at += pollDelay(i, policy, random);
    times.push(at);
  }
  return times;
}
