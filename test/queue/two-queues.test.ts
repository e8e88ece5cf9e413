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

const { missing } = await redisForTests('test/queue/two-queues.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

describe.skipIf(missing !== null)('one folder in two queues (real Redis, sandbox)', () => {
  const box = useSandbox('sp-two-queues-', { taskDurationMs: 500 });
  const names = [uniqueQueueName('twin-a'), uniqueQueueName('twin-b')];
  let sandbox: Sandbox;
  let redis: Redis;

  beforeAll(() => {
    ({ sandbox } = box);
    redis = testRedis();
  });
  afterAll(async () => {
    for (const name of names) await removeQueue(redis, name);
    await redis.quit();
  });

  it('the same folder enqueued under two queue names, taken by two workers at the same moment, makes exactly one task; both jobs are done with it', async () => {
    const root = join(box.dir, 'root');
    await writeAssetFolder(join(root, 'job-1'), 91);
    const queues = names.map((name) => new Queue(name, { connection: redis }));
    const jobs = await Promise.all(queues.map((queue) => enqueueFolders(queue, root, SETTINGS)));
    const before = sandbox.simulator.createdTasks().length;
    const log: string[] = [];
    const workers = names.map((name) => startSandboxWorker(sandbox, redis, name, { log: (line) => log.push(line) }));
    try {
      const results = (await Promise.all(queues.map((queue, i) => followJobs(queue, redis, jobs[i]!)))).map((r) => r![0]!);
      const created = sandbox.simulator.createdTasks();
      expect(created.length).toBe(before + 1);
      expect(results.map((r) => [r.ok, r.taskId])).toEqual([[true, created.at(-1)!.id], [true, created.at(-1)!.id]]);
      // one worker ran the folder; the other waited for it, then found the job done in its journal
      expect(log.filter((l) => / another worker \(\S+\) is running this folder: trying again in 2 s\n$/.test(l)).length).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop('end of test')));
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
