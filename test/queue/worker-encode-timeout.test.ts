import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolBinary } from '../../src/probe/binaries.js';
import { enqueueFolders } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import type { QueuedSettings } from '../../src/queue/job-data.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { redisForTests, removeQueue, testRedis, uniqueQueueName } from '../helpers/redis.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/worker-encode-timeout.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

describe.skipIf(missing !== null)("worker: its own encode timeout applies to the jobs it takes (real Redis, sandbox)", () => {
  const box = useSandbox('sp-worker-encode-timeout-', { taskDurationMs: 200 });
  let sandbox: Sandbox;
  let redis: Redis;
  let starvedFfmpeg: string;
  const name = uniqueQueueName('encode-timeout');

  beforeAll(async () => {
    sandbox = box.sandbox;
    redis = testRedis();
    // the real ffmpeg, frozen (SIGSTOP) before an encode (its other uses run), as on a machine too loaded to schedule it
    starvedFfmpeg = join(box.dir, 'starved-ffmpeg');
    await writeFile(starvedFfmpeg, `#!/bin/sh\ncase "$*" in *' -progress '*) kill -STOP $$ ;; esac\nexec '${toolBinary('ffmpeg').path}' "$@"\n`);
    await chmod(starvedFfmpeg, 0o755);
  });
  afterAll(async () => {
    await removeQueue(redis, name);
    await redis.quit();
  });

  it('a job whose encode stalls fails at fix with the stall named; no task is created', async () => {
    const root = join(box.dir, 'root');
    const folder = await writeAssetFolder(join(root, 'slow'), 9);
    const queue = new Queue(name, { connection: redis });
    const jobs = await enqueueFolders(queue, root, SETTINGS);
    const before = sandbox.simulator.createdTasks().length;
    const saved = process.env.FFMPEG_PATH;
    // this process is the worker's machine: its encodes go through the frozen ffmpeg
    process.env.FFMPEG_PATH = starvedFfmpeg;
    const worker = startSandboxWorker(sandbox, redis, name, { encodeTimeoutSeconds: 1 });
    try {
      const [result] = (await followJobs(queue, redis, jobs))!;
      expect(result!.ok).toBe(false);
      expect(result!.error).toEqual({
        stage: 'fix',
        message: `${join(folder, 'clip.mp4')}: ffmpeg made no progress for 1 s (at 0 s of 2 s): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone`,
        hint: 'run again when the machine is less busy, or with a larger --encode-timeout (0: no limit); if it stalls again, fix this file alone',
      });
      expect(sandbox.simulator.createdTasks().length).toBe(before);
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
      await worker.stop('end of test');
      await queue.close();
    }
  });
});
