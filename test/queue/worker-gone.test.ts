import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workersKey } from '../../src/queue/heartbeat.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { startCli, waitFor, type CliProcess } from '../helpers/cli-process.js';
import { cli } from '../helpers/run-cli.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/worker-gone.test.ts');

/** The worker's lock: it beats every sixth of it (1 s) and is gone after three silent beats (3 s). */
const LOCK_SECONDS = 6;

interface StatusJson {
  now: string;
  counts: Record<string, number>;
  workers: { id: string; host: string; pid: number; state: string; jobs: string[]; startedAt: string; lastBeatAt: string; lastBeatAgeMs: number; lockDurationMs: number; beatEveryMs: number }[];
  jobs: { id: string; relativePath: string; state: string; stage: string | null; worker: { workerId: string | null; state: string; lastBeatAgeMs: number | null; lockExpiresInMs: number | null } | null }[];
}

describe.skipIf(missing !== null)('queue status tells a dead worker from a busy one (worker processes, real Redis, sandbox)', () => {
  // a task that outlasts the test: the job is surely on its worker, waiting, when the worker is killed
  const box = useSandbox('sp-worker-gone-', { taskDurationMs: 600_000 });
  const queueName = uniqueQueueName('gone');
  let sandbox: Sandbox;
  let dir: string;
  let redis: Redis;
  const workers: CliProcess[] = [];

  beforeAll(() => {
    ({ sandbox, dir } = box);
    redis = testRedis();
  });
  afterAll(async () => {
    for (const worker of workers) worker.killHard();
    await Promise.all(workers.map((w) => w.exited));
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  const queueArgs = ['--queue', TEST_REDIS_URL, '--queue-name', queueName];
  const status = async (): Promise<StatusJson> => {
    const result = await cli(['queue', 'status', ...queueArgs, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as StatusJson;
  };
  const startWorker = (env: Record<string, string>) => {
    const worker = startCli(['worker', ...queueArgs, '--lock-duration', String(LOCK_SECONDS), '--media-concurrency', '1', '--api-concurrency', '1'], env);
    workers.push(worker);
    return worker;
  };
  /** The id a worker printed when it started. */
  const idOf = (worker: CliProcess) => /^worker (\S+): taking jobs/m.exec(worker.stderr())?.[1] ?? null;

  it('SIGKILL: within one lock period its job reads "worker … gone"; the next worker takes it; a worker stopped cleanly leaves no heartbeat', async () => {
    const root = join(dir, 'root');
    await writeAssetFolder(join(root, 'job-1'), 91);
    const env = { ...sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
    expect((await cli(['batch', root, ...queueArgs, '--no-wait'], { env })).code).toBe(0);

    const first = startWorker(env);
    await waitFor(() => first.stderr().includes('[job-1] wait: task '), 'the first worker to wait on its task', { timeoutMs: 60_000, detail: first.stderr });
    const firstId = idOf(first)!;
    const busy = await status();
    const jobId = busy.jobs[0]!.id;
    expect(busy.workers.map((w) => [w.id, w.host, w.pid, w.state, w.jobs, w.lockDurationMs, w.beatEveryMs])).toEqual([[firstId, hostname(), first.pid, 'alive', [jobId], LOCK_SECONDS * 1000, 1000]]);
    expect(busy.jobs.map((j) => [j.relativePath, j.state, j.stage, j.worker?.workerId, j.worker?.state])).toEqual([['job-1', 'active', 'wait', firstId, 'alive']]);
    expect(busy.jobs[0]!.worker!.lastBeatAgeMs).toBeLessThanOrEqual(3000);
    expect(busy.jobs[0]!.worker!.lockExpiresInMs).toBeGreaterThan(0);

    first.killHard();
    const killedAt = Date.now();
    await first.exited;
    let gone: StatusJson | null = null;
    await waitFor(
      async () => {
        const seen = await status();
        if (seen.jobs[0]?.worker?.state === 'gone') gone = seen;
        return gone !== null;
      },
      'the killed worker\'s job to be marked gone',
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const marked = gone! as StatusJson;
    // read (by Redis's clock, which is this machine's) before one lock period had passed since the kill
    expect(Date.parse(marked.now) - killedAt).toBeLessThan(LOCK_SECONDS * 1000);
    console.log(`worker-gone: the killed worker's job read gone ${Date.parse(marked.now) - killedAt} ms after the kill (lock ${LOCK_SECONDS} s)`);
    expect(marked.counts).toEqual({ waiting: 0, active: 1, done: 0, failed: 0 });
    const [record] = marked.workers;
    expect(marked.workers).toHaveLength(1);
    expect({ ...record, startedAt: undefined, lastBeatAt: undefined, lastBeatAgeMs: undefined }).toEqual({ id: firstId, host: hostname(), pid: first.pid, state: 'gone', jobs: [jobId], lockDurationMs: 6000, beatEveryMs: 1000 });
    expect(record!.lastBeatAgeMs).toBeGreaterThan(3000);
    expect(Date.parse(marked.now) - Date.parse(record!.lastBeatAt)).toBe(record!.lastBeatAgeMs);
    expect(Date.parse(record!.lastBeatAt)).toBeGreaterThanOrEqual(Date.parse(record!.startedAt));
    const holder = marked.jobs[0]!.worker!;
    expect({ ...holder, lockExpiresInMs: undefined }).toEqual({ workerId: firstId, state: 'gone', lastBeatAgeMs: record!.lastBeatAgeMs });
    expect(holder.lockExpiresInMs === null || holder.lockExpiresInMs <= LOCK_SECONDS * 1000).toBe(true);

    // the text: the job's row names its worker gone, and the workers' table says so
    const text = await cli(['queue', 'status', ...queueArgs]);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`queue ${queueName} at ${TEST_REDIS_URL}/0: 0 waiting, 1 active, 0 done, 0 failed`);
    expect(lines[1]).toMatch(/^job {4}state {3}stage  task +worker$/);
    expect(lines[2]).toMatch(new RegExp(`^job-1  active  wait   task-\\S+ +worker ${firstId} gone \\(last seen \\d+ s ago\\): (will be taken again when its lock expires \\(in \\d+ s\\)|its lock expired; taken again once a worker runs \\(none is alive\\))$`));
    expect(lines[3]).toBe('workers: 0 alive, 1 gone');
    expect(lines[5]!.split(/ {2,}/)).toEqual([firstId, hostname(), String(first.pid), '1', expect.stringMatching(/^\d+ s$/), expect.stringMatching(/^\d+ s ago: gone$/)]);

    // another worker takes the job once its lock has expired, and resumes waiting on the same task
    const second = startWorker(env);
    await waitFor(() => second.stderr().includes('[job-1] wait: task '), 'the second worker to take the job', { timeoutMs: 60_000, detail: second.stderr });
    const secondId = idOf(second)!;
    const taken = await status();
    expect(taken.jobs.map((j) => [j.state, j.worker?.workerId, j.worker?.state])).toEqual([['active', secondId, 'alive']]);
    expect(taken.workers.map((w) => [w.id, w.state, w.jobs])).toEqual([[firstId, 'gone', []], [secondId, 'alive', [jobId]]]);

    // a clean stop puts the job back and removes the worker's heartbeat; the killed one's record stays, gone
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    const after = await status();
    expect(after.counts).toEqual({ waiting: 1, active: 0, done: 0, failed: 0 });
    expect(after.workers.map((w) => [w.id, w.state, w.jobs])).toEqual([[firstId, 'gone', []]]);
    expect(Object.keys(await redis.hgetall(workersKey(queueName)))).toEqual([firstId]);
  }, 150_000);
});
