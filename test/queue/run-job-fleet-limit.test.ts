import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/pipeline/run-job.js';
import { redisTaskSlots, type RedisTaskSlots } from '../../src/queue/task-slots.js';
import { fixture } from '../helpers/fixtures.js';
import { deleteKeys, REDIS_REQUIRED, redisMissing, testRedis, uniqueName } from '../helpers/redis.js';
import { sandboxJobOptions } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const missing = await redisMissing();
if (missing && !REDIS_REQUIRED) console.warn(`test/queue/run-job-fleet-limit.test.ts skipped: ${missing}`);

it.runIf(missing && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
});

describe.skipIf(missing)('runJob on two workers sharing the Redis task limit', () => {
  // tasks long enough that every job reaches its create while another's task still runs
  const box = useSandbox('sp-fleet-limit-', { taskDurationMs: 800 });
  const queueName = uniqueName('fleet-limit');
  const connections: Redis[] = [];
  const workers: RedisTaskSlots[] = [];
  beforeAll(() => {
    for (const holder of ['w1', 'w2']) {
      const connection = testRedis();
      connections.push(connection);
      workers.push(redisTaskSlots(connection, { queueName, limit: 1, holder, pollMs: 20 }));
    }
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await deleteKeys(connections[0]!, `seedance-preflight:${queueName}:*`);
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('four jobs over two workers with a fleet limit of 1: the simulator never has 2 tasks in flight; every job ends with its own task', async () => {
    const folders: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const folder = join(box.dir, name);
      await mkdir(folder, { recursive: true });
      await copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'a.jpg'));
      await writeFile(join(folder, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: `image 1 turns (${name})`, image_urls: ['a.jpg'], duration: 4 }));
      folders.push(folder);
    }
    const results = await Promise.all(folders.map((folder, i) => runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, jobName: `fleet/${i}`, taskSlots: workers[i % 2]! })));
    expect(results.map((r) => r.error)).toEqual([null, null, null, null]);
    const stats = box.sandbox.simulator.stats();
    expect([stats.tasks.length, stats.inFlight, stats.maxInFlight]).toEqual([4, 0, 1]);
    expect(new Set(results.map((r) => r.taskId))).toEqual(new Set(stats.tasks.map((t) => t.id)));
    expect(await workers[0]!.held()).toEqual([]);
  });
});
