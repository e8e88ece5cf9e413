import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { createClaimKey } from '../../src/pipeline/create-guard.js';
import { readJournal } from '../../src/pipeline/journal.js';
import { jobWorkDir } from '../../src/pipeline/work-dir.js';
import { CLAIM_PREFIX } from '../../src/queue/create-claim.js';
export { privateRedis, type PrivateRedis } from './private-redis.js';

/** The test Redis: a server on 127.0.0.1:6379 runs on the developers' machines and CI (SEEDANCE_TEST_REDIS_URL overrides). */
export const TEST_REDIS_URL = process.env.SEEDANCE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** CI sets it, so that a missing Redis fails the run instead of skipping the queue tests. */
export const REDIS_REQUIRED = process.env.SEEDANCE_TEST_REQUIRE_REDIS === '1';

/** Why Redis cannot be used (a sentence naming the address and the error), or null when it answers PING. */
export async function redisMissing(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let cause: Error | null = null;
  redis.on('error', (error: Error) => (cause = error));
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG' ? null : `Redis at ${TEST_REDIS_URL} did not answer PING`;
  } catch (error) {
    const reason = (cause ?? error) as NodeJS.ErrnoException;
    return `no Redis at ${TEST_REDIS_URL} (${reason.code ?? reason.message}); start one, or set SEEDANCE_TEST_REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

/**
 * Probes Redis once for a test file: prints why its tests skip when it is missing, and registers a failing test when
 * SEEDANCE_TEST_REQUIRE_REDIS=1 (CI) and it is missing. Gate the file's tests with describe.skipIf(missing !== null).
 */
export async function redisForTests(file: string): Promise<{ missing: string | null }> {
  const missing = await redisMissing();
  if (missing && !REDIS_REQUIRED) console.warn(`${file} skipped: ${missing}`);
  it.runIf(missing !== null && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
    expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
  });
  return { missing };
}

/** A connection to the test Redis, as BullMQ wants it (commands wait for a reconnection); close it with quit(). */
export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
}

/** A name no other test run uses (queue names, key parts): the test Redis is shared. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A queue name no other test (nor another run at the same time) uses. */
export function uniqueQueueName(label: string): string {
  return uniqueName(`sp-test-${label}`);
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

/**
 * Deletes a test's queue and every key of ours it led to: BullMQ's keys, the create claims of its jobs (claims hold
 * across queue names; each is found from its job folder's journal, under the enqueued ROOT or one of `roots` where a
 * test moved it), and keys named for the queue (seedance-preflight:<queue>:…: task slots, the fleet's pause).
 */
export async function removeQueue(redis: Redis, queueName: string, options: { roots?: string[] } = {}): Promise<void> {
  const queue = new Queue(queueName, { connection: redis });
  try {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'], 0, -1);
    const claims = new Set<string>();
    for (const job of jobs) {
      const data = job?.data as { root?: unknown; relativePath?: unknown } | undefined;
      if (typeof data?.root !== 'string' || typeof data.relativePath !== 'string') continue;
      // the worker names the job by its folder as enqueued (src/queue/run-queued-job.ts)
      const jobName = join(data.root, data.relativePath);
      for (const root of [data.root, ...(options.roots ?? [])]) {
        const journal = await readJournal(jobWorkDir({ folder: join(root, data.relativePath) })).catch(() => null);
        if (journal?.fingerprint) claims.add(`${CLAIM_PREFIX}${createClaimKey(journal, jobName)}`);
      }
    }
    await queue.obliterate({ force: true });
    if (claims.size) await redis.del(...claims);
    await deleteKeys(redis, `seedance-preflight:${queueName}:*`);
  } finally {
    await queue.close();
  }
}

/** Why no private redis-server can be started here (a sentence), or null when `redis-server --version` runs. */
export async function privateRedisMissing(): Promise<string | null> {
  const run = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (run.error) return `no redis-server on PATH (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}); install Redis`;
  return run.status === 0 ? null : `redis-server --version exited ${run.status}: ${run.stderr.trim()}`;
}

/** Like redisForTests, for a test that starts its own redis-server (privateRedis). */
export async function privateRedisForTests(file: string): Promise<{ missing: string | null }> {
  const missing = await privateRedisMissing();
  if (missing && !REDIS_REQUIRED) console.warn(`${file} skipped: ${missing}`);
  it.runIf(missing !== null && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
    expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
  });
  return { missing };
}
