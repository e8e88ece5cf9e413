import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/pipeline/journal.js';
import type { RunJobResult } from '../../src/pipeline/run-job.js';
import { jobWorkDir } from '../../src/pipeline/work-dir.js';
import { enqueueFolders, type EnqueuedJob } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import type { QueuedSettings } from '../../src/queue/job-data.js';
import { DEFAULT_RECOVERY_MS } from '../../src/queue/task-slots.js';
import type { QueueWorker } from '../../src/queue/worker.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { waitFor } from '../helpers/cli-process.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { privateRedis, privateRedisForTests, type PrivateRedis } from '../helpers/redis.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await privateRedisForTests('test/queue/redis-loss.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

describe.skipIf(missing !== null)('Redis comes back empty mid-batch (a redis-server of this file, FLUSHALL)', () => {
  // tasks long enough that the third job reaches its create while both others still run
  const box = useSandbox('sp-redis-loss-', { taskDurationMs: 6000 });
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await privateRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const journalOf = (folder: string) => readJournal(jobWorkDir({ folder }));

  it('limit 2, two tasks in flight and a third job waiting for a slot: FLUSHALL → the third creates only once a task ended; every job done, none reported failed', async () => {
    const root = join(box.dir, 'flush');
    const folders = [1, 2, 3].map((n) => join(root, `job-${n}`));
    await Promise.all(folders.map((folder, i) => writeAssetFolder(folder, 200 + i)));
    const queue = new Queue('flush', { connection: redis.connect() });
    const jobs = await enqueueFolders(queue, root, SETTINGS);
    // two workers (two processes would each have a connection), with the recovery time users get
    const logs: string[] = [];
    const workers: QueueWorker[] = [0, 1].map(() => startSandboxWorker(box.sandbox, redis.connect(), 'flush', { mediaConcurrency: 2, apiConcurrency: 2, taskSlotRecoveryMs: DEFAULT_RECOVERY_MS, log: (line) => logs.push(line) }));
    const requeued: string[] = [];
    const ended: string[] = [];
    try {
      const following = followJobs(queue, redis.connect(), jobs, {
        onRequeued: (job, state) => requeued.push(`${job.relativePath}: ${state}`),
        onEnded: (job, result) => ended.push(`${job.relativePath}: ${result.ok ? 'done' : `failed at ${result.error?.stage}`}`),
      });
      // both slots taken by running tasks, and the third job built its request and waits for a slot
      const uploadedOnly = async () => (await Promise.all(folders.map(journalOf))).filter((j) => j?.request !== undefined && j.submit === undefined).length;
      await waitFor(async () => box.sandbox.simulator.stats().inFlight === 2 && (await uploadedOnly()) === 1, 'two tasks in flight and a third job at its create', { timeoutMs: 60_000, everyMs: 50, detail: () => logs.join('') });
      expect(await redis.connect().flushall()).toBe('OK');

      const results = (await following)!;
      expect(ended.sort()).toEqual(['job-1: done', 'job-2: done', 'job-3: done']);
      expect(results.map((r) => [r.job, r.ok, r.error])).toEqual(folders.map((folder) => [folder, true, null]));
      const stats = box.sandbox.simulator.stats();
      expect(stats.tasks).toHaveLength(3);
      expect(stats.maxInFlight).toBe(2);
      expect(new Set(results.map((r) => r.taskId))).toEqual(new Set(stats.tasks.map((t) => t.id)));
      for (const result of results) expect((await stat(result.result!.path)).isFile()).toBe(true);
      // what the follower did with each job Redis lost before it ended depends on where it stood at the next sweep
      for (const line of requeued) expect(line).toMatch(/^job-[123]: (created|uploaded|completed|downloaded)$/);
      expect(logs.filter((l) => / failed at /.test(l))).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop('end of test')));
      await queue.close();
    }
  });

  it('a job done before the loss is reported done from its journal (its task, its result); a job that waited in the queue is enqueued again and done with one task', async () => {
    const root = join(box.dir, 'ended');
    await writeAssetFolder(join(root, 'done-before'), 211);
    const queue = new Queue('ended', { connection: redis.connect() });
    let worker = startSandboxWorker(box.sandbox, redis.connect(), 'ended');
    const [first] = (await followJobs(queue, redis.connect(), await enqueueFolders(queue, root, SETTINGS)))!;
    expect(first!.ok).toBe(true);
    await worker.stop('the next job waits in the queue');
    await writeAssetFolder(join(root, 'waiting'), 212);
    const jobs = await enqueueFolders(queue, root, SETTINGS);
    expect(jobs.map((j) => [j.relativePath, j.outcome])).toEqual([['done-before', 'queued'], ['waiting', 'added']]);
    const tasksBefore = box.sandbox.simulator.stats().tasks.length;
    expect(await redis.connect().flushall()).toBe('OK');

    worker = startSandboxWorker(box.sandbox, redis.connect(), 'ended');
    const requeued: string[] = [];
    try {
      const results = (await followJobs(queue, redis.connect(), jobs, { onRequeued: (job, state) => requeued.push(`${job.relativePath}: ${state}`) }))!;
      expect(requeued).toEqual(['waiting: no journal']);
      const journal = (await journalOf(join(root, 'done-before')))!;
      expect(results[0]).toMatchObject({
        job: join(root, 'done-before'),
        ok: true,
        taskId: first!.taskId,
        result: { path: first!.result!.path, bytes: first!.result!.bytes },
        request: journal.request,
        qc: journal.result!.qc,
        error: null,
        state: 'downloaded',
        notes: ['the queue lost this job (Redis lost its keys) after it ended: this result is read from its journal'],
      });
      expect([results[1]!.ok, results[1]!.error]).toEqual([true, null]);
      expect(box.sandbox.simulator.stats().tasks.length).toBe(tasksBefore + 1);
    } finally {
      await worker.stop('end of test');
      await queue.close();
    }
  });

  it('a job lost before it ended, followed without the data it was enqueued with: failed, saying it was lost and to enqueue it again', async () => {
    const root = join(box.dir, 'no-data');
    const folder = await writeAssetFolder(join(root, 'lost'), 213);
    const queue = new Queue('no-data', { connection: redis.connect() });
    const [enqueued] = await enqueueFolders(queue, root, SETTINGS);
    await redis.connect().flushall();
    const followed: EnqueuedJob = { id: enqueued!.id, folder, relativePath: 'lost', outcome: 'added' };
    const [result] = (await followJobs(queue, redis.connect(), [followed]))! as RunJobResult[];
    expect([result!.ok, result!.error]).toEqual([false, { stage: 'check', message: `job ${enqueued!.id} vanished from queue no-data before it ended (Redis lost its keys?); its journal says: no journal`, hint: 'enqueue the folder again: it resumes from its journal, without a second task' }]);
    await queue.close();
  });

  it('Redis restarted empty (connections lost too) while one task runs and another job waits, limit 1: the waiting job creates only after the task ended; both done', async () => {
    const root = join(box.dir, 'restart');
    const folders = [1, 2].map((n) => join(root, `job-${n}`));
    await Promise.all(folders.map((folder, i) => writeAssetFolder(folder, 220 + i)));
    const queue = new Queue('restart', { connection: redis.connect() });
    const jobs = await enqueueFolders(queue, root, SETTINGS);
    const logs: string[] = [];
    const workers = [0, 1].map(() => startSandboxWorker(box.sandbox, redis.connect(), 'restart', { mediaConcurrency: 2, apiConcurrency: 1, taskSlotRecoveryMs: DEFAULT_RECOVERY_MS, log: (line) => logs.push(line) }));
    const inFlightBefore = box.sandbox.simulator.stats().tasks.length;
    try {
      const following = followJobs(queue, redis.connect(), jobs);
      const uploadedOnly = async () => (await Promise.all(folders.map(journalOf))).filter((j) => j?.request !== undefined && j.submit === undefined).length;
      await waitFor(async () => box.sandbox.simulator.stats().inFlight === 1 && (await uploadedOnly()) === 1, 'one task in flight and the other job at its create', { timeoutMs: 60_000, everyMs: 50, detail: () => logs.join('') });
      await redis.restart();

      const results = (await following)!;
      expect(results.map((r) => [r.job, r.ok, r.error])).toEqual(folders.map((folder) => [folder, true, null]));
      const created = box.sandbox.simulator.stats().tasks.slice(inFlightBefore);
      expect(created.map((t) => t.id).sort()).toEqual(results.map((r) => r.taskId).sort());
      // the two tasks one after the other: the second created after the first was done (the simulator's clock)
      const [first, second] = created.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      expect(Date.parse(second!.createdAt) - Date.parse(first!.createdAt)).toBeGreaterThanOrEqual(6000);
    } finally {
      await Promise.all(workers.map((w) => w.stop('end of test')));
      await queue.close();
    }
  });
});
