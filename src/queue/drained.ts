import type { Redis } from 'ioredis';

/**
 * Jobs `queue drain` removed, with when (Redis time): a follower that finds one of its jobs gone reports it drained
 * instead of enqueuing it again as a job Redis lost. One hash per queue, kept a week after the last drain.
 */
export function drainedKey(queueName: string): string {
  return `seedance-preflight:${queueName}:drained`;
}

const KEEP_MS = 7 * 24 * 3600_000;

/** Marks these jobs drained at `at` (Redis time, ms). */
export async function markDrained(redis: Redis, queueName: string, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  const key = drainedKey(queueName);
  await redis.multi().hset(key, Object.fromEntries(ids.map((id) => [id, String(at)]))).pexpire(key, KEEP_MS).exec();
}

/** Takes the mark back from jobs that were not removed after all (a worker took them first). */
export async function unmarkDrained(redis: Redis, queueName: string, ids: readonly string[]): Promise<void> {
  if (ids.length) await redis.hdel(drainedKey(queueName), ...ids);
}

/** When the job was drained (Redis time, ms), or null when it never was (or over a week ago). */
export async function drainedAt(redis: Redis, queueName: string, id: string): Promise<number | null> {
  const value = await redis.hget(drainedKey(queueName), id);
  const at = value === null ? NaN : Number(value);
  return Number.isFinite(at) ? at : null;
}
