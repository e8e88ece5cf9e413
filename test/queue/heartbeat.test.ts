import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beatInterval, FORGET_GONE_AFTER_MS, goneAfterMs, parseBeat, readBeats, redisNow, startHeartbeat, workersKey } from '../../src/queue/heartbeat.js';
import { workerState } from '../../src/queue/queue-status.js';
import { waitFor } from '../helpers/cli-process.js';
import { deleteKeys, redisForTests, testRedis, uniqueQueueName } from '../helpers/redis.js';

describe('beat interval: six beats per lock, between 0.1 s and 5 s; gone after three', () => {
  it.each([
    [30_000, 5000, 15_000],
    [6000, 1000, 3000],
    [3000, 500, 1500],
    [600, 100, 300],
    [300, 100, 300],
    [600_000, 5000, 15_000],
  ])('lock %d ms: a beat every %d ms, gone after %d ms', (lock, every, gone) => {
    expect(beatInterval(lock)).toBe(every);
    expect(goneAfterMs({ beatEveryMs: every })).toBe(gone);
  });

  it.each([
    [2999, 'alive'],
    [3000, 'alive'],
    [3001, 'gone'],
  ])('a beat %d ms old with a 1 s beat is %s', (age, state) => {
    expect(workerState({ beatAt: 10_000, beatEveryMs: 1000 }, 10_000 + age)).toBe(state);
  });
});

describe('parseBeat: only records a worker wrote', () => {
  const record = { id: 'h-1-abc', host: 'h', pid: 1, startedAt: 5, beatAt: 9, lockDurationMs: 6000, beatEveryMs: 1000 };
  it('reads a record back', () => {
    expect(parseBeat(JSON.stringify({ ...record, extra: true }))).toEqual(record);
  });
  it.each([['not json'], ['null'], ['[]'], ['"text"'], [JSON.stringify({ ...record, pid: '1' })], [JSON.stringify({ ...record, beatAt: null })], [JSON.stringify({ ...record, id: 7 })]])('%s is none', (text) => {
    expect(parseBeat(text)).toBeNull();
  });
});

const { missing } = await redisForTests('test/queue/heartbeat.test.ts');

describe.skipIf(missing !== null)('startHeartbeat against a real Redis', () => {
  let redis: Redis;
  const queues: string[] = [];
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    for (const queue of queues) await deleteKeys(redis, `seedance-preflight:${queue}:*`);
    await redis.quit();
  });
  const queueName = () => {
    const name = uniqueQueueName('beat');
    queues.push(name);
    return name;
  };

  it('writes its record stamped with Redis time, beats again, and removes it when stopped', async () => {
    const name = queueName();
    const errors: Error[] = [];
    const heartbeat = startHeartbeat(redis, { queueName: name, workerId: 'worker-a', lockDurationMs: 600, onError: (e) => errors.push(e) });
    let first: number | null = null;
    await waitFor(async () => (first = (await readBeats(redis, name)).beats[0]?.beatAt ?? null) !== null, 'the first beat', { timeoutMs: 5000, everyMs: 20 });
    const { now, beats } = await readBeats(redis, name);
    expect(beats).toEqual([{ id: 'worker-a', host: hostname(), pid: process.pid, startedAt: first, beatAt: expect.any(Number), lockDurationMs: 600, beatEveryMs: 100 }]);
    expect(beats[0]!.beatAt).toBeLessThanOrEqual(now);
    await waitFor(async () => (await readBeats(redis, name)).beats[0]!.beatAt > first!, 'a second beat', { timeoutMs: 5000, everyMs: 20 });
    // the start stays the first beat's
    expect((await readBeats(redis, name)).beats[0]!.startedAt).toBe(first);
    await heartbeat.stop();
    expect(await redis.exists(workersKey(name))).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a starting worker forgets workers last seen more than an hour ago, and keeps the others; readBeats skips what no worker wrote', async () => {
    const name = queueName();
    const now = await redisNow(redis);
    const record = (id: string, ago: number) => JSON.stringify({ id, host: 'gone-host', pid: 7, lockDurationMs: 30_000, beatEveryMs: 5000, startedAt: now - ago - 1000, beatAt: now - ago });
    await redis.hset(workersKey(name), 'old', record('old', FORGET_GONE_AFTER_MS + 60_000), 'recent', record('recent', 10 * 60_000), 'junk', 'not a record');
    expect((await readBeats(redis, name)).beats.map((b) => b.id).sort()).toEqual(['old', 'recent']);
    const heartbeat = startHeartbeat(redis, { queueName: name, workerId: 'worker-b', lockDurationMs: 30_000, onError: () => undefined });
    try {
      await waitFor(async () => (await redis.hexists(workersKey(name), 'old')) === 0, 'the old record to be forgotten', { timeoutMs: 5000, everyMs: 20 });
      // a field that is no record is forgotten too: nothing reads it
      expect(Object.keys(await redis.hgetall(workersKey(name))).sort()).toEqual(['recent', 'worker-b']);
    } finally {
      await heartbeat.stop();
    }
    expect(Object.keys(await redis.hgetall(workersKey(name)))).toEqual(['recent']);
  });
});
