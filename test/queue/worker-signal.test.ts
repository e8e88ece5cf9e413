import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followJobs } from '../../src/queue/follow.js';
import type { EnqueuedJob } from '../../src/queue/enqueue.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';
import { tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { readJobJournal, writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/worker-signal.test.ts');
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The command line in a child process (run from source through tsx), its stderr collected as it comes. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; stderr: () => string; exited: Promise<number | null>; waitFor: (text: string) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/bin.ts'), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((w) => stderr.includes(w.text))) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stderr.includes(text)) return resolve();
      waiters.push({ text, resolve });
      void exited.then(() => reject(new Error(`the process ended before saying ${JSON.stringify(text)}; its stderr:\n${stderr}`)));
    });
  return { child, stderr: () => stderr, exited, waitFor };
}

describe.skipIf(missing !== null)('worker: SIGTERM while a job waits on its task (child process, real Redis, sandbox)', () => {
  // tasks long enough that the worker is surely waiting on one when it is told to stop
  const box = useSandbox('sp-worker-signal-', { taskDurationMs: 4000 });
  const queueName = uniqueQueueName('signal');
  let sandbox: Sandbox;
  let dir: string;
  let redis: Redis;

  beforeAll(() => {
    ({ sandbox, dir } = box);
    redis = testRedis();
  });
  afterAll(async () => {
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  it('exits 0, puts the job back in the queue, and another worker finishes it with the same task (one task in all)', async () => {
    const root = join(dir, 'root');
    await writeAssetFolder(join(root, 'job-1'), 81);
    const env = { ...process.env, ...sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
    const enqueued = await cli(['batch', root, '--queue', TEST_REDIS_URL, '--queue-name', queueName, '--no-wait'], { env });
    expect(enqueued.code).toBe(0);
    const before = sandbox.simulator.createdTasks().length;

    const worker = spawnCli(['worker', '--queue', TEST_REDIS_URL, '--queue-name', queueName, '--lock-duration', '5', '--media-concurrency', '1', '--api-concurrency', '1'], env);
    await worker.waitFor('[job-1] wait: task ');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const lines = worker.stderr().split('\n');
    expect(lines.filter((l) => /^worker \S+: (SIGTERM: stopping at the next step; running jobs go back to the queue|stopped)$/.test(l))).toHaveLength(2);
    expect(lines).toContain('[job-1] stopped at a step boundary: back in the queue for another worker');
    expect(worker.stderr()).not.toContain(sandbox.apiKey);

    const journal = await readJobJournal(join(root, 'job-1'));
    const taskId = journal!.submit!.taskId!;
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    const queue = new Queue(queueName, { connection: redis });
    const [job] = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(await job!.getState()).toBe('waiting');

    // another worker takes the job from its journal: it resumes waiting on the same task
    const next = startSandboxWorker(sandbox, redis, queueName);
    try {
      const followed: EnqueuedJob = { id: job!.id!, folder: join(root, 'job-1'), relativePath: 'job-1', outcome: 'queued' };
      const [result] = (await followJobs(queue, redis, [followed]))!;
      expect(result!.ok).toBe(true);
      expect(result!.taskId).toBe(taskId);
      expect(new Set(result!.resumed)).toEqual(new Set(['check', 'fix', 'upload', 'submit']));
    } finally {
      await next.stop('end of test');
      await queue.close();
    }
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
  });
});

describe.skipIf(missing !== null)('batch --queue: Ctrl-C while following (child process, real Redis)', () => {
  const queueName = uniqueQueueName('follow-signal');
  let redis: Redis;
  let temp: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    redis = testRedis();
    temp = await tempDir('sp-follow-signal-');
  });
  afterAll(async () => {
    await removeQueue(redis, queueName);
    await redis.quit();
    await temp.cleanup();
  });

  it('stops following with exit 130; the jobs stay in the queue', async () => {
    const root = join(temp.dir, 'root');
    await writeAssetFolder(join(root, 'job-1'), 82);
    // no worker runs: the follower would wait forever
    const follower = spawnCli(['batch', root, '--queue', TEST_REDIS_URL, '--queue-name', queueName], process.env);
    await follower.waitFor(`queue ${queueName} at ${TEST_REDIS_URL}/0: 1 job: 1 added, 0 already queued\n`);
    follower.child.kill('SIGINT');
    expect(await follower.exited).toBe(130);
    expect(follower.stderr().split('\n').at(-2)).toBe(`stopped following: the jobs go on in queue ${queueName} (seedance-preflight queue status --queue ${TEST_REDIS_URL}/0 --queue-name ${queueName})`);
    const queue = new Queue(queueName, { connection: redis });
    expect(await queue.getJobCounts('waiting', 'active', 'completed', 'failed')).toEqual({ waiting: 1, active: 0, completed: 0, failed: 0 });
    await queue.close();
  });
});

