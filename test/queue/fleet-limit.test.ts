import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFolders } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import type { QueuedSettings } from '../../src/queue/job-data.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { redisForTests, removeQueue, testRedis, uniqueQueueName } from '../helpers/redis.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/fleet-limit.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

describe.skipIf(missing !== null)('--api-concurrency holds for the fleet, not per worker (real Redis, sandbox)', () => {
  // a simulator of this file alone: it counts the most tasks in flight at once since it started
  const box = useSandbox('sp-fleet-limit-', { taskDurationMs: 800 });
  const queueName = uniqueQueueName('fleet-limit');
  let sandbox: Sandbox;
  let redis: Redis;

  beforeAll(() => {
    ({ sandbox } = box);
    redis = testRedis();
  });
  afterAll(async () => {
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  it('two workers with --api-concurrency 1 never have two tasks in flight; every job is done with its own task', async () => {
    const root = join(box.dir, 'root');
    await Promise.all([1, 2, 3, 4].map((n) => writeAssetFolder(join(root, `job-${n}`), 100 + n)));
    const queue = new Queue(queueName, { connection: redis });
    const jobs = await enqueueFolders(queue, root, SETTINGS);
    const workers = [1, 2].map(() => startSandboxWorker(sandbox, redis, queueName, { mediaConcurrency: 2, apiConcurrency: 1 }));
    try {
      const results = (await followJobs(queue, redis, jobs))!;
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
      expect(new Set(results.map((r) => r.taskId)).size).toBe(4);
      const stats = sandbox.simulator.stats();
      expect(stats.tasks).toHaveLength(4);
      expect(stats.maxInFlight).toBe(1);
    } finally {
      await Promise.all(workers.map((w) => w.stop('end of test')));
      await queue.close();
    }
  });
});
