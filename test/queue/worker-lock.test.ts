import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_DIR, readBusy } from '../../src/pipeline/job-lock.js';
import { enqueueFolders } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import type { QueuedSettings } from '../../src/queue/job-data.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { REPO, startCli } from '../helpers/cli-process.js';
import { displayPath } from '../../src/shared/display-path.js';
import { lockTaken, writeLockJob } from '../helpers/lock-job.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { redisForTests, removeQueue, testRedis, uniqueQueueName } from '../helpers/redis.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

const { missing } = await redisForTests('test/queue/worker-lock.test.ts');

const SETTINGS: QueuedSettings = { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false };

/** The file lock and the queue's Redis folder lease agree: a local `run` (a process of its own) beside a worker on the same folder makes one task. */
describe.skipIf(missing !== null)('a local run beside a queue worker on the same folder (real Redis, sandbox, run processes)', () => {
  const box = useSandbox('sp-worker-lock-', { taskDurationMs: 2000 });
  const queueName = uniqueQueueName('lock');
  let sandbox: Sandbox;
  let redis: Redis;
  let env: Record<string, string>;

  beforeAll(() => {
    ({ sandbox } = box);
    redis = testRedis();
    env = { ...sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') };
  });
  afterAll(async () => {
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  const tasksFor = (prompt: string) => sandbox.simulator.stats().tasks.filter((t) => t.prompt === prompt);

  it('run first: the worker finds the job busy, puts it in the delayed set (never failed), and later finds it done with the run\'s task', async () => {
    const root = join(box.dir, 'run-first');
    const { folder, prompt } = await writeLockJob(root, 'shared');
    const run = startCli(['run', folder], env);
    const holder = await lockTaken(folder, 'seedance-preflight run', () => run.stdout() + run.stderr());
    const queue = new Queue(queueName, { connection: redis });
    const log: string[] = [];
    const worker = startSandboxWorker(sandbox, redis, queueName, { log: (line) => log.push(line) });
    try {
      const jobs = await enqueueFolders(queue, root, SETTINGS);
      expect((await run.exited).code, run.stderr()).toBe(0);
      const [result] = (await followJobs(queue, redis, jobs))!;
      const tasks = tasksFor(prompt);
      expect(tasks.length).toBe(1);
      expect([result!.ok, result!.taskId, result!.busy ?? null]).toEqual([true, tasks[0]!.id, null]);
      expect(run.stdout()).toContain(`task ${tasks[0]!.id} completed`);
      const busyLine = new RegExp(`^\\[shared\\] busy: another process runs this job: pid ${run.pid} on ${escapeRegExp(hostname())} \\(seedance-preflight run\\), holding it since ${escapeRegExp(holder.startedAt)}, last heartbeat \\d+ s ago \\(lock ${escapeRegExp(join(folder, '.seedance-preflight', LOCK_DIR))}\\): trying again in \\d+ s\\n$`);
      expect(log.filter((l) => busyLine.test(l)).length, log.join('')).toBeGreaterThan(0);
      expect(log.filter((l) => / failed/.test(l))).toEqual([]);
    } finally {
      await worker.stop('end of test');
      await queue.close();
    }
  }, 120_000);

  it('worker first: the run exits 75 naming the worker\'s process; the worker makes the one task', async () => {
    const root = join(box.dir, 'worker-first');
    const { folder, prompt } = await writeLockJob(root, 'shared');
    const queue = new Queue(queueName, { connection: redis });
    const worker = startSandboxWorker(sandbox, redis, queueName);
    try {
      const jobs = await enqueueFolders(queue, root, SETTINGS);
      const holder = await lockTaken(folder);
      expect(holder.pid).toBe(process.pid);
      const run = startCli(['run', folder], env);
      expect((await run.exited).code, run.stdout() + run.stderr()).toBe(75);
      // named as the process shows it from the repository it runs in (absolute only when they share no folder but the root)
      expect(run.stdout()).toContain(`- ${displayPath(folder, REPO)}  busy: another process runs this job: pid ${process.pid} on ${hostname()} (${holder.command}), holding it since ${holder.startedAt}, last heartbeat `);
      const [result] = (await followJobs(queue, redis, jobs))!;
      const tasks = tasksFor(prompt);
      expect(tasks.length).toBe(1);
      expect([result!.ok, result!.taskId]).toEqual([true, tasks[0]!.id]);
      // the worker gave the lock back when the job ended
      expect(await readBusy(join(folder, '.seedance-preflight'), 30_000)).toBeNull();
    } finally {
      await worker.stop('end of test');
      await queue.close();
    }
  }, 120_000);
});
