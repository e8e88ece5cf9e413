import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { CLAIM_PREFIX, CLAIM_TTL_SECONDS, CreateClaimError, redisCreateGuard } from '../../src/queue/create-claim.js';
import { REDIS_REQUIRED, redisMissing, testRedis, uniqueName } from '../helpers/redis.js';

const missing = await redisMissing();
if (missing && !REDIS_REQUIRED) console.warn(`test/queue/create-claim.test.ts skipped: ${missing}`);

it.runIf(missing && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
});

describe.skipIf(missing)('redisCreateGuard against a real Redis', () => {
  let redis: Redis;
  const keys: string[] = [];
  /** A claim key of this run only (claims share one prefix across queues). */
  const freshKey = () => {
    const key = uniqueName('claim-test');
    keys.push(key);
    return key;
  };
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    if (keys.length) await redis.del(...keys.map((k) => CLAIM_PREFIX + k));
    await redis.quit();
  });

  it('two workers claiming at once: exactly one gets it; the other is told who holds it', async () => {
    const key = freshKey();
    const [a, b] = [redisCreateGuard(redis, 'worker-a'), redisCreateGuard(redis, 'worker-b')];
    const outcomes = await Promise.all([a.claim(key), b.claim(key)]);
    expect(outcomes.map((o) => o.ok).sort()).toEqual([false, true]);
    const winner = outcomes.find((o) => o.ok)!;
    const loser = outcomes.find((o) => !o.ok)!;
    expect(loser.holder).toEqual(winner.holder);
    expect(['worker-a', 'worker-b']).toContain(winner.holder.worker);
    expect(winner.holder.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse((await redis.get(CLAIM_PREFIX + key))!)).toEqual(winner.holder);
  });

  it('settle puts the task id on the claim (worker and time kept): the next claimer sees it', async () => {
    const key = freshKey();
    const a = redisCreateGuard(redis, 'worker-a');
    const taken = await a.claim(key);
    expect(taken.ok).toBe(true);
    await a.settle(key, 'task-unified-1700000000-abcd1234');
    const seen = await redisCreateGuard(redis, 'worker-b').claim(key);
    expect(seen).toEqual({ ok: false, holder: { worker: 'worker-a', at: taken.holder.at, taskId: 'task-unified-1700000000-abcd1234' } });
  });

  it('a claim lasts 30 days, and settling keeps its expiry', async () => {
    const key = freshKey();
    const a = redisCreateGuard(redis, 'worker-a');
    await a.claim(key);
    expect(CLAIM_TTL_SECONDS).toBe(2_592_000);
    const ttl = await redis.ttl(CLAIM_PREFIX + key);
    expect(ttl).toBeGreaterThan(CLAIM_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(CLAIM_TTL_SECONDS);
    await redis.expire(CLAIM_PREFIX + key, 1000);
    await a.settle(key, 'task-unified-1');
    expect(await redis.ttl(CLAIM_PREFIX + key)).toBeLessThanOrEqual(1000);
    expect(await redis.ttl(CLAIM_PREFIX + key)).toBeGreaterThan(990);
  });

  it('settling a claim that vanished (flushed) writes it anew with the task id and a 30-day expiry', async () => {
    const key = freshKey();
    await redisCreateGuard(redis, 'worker-a').settle(key, 'task-unified-2');
    expect(JSON.parse((await redis.get(CLAIM_PREFIX + key))!)).toEqual({ worker: 'worker-a', at: expect.stringMatching(/Z$/), taskId: 'task-unified-2' });
    expect(await redis.ttl(CLAIM_PREFIX + key)).toBeGreaterThan(CLAIM_TTL_SECONDS - 5);
  });

  it('release drops only the releasing worker\'s claim, and only while it has no task', async () => {
    const key = freshKey();
    const [a, b] = [redisCreateGuard(redis, 'worker-a'), redisCreateGuard(redis, 'worker-b')];
    await a.claim(key);
    await b.release(key);
    expect(JSON.parse((await redis.get(CLAIM_PREFIX + key))!).worker).toBe('worker-a');
    await a.release(key);
    expect(await redis.get(CLAIM_PREFIX + key)).toBeNull();
    expect((await b.claim(key)).ok).toBe(true);
    await b.settle(key, 'task-unified-3');
    await b.release(key);
    expect(JSON.parse((await redis.get(CLAIM_PREFIX + key))!).taskId).toBe('task-unified-3');
  });

  it('a value under the claim key that this tool did not write is an error naming the key', async () => {
    const key = freshKey();
    await redis.set(CLAIM_PREFIX + key, 'not json');
    const error = await redisCreateGuard(redis, 'worker-a').claim(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreateClaimError);
    expect([(error as CreateClaimError).message, (error as CreateClaimError).hint]).toEqual([`the create claim ${CLAIM_PREFIX}${key} in Redis is not a claim this tool wrote (not json)`, "delete it only if you are sure no worker created this job's task"]);
  });
});
