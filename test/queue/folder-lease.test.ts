import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFolderLeases } from '../../src/queue/folder-lease.js';
import { sha256Text } from '../../src/pipeline/fingerprint.js';
import { redisForTests, testRedis, uniqueName } from '../helpers/redis.js';

const { missing } = await redisForTests('test/queue/folder-lease.test.ts');

describe.skipIf(missing !== null)('redisFolderLeases: one worker per folder at a time (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('the first worker takes the folder; another is told who holds it; only the holder gives it back', async () => {
    const folder = `/mnt/jobs/${uniqueName('job')}`;
    const key = `seedance-preflight:folder:${sha256Text(folder)}`;
    const a = redisFolderLeases(redis, { holder: 'worker-a', leaseMs: 60_000 });
    const b = redisFolderLeases(redis, { holder: 'worker-b', leaseMs: 60_000 });
    try {
      expect(await a.take(folder)).toEqual({ ok: true });
      expect(await b.take(folder)).toEqual({ ok: false, holder: 'worker-a' });
      await b.release(folder);
      expect(await redis.get(key)).toBe('worker-a');
      expect(await redis.pttl(key)).toBeGreaterThan(50_000);
      await a.release(folder);
      expect(await redis.exists(key)).toBe(0);
      expect(await b.take(folder)).toEqual({ ok: true });
      await b.release(folder);
    } finally {
      a.close();
      b.close();
      await redis.del(key);
    }
  });
});
