import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFolders } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import type { QueuedSettings } from '../../src/queue/job-data.js';
import type { QueueWorkerOptions } from '../../src/queue/worker.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { VERSION } from '../../src/version.js';
import { redisForTests, removeQueue, testRedis, uniqueQueueName } from '../helpers/redis.js';
import { servedResult } from '../helpers/sandbox-media.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/queue-worker.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

describe.skipIf(missing !== null)('worker: jobs it cannot run fail with the reason, and it goes on (real Redis, sandbox)', () => {
  const box = useSandbox('sp-queue-worker-', { taskDurationMs: 200 });
  let sandbox: Sandbox;
  let dir: string;
  let redis: Redis;
  const queues: string[] = [];
  /** Where a test moved job folders after enqueuing them: their journals (and so their create claims) are found there. */
  const movedRoots: string[] = [];

  beforeAll(() => {
    ({ sandbox, dir } = box);
    redis = testRedis();
  });
  afterAll(async () => {
    for (const name of queues) await removeQueue(redis, name, { roots: movedRoots });
    await redis.quit();
  });

  /** A queue (removed after the file), a worker on it (stopped after `work`), and the worker's stderr lines. */
  async function withWorker<T>(name: string, extra: Partial<QueueWorkerOptions>, work: (queue: Queue, log: string[]) => Promise<T>): Promise<T> {
    queues.push(name);
    const queue = new Queue(name, { connection: redis });
    const log: string[] = [];
    const worker = startSandboxWorker(sandbox, redis, name, { log: (line) => log.push(line), ...extra });
    try {
      return await work(queue, log);
    } finally {
      await worker.stop('end of test');
      await queue.close();
    }
  }

  it('a job enqueued by another tool version fails with a clear reason, the next job is done; enqueued again, it is done', async () => {
    const root = join(dir, 'versions');
    await Promise.all([writeAssetFolder(join(root, 'current'), 71), writeAssetFolder(join(root, 'old'), 70)]);
    const name = uniqueQueueName('version');
    // enqueued before any worker runs; then made to look like an older version's job
    const enqueuer = new Queue(name, { connection: redis });
    const jobs = await enqueueFolders(enqueuer, root, SETTINGS);
    const old = (await enqueuer.getJob(jobs[1]!.id))!;
    await old.updateData({ ...old.data, toolVersion: '0.0.1-old' });
    await enqueuer.close();
    const before = sandbox.simulator.createdTasks().length;
    await withWorker(name, {}, async (queue, log) => {
      const [current, oldResult] = (await followJobs(queue, redis, jobs))!;
      const reason = `this job was enqueued by seedance-preflight 0.0.1-old (job format 1); this worker is seedance-preflight ${VERSION} (job format 1): enqueue the folder again with seedance-preflight ${VERSION}, or run a worker of the version that enqueued it`;
      expect((await queue.getJob(jobs[1]!.id))!.failedReason).toBe(reason);
      expect(oldResult!.error).toEqual({ stage: 'check', message: reason, hint: "see the worker's log for this job" });
      expect(log).toContain(`[job ${jobs[1]!.id}] failed: ${reason}\n`);
      expect(current!.ok).toBe(true);
      expect((await readFile(current!.result!.path)).equals(await servedResult(sandbox, current!.taskId!))).toBe(true);
      expect(sandbox.simulator.createdTasks().length).toBe(before + 1);

      // enqueued again by this version: the failed job takes this version's data and runs
      const again = await enqueueFolders(queue, root, SETTINGS);
      expect(again.map((j) => [j.relativePath, j.id, j.outcome])).toEqual([['current', jobs[0]!.id, 'queued'], ['old', jobs[1]!.id, 'retried']]);
      const results = (await followJobs(queue, redis, again))!;
      expect(results.map((r) => [r.job, r.ok])).toEqual([[join(root, 'current'), true], [join(root, 'old'), true]]);
      expect(sandbox.simulator.createdTasks().length).toBe(before + 2);
    });
  });

  it('a job whose folder vanished fails with the reason; the other job is done', async () => {
    const root = join(dir, 'vanished');
    await Promise.all([writeAssetFolder(join(root, 'kept'), 72), writeAssetFolder(join(root, 'gone'), 73)]);
    const name = uniqueQueueName('vanished');
    // enqueued while both exist; one is deleted before any worker runs
    const enqueuer = new Queue(name, { connection: redis });
    const jobs = await enqueueFolders(enqueuer, root, SETTINGS);
    await enqueuer.close();
    await rm(join(root, 'gone'), { recursive: true });
    const before = sandbox.simulator.createdTasks().length;
    await withWorker(name, {}, async (queue, log) => {
      const results = (await followJobs(queue, redis, jobs))!;
      expect(results.map((r) => [r.job, r.ok])).toEqual([[join(root, 'gone'), false], [join(root, 'kept'), true]]);
      const error = { stage: 'check', message: `${join(root, 'gone')} does not exist on this worker`, hint: 'restore the folder, or give this worker --root with the path where it mounts the enqueued ROOT, then enqueue again' };
      expect(results[0]!.error).toEqual(error);
      expect(log).toContain(`[gone] failed at check: ${error.message}\n`);
      expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    });
  });

  it('--root: a worker that mounts ROOT elsewhere runs the job there; the result is reported under the enqueued ROOT', async () => {
    const enqueued = join(dir, 'enqueuer-mount/jobs');
    await writeAssetFolder(join(enqueued, 'job-1'), 74);
    const name = uniqueQueueName('root');
    const enqueuer = new Queue(name, { connection: redis });
    const jobs = await enqueueFolders(enqueuer, enqueued, SETTINGS);
    await enqueuer.close();
    // the worker's machine mounts the same storage at another path
    const mounted = join(dir, 'worker-mount/jobs');
    await mkdir(join(dir, 'worker-mount'));
    await rename(enqueued, mounted);
    movedRoots.push(mounted);
    await withWorker(name, { root: mounted }, async (queue) => {
      const [result] = (await followJobs(queue, redis, jobs))!;
      expect(result!.ok).toBe(true);
      expect(result!.job).toBe(join(enqueued, 'job-1'));
      expect(result!.result!.path).toBe(join(enqueued, 'job-1/output', `${result!.taskId}.mp4`));
      // the work happened in the worker's mount: the journal and the video are there
      expect((await readFile(join(mounted, 'job-1/output', `${result!.taskId}.mp4`))).equals(await servedResult(sandbox, result!.taskId!))).toBe(true);
    });
  });

  it('a 429 on a create rate-limits the whole queue (BullMQ) for the Retry-After; the job is then done with one task', async () => {
    const root = join(dir, 'rate-limited');
    await writeAssetFolder(join(root, 'job-1'), 75);
    const name = uniqueQueueName('rate-limit');
    let limited: Promise<number> | null = null;
    const log: string[] = [];
    const onLine = (line: string) => {
      log.push(line);
      if (line.includes('429')) limited ??= redis.pttl(`bull:${name}:limiter`);
    };
    await withWorker(name, { log: onLine }, async (queue) => {
      const before = sandbox.simulator.createdTasks().length;
      sandbox.simulator.failNext(429, 1, { retryAfterSeconds: 3, only: 'create' });
      const [result] = (await followJobs(queue, redis, await enqueueFolders(queue, root, SETTINGS)))!;
      expect(result!.ok).toBe(true);
      expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    });
    // 'answered 429', not '429': a task id (task-unified-17966142 91…) may hold those digits
    expect(log.filter((l) => l.includes('answered 429'))).toEqual([`worker: the API answered 429 (rate limited): every worker of queue ${name} pauses its API calls and takes no new job for 3 s\n`]);
    // read as soon as the worker said so: the limit holds for the 3 s the API asked for
    expect(await limited).toBeGreaterThan(2000);
  });
});
