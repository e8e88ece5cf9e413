import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The test Redis: a server on 127.0.0.1:6379 runs on the developers' machines and CI (SEEDANCE_TEST_REDIS_URL overrides). */
export const TEST_REDIS_URL = process.env.SEEDANCE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** CI sets it, so that a missing Redis fails the run instead of skipping the queue tests. */
export const REDIS_REQUIRED = process.env.SEEDANCE_TEST_REQUIRE_REDIS === '1';

/** Why Redis cannot be used (a sentence naming the address), or null when it answers PING. */
export async function redisMissing(): Promise<string | null> {
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    const { hostname, port } = new URL(TEST_REDIS_URL);
    return `no Redis answers at ${hostname}:${port || 6379} (${(error as Error).message}); start redis-server, or set SEEDANCE_TEST_REDIS_URL`;
  } finally {
    probe.disconnect();
  }
}

/** A connection to the test Redis; close it with quit(). */
export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** A name no other test run uses (queue names, key parts): the test Redis is shared. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key matching the pattern (a test's own prefix + '*'). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
