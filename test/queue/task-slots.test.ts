import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/shared/cancel.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, DEFAULT_RECOVERY_MS, redisTaskSlots, type RedisTaskSlots, type RedisTaskSlotsOptions } from '../../src/queue/task-slots.js';
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
  // a new queue's slot book opens after the recovery time: short here, so that every test does not wait for it
  const worker = (options: Omit<RedisTaskSlotsOptions, 'pollMs'> & { pollMs?: number }) => {
    const connection = testRedis();
    connections.push(connection);
    const slots = redisTaskSlots(connection, { pollMs: 20, heartbeatMs: 50, recoveryMs: 0, ...options });
    open.push(slots);
    return slots;
  };

  it('the default lease outlives BullMQ\'s stalled-job detection (30 s lock, checked every 30 s)', () => {
    expect(DEFAULT_LEASE_MS).toBe(120_000);
  });

  it('after a loss, new slots wait for the recovery time, which leaves several heartbeats and a reconnection (1 s) for holders to write theirs back', () => {
    expect([DEFAULT_HEARTBEAT_MS, DEFAULT_RECOVERY_MS]).toEqual([500, 3000]);
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

  it('Redis loses the slot keys while two slots are held: no slot is granted until both holders wrote theirs back, then the limit holds', async () => {
    const queueName = queue();
    const options = { queueName, limit: 2, heartbeatMs: 50, recoveryMs: 600 };
    const [w1, w2] = [worker({ ...options, holder: 'w1', recoveryMs: 0 }), worker({ ...options, holder: 'w2' })];
    await w1.acquire('job-a');
    await w2.acquire('job-b');
    // what a FLUSHALL does to this queue's keys (the shared test Redis is not flushed: other tests use it)
    expect(await admin.del(`seedance-preflight:${queueName}:task-slots`, `seedance-preflight:${queueName}:task-slot-holders`, `seedance-preflight:${queueName}:task-slot-book`)).toBe(3);
    let cGranted = false;
    const c = w2.acquire('job-c').then(() => void (cGranted = true));
    await settleFor(1000);
    expect(cGranted).toBe(false);
    expect((await w1.held()).map((h) => [h.jobKey, h.holder]).sort()).toEqual([['job-a', 'w1'], ['job-b', 'w2']]);
    await w1.release('job-a');
    await c;
    expect((await w2.held()).map((h) => [h.jobKey, h.holder]).sort()).toEqual([['job-b', 'w2'], ['job-c', 'w2']]);
  });

  it('a slot book that is new (or was lost) grants no slot before its recovery time has passed', async () => {
    const queueName = queue();
    const slots = worker({ queueName, limit: 1, holder: 'w1', recoveryMs: 400 });
    let granted = false;
    const taking = slots.acquire('job-a').then(() => void (granted = true));
    await settleFor(150);
    expect(granted).toBe(false);
    expect(await admin.pttl(`seedance-preflight:${queueName}:task-slot-book`)).toBeGreaterThan(6 * 24 * 60 * 60 * 1000);
    await taking;
    expect((await slots.held()).map((h) => h.jobKey)).toEqual(['job-a']);
  });

  it('a held lease that lapsed and whose slot was taken is written back and counted (its task is in flight), and said so', async () => {
    const queueName = queue();
    const refreshErrors: string[] = [];
    const slow = worker({ queueName, limit: 1, holder: 'w-slow', leaseMs: 3000, onRefreshError: (jobKey, error) => refreshErrors.push(`${jobKey}: ${error.message}`) });
    const other = worker({ queueName, limit: 1, holder: 'w-other' });
    await slow.acquire('job-a');
    // the lease lapses as if the slow worker had missed every refresh; another job takes the slot meanwhile
    await admin.zadd(`seedance-preflight:${queueName}:task-slots`, 0, 'job-a');
    await other.acquire('job-b');
    await settleFor(200);
    expect((await other.held()).map((h) => h.jobKey).sort()).toEqual(['job-a', 'job-b']);
    expect(refreshErrors[0]).toBe(`job-a: the lease of job-a on a task slot of queue ${queueName} lapsed and its slot was taken: counted again, the fleet is over its limit of 1 until a task ends`);
  });

  it('a slot this worker forgets (its job ended keeping it) is no longer written back: it lapses and a waiting job gets it', async () => {
    const queueName = queue();
    const [w1, w2] = [worker({ queueName, limit: 1, holder: 'w1', leaseMs: 300 }), worker({ queueName, limit: 1, holder: 'w2', leaseMs: 300 })];
    await w1.acquire('job-a');
    let granted = false;
    const waiting = w2.acquire('job-b').then(() => void (granted = true));
    await settleFor(600);
    expect(granted).toBe(false);
    w1.forget('job-a');
    await waiting;
    expect((await w2.held()).map((h) => [h.jobKey, h.holder])).toEqual([['job-b', 'w2']]);
  });
});
