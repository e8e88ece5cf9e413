import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/shared/cancel.js';
import { DEFAULT_LEASE_MS, redisTaskSlots, type RedisTaskSlots, type RedisTaskSlotsOptions } from '../../src/queue/task-slots.js';
import { deleteKeys, REDIS_REQUIRED, redisMissing, testRedis, uniqueName } from '../helpers/redis.js';

const missing = await redisMissing();
if (missing && !REDIS_REQUIRED) console.warn(`test/queue/task-slots.test.ts skipped: ${missing}`);

it.runIf(missing && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
});

/** Lets every callback that can run, run: a grant that has not happened by then is waiting on a slot. */
const settleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing)('redisTaskSlots: the fleet\'s task limit, two workers on one Redis', () => {
  // each "worker" has its own connection, as separate processes would
  const connections: Redis[] = [];
  const open: RedisTaskSlots[] = [];
  const queues: string[] = [];
  let admin: Redis;
  beforeAll(() => {
    admin = testRedis();
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    for (const queue of queues) await deleteKeys(admin, `seedance-preflight:${queue}:*`);
    await Promise.all([...connections, admin].map((c) => c.quit()));
  });
  const queue = () => {
    const name = uniqueName('slots-test');
    queues.push(name);
    return name;
  };
  const worker = (options: Omit<RedisTaskSlotsOptions, 'pollMs'> & { pollMs?: number }) => {
    const connection = testRedis();
    connections.push(connection);
    const slots = redisTaskSlots(connection, { pollMs: 20, ...options });
    open.push(slots);
    return slots;
  };

  it('the default lease outlives BullMQ\'s stalled-job detection (30 s lock, checked every 30 s)', () => {
    expect(DEFAULT_LEASE_MS).toBe(120_000);
  });

  it('never more than the limit across both workers; a release lets the next waiter in; the holders are recorded', async () => {
    const queueName = queue();
    const [w1, w2] = [worker({ queueName, limit: 2, holder: 'w1' }), worker({ queueName, limit: 2, holder: 'w2' })];
    await w1.acquire('job-a');
    await w2.acquire('job-b');
    let cGranted = false;
    const c = w2.acquire('job-c').then(() => void (cGranted = true));
    await settleFor(200);
    expect(cGranted).toBe(false);
    expect((await w1.held()).map((h) => [h.jobKey, h.holder]).sort()).toEqual([['job-a', 'w1'], ['job-b', 'w2']]);
    await w1.release('job-a');
    await c;
    expect((await w2.held()).map((h) => [h.jobKey, h.holder]).sort()).toEqual([['job-b', 'w2'], ['job-c', 'w2']]);
  });

  it('many jobs on two workers: at no moment do more than the limit hold a slot, and every job gets one', async () => {
    const queueName = queue();
    const workers = [worker({ queueName, limit: 2, holder: 'w1' }), worker({ queueName, limit: 2, holder: 'w2' })];
    let holding = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const slots = workers[i % 2]!;
        await slots.acquire(`job-${i}`);
        most = Math.max(most, ++holding);
        await settleFor(30);
        holding--;
        await slots.release(`job-${i}`);
      }),
    );
    expect(most).toBe(2);
    expect(await workers[0]!.held()).toEqual([]);
  });

  it('a job\'s next worker finds its lease and keeps it, even with every slot taken', async () => {
    const queueName = queue();
    const [dead, next] = [worker({ queueName, limit: 1, holder: 'w-dead' }), worker({ queueName, limit: 1, holder: 'w-next' })];
    await dead.acquire('job-a');
    await dead.close();
    await next.acquire('job-a');
    expect((await next.held()).map((h) => [h.jobKey, h.holder])).toEqual([['job-a', 'w-next']]);
  });

  it('a lease nobody refreshes (its worker died) expires, and the slot goes to a waiting job', async () => {
    const queueName = queue();
    const dead = worker({ queueName, limit: 1, holder: 'w-dead', leaseMs: 300 });
    const alive = worker({ queueName, limit: 1, holder: 'w-alive', leaseMs: 300 });
    await dead.acquire('job-a');
    await dead.close();
    let granted = false;
    const waiting = alive.acquire('job-b').then(() => void (granted = true));
    await settleFor(100);
    expect(granted).toBe(false);
    await waiting;
    expect((await alive.held()).map((h) => [h.jobKey, h.holder])).toEqual([['job-b', 'w-alive']]);
  });

  it('a live worker\'s lease is refreshed: it outlasts several lease lengths while the other worker waits', async () => {
    const queueName = queue();
    const live = worker({ queueName, limit: 1, holder: 'w1', leaseMs: 150 });
    const other = worker({ queueName, limit: 1, holder: 'w2', leaseMs: 150 });
    await live.acquire('job-a');
    const controller = new AbortController();
    const waiting = other.acquire('job-b', controller.signal);
    await settleFor(600);
    controller.abort('SIGTERM');
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe('waiting for a task slot was cancelled');
    expect((await live.held()).map((h) => h.jobKey)).toEqual(['job-a']);
  });

  it('the keys expire by themselves once no lease is refreshed', async () => {
    const queueName = queue();
    const slots = worker({ queueName, limit: 1, holder: 'w1', leaseMs: 5000 });
    await slots.acquire('job-a');
    const ttl = await admin.pttl(`seedance-preflight:${queueName}:task-slots`);
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
    expect(await admin.pttl(`seedance-preflight:${queueName}:task-slot-holders`)).toBeLessThanOrEqual(5000);
  });
});
