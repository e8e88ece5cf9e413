import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { drainedKey } from '../../src/queue/drained.js';
import type { EnqueuedJob } from '../../src/queue/enqueue.js';
import { followJobs } from '../../src/queue/follow.js';
import { redisNow } from '../../src/queue/heartbeat.js';
import { JOB_FORMAT, queuedJobId, type QueuedJobData } from '../../src/queue/job-data.js';
import type { Profile } from '../../src/spec/profile.js';
import { VERSION } from '../../src/version.js';
import { tempDir } from '../helpers/fixtures.js';
import { AGE_RULE } from '../../src/queue/age-text.js';
import { cli } from '../helpers/run-cli.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';

const { missing } = await redisForTests('test/queue/queue-admin.test.ts');

const DAY = 24 * 3600_000;

/**
 * A queue of its own per test, its jobs brought to each state by BullMQ itself: added (waiting), delayed, taken by a
 * worker that holds its lock (active), finished through that worker's token (done, failed). No worker runs a processor:
 * every job stays where the test put it.
 */
describe.skipIf(missing !== null)('queue retry, clean, drain: exactly what each changed (real Redis)', () => {
  let redis: Redis;
  const made: { queue: Queue; worker: Worker }[] = [];

  beforeAll(() => {
    redis = testRedis();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    for (const { queue, worker } of made) {
      await worker.close();
      await removeQueue(redis, queue.name);
      await queue.close();
    }
    await redis.quit();
  });

  /** A fresh queue; `put(folder, state)` brings one job of folder `folder` (under /jobs) to that state and returns its id. */
  async function freshQueue(label: string) {
    const queue = new Queue(uniqueQueueName(label), { connection: redis });
    const worker = new Worker(queue.name, null, { connection: redis, autorun: false, lockDuration: 600_000 });
    made.push({ queue, worker });
    const put = async (folder: string, state: 'waiting' | 'delayed' | 'active' | 'done' | 'failed', finishedDaysAgo = 0): Promise<string> => {
      const id = queuedJobId(folder, `fp-${folder}`);
      await queue.add('asset-folder', { root: '/jobs', relativePath: folder }, { jobId: id, ...(state === 'delayed' && { delay: DAY }) });
      if (state === 'waiting' || state === 'delayed') return id;
      const token = `token-${folder}`;
      const job = await worker.getNextJob(token);
      expect(job?.id).toBe(id);
      if (state === 'active') return id;
      // a job finished days ago cannot be made without waiting days: only BullMQ's stamp of the finish is put back
      if (finishedDaysAgo > 0) vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - finishedDaysAgo * DAY });
      try {
        if (state === 'done') await job!.moveToCompleted({ ok: true }, token, false);
        else await job!.moveToFailed(new Error(`${folder} failed at fix`), token, false);
      } finally {
        vi.useRealTimers();
      }
      return id;
    };
    const counts = () => queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    const args = (...rest: string[]) => [...rest, '--queue', TEST_REDIS_URL, '--queue-name', queue.name];
    const head = `queue ${queue.name} at ${TEST_REDIS_URL}/0`;
    return { queue, put, counts, args, head };
  }

  it('queue retry: named jobs (by folder or id), then --all; a name that is not a failed job changes nothing', async () => {
    const { queue, put, counts, args, head } = await freshQueue('retry');
    const a = await put('a', 'failed');
    const b = await put('b', 'failed');
    const c = await put('c', 'failed');
    const d = await put('d', 'done');
    await put('e', 'waiting');
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 1, failed: 3 });

    expect(await cli(args('queue', 'retry'))).toEqual({ code: 2, stdout: '', stderr: 'seedance-preflight: queue retry needs the jobs to put back: job ids or folders as queue status shows them, or --all\n' });
    expect(await cli(args('queue', 'retry', 'a', '--all'))).toEqual({ code: 2, stdout: '', stderr: 'seedance-preflight: queue retry takes job names or --all, not both\n' });
    expect(await cli(args('queue', 'retry', 'a', 'd'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue retry: job "d" of queue ${queue.name} is done, not failed: nothing was put back (see seedance-preflight queue status)\n` });
    expect(await cli(args('queue', 'retry', d))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue retry: job "${d}" of queue ${queue.name} is done, not failed: nothing was put back (see seedance-preflight queue status)\n` });
    expect(await cli(args('queue', 'retry', 'e'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue retry: job "e" of queue ${queue.name} is waiting, not failed: nothing was put back (see seedance-preflight queue status)\n` });
    expect(await cli(args('queue', 'retry', 'nowhere'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue retry: no job "nowhere" in queue ${queue.name}: nothing was put back (see seedance-preflight queue status)\n` });
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 1, failed: 3 });

    // b by its id, a by its folder: listed in folder order
    expect(await cli(args('queue', 'retry', b, 'a'))).toEqual({ code: 0, stdout: `${head}: 2 failed jobs put back to wait: ${a} (a), ${b} (b)\n`, stderr: '' });
    expect(await counts()).toEqual({ waiting: 3, delayed: 0, active: 0, completed: 1, failed: 1 });
    expect(await queue.getJobState(a)).toBe('waiting');

    const all = await cli(args('queue', 'retry', '--all', '--json'));
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(all.stdout)).toEqual({ queue: queue.name, retried: [{ id: c, relativePath: 'c' }], skipped: [] });
    expect(await counts()).toEqual({ waiting: 4, delayed: 0, active: 0, completed: 1, failed: 0 });

    expect(await cli(args('queue', 'retry', '--all'))).toEqual({ code: 0, stdout: `${head}: 0 failed jobs put back to wait\n`, stderr: '' });
    expect(await counts()).toEqual({ waiting: 4, delayed: 0, active: 0, completed: 1, failed: 0 });
  });

  it('queue clean --older-than: finished jobs (done and failed) older than the age go, younger ones and waiting ones stay; --yes required', async () => {
    const { queue, put, counts, args, head } = await freshQueue('clean');
    const old1 = await put('old-1', 'done', 8);
    const old2 = await put('old-2', 'done', 10);
    const oldFailed = await put('old-failed', 'failed', 9);
    const young = await put('young', 'done');
    const youngFailed = await put('young-failed', 'failed');
    const waiting = await put('waiting', 'waiting');
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 3, failed: 2 });

    expect(await cli(args('queue', 'clean', '--older-than', '7d'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue clean removes for good: 3 finished jobs of queue ${queue.name} older than 7d would go; add --yes to remove them\n` });
    expect(await cli(args('queue', 'clean', '--yes'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue clean needs --older-than AGE: ${AGE_RULE}\n` });
    expect(await cli(args('queue', 'clean', '--older-than', '7', '--yes'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --older-than "7" is not an age: ${AGE_RULE}\n` });
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 3, failed: 2 });

    expect(await cli(args('queue', 'clean', '--older-than', '7D', '--yes'))).toEqual({ code: 0, stdout: `${head}: removed 3 finished jobs older than 7d (2 done, 1 failed); 2 younger kept\n`, stderr: '' });
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 1, failed: 1 });
    for (const id of [old1, old2, oldFailed]) expect(await queue.getJobState(id)).toBe('unknown');

    const rest = await cli(args('queue', 'clean', '--older-than', '0s', '--yes', '--json'));
    expect(rest).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(rest.stdout)).toEqual({ queue: queue.name, olderThan: '0s', olderThanMs: 0, removed: { done: [young], failed: [youngFailed] }, kept: { done: 0, failed: 0 } });
    expect(await counts()).toEqual({ waiting: 1, delayed: 0, active: 0, completed: 0, failed: 0 });
    expect(await queue.getJobState(waiting)).toBe('waiting');

    expect(await cli(args('queue', 'clean', '--older-than', '1h', '--yes'))).toEqual({ code: 0, stdout: `${head}: removed 0 finished jobs older than 1h (0 done, 0 failed); 0 younger kept\n`, stderr: '' });
  });

  it('queue drain: every waiting job goes (delayed ones too), never the active one nor finished ones; --yes required', async () => {
    const { queue, put, counts, args, head } = await freshQueue('drain');
    const active = await put('active', 'active');
    const done = await put('done', 'done');
    const w1 = await put('w-1', 'waiting');
    const w2 = await put('w-2', 'waiting');
    const w10 = await put('w-10', 'waiting');
    const later = await put('later', 'delayed');
    expect(await counts()).toEqual({ waiting: 3, delayed: 1, active: 1, completed: 1, failed: 0 });

    expect(await cli(args('queue', 'drain'))).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: queue drain removes for good: 4 waiting jobs of queue ${queue.name} would go (1 active left running); add --yes to remove them\n` });
    expect(await counts()).toEqual({ waiting: 3, delayed: 1, active: 1, completed: 1, failed: 0 });

    expect(await cli(args('queue', 'drain', '--yes'))).toEqual({ code: 0, stdout: `${head}: removed 4 waiting jobs (${later} (later), ${w1} (w-1), ${w2} (w-2), ${w10} (w-10)); 1 active job left running\n`, stderr: '' });
    expect(await counts()).toEqual({ waiting: 0, delayed: 0, active: 1, completed: 1, failed: 0 });
    expect(await queue.getJobState(active)).toBe('active');
    expect(await queue.getJobState(done)).toBe('completed');
    // the active job's lock is untouched: its worker goes on
    expect(await redis.get(`bull:${queue.name}:${active}:lock`)).toBe('token-active');

    const again = await cli(args('queue', 'drain', '--yes', '--json'));
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(again.stdout)).toEqual({ queue: queue.name, removed: [], active: 1, waitingLeft: 0 });
  });

  it('a follower of the drained jobs reports them removed by queue drain and enqueues nothing again; a job a worker took is not marked', async () => {
    const { queue, put, counts, args } = await freshQueue('drain-follow');
    const temp = await tempDir('sp-drain-follow-');
    try {
      const active = await put('active', 'active');
      const waiting = await put('w-1', 'waiting');
      // what the enqueuer would put back if it took the job for one Redis lost (no journal: unfinished)
      const data: QueuedJobData = { format: JOB_FORMAT, toolVersion: VERSION, root: temp.dir, relativePath: 'w-1', fingerprint: 'fp-w-1', settings: { fit: 'pad', audioFormat: 'mp3', profile: {} as Profile, allowOutsidePaths: false } };
      const followed: EnqueuedJob = { id: waiting, folder: join(temp.dir, 'w-1'), relativePath: 'w-1', outcome: 'added', data };
      const since = await redisNow(redis);
      const following = followJobs(queue, redis, [followed], { since });
      expect((await cli(args('queue', 'drain', '--yes'))).code).toBe(0);
      expect(await redis.hkeys(drainedKey(queue.name))).toEqual([waiting]);
      const [result] = (await following)!;
      expect(result!.ok).toBe(false);
      expect(result!.error).toEqual({ stage: 'check', message: `removed from queue ${queue.name} by queue drain before a worker ran it`, hint: 'enqueue the folder again (batch ROOT --queue) to run it' });
      expect(await counts()).toEqual({ waiting: 0, delayed: 0, active: 1, completed: 0, failed: 0 });
      expect(await queue.getJobState(active)).toBe('active');
    } finally {
      await temp.cleanup();
    }
  });

  it('none of them needs a queue that exists: an empty one reports that nothing changed', async () => {
    const name = uniqueQueueName('admin-empty');
    const args = (...rest: string[]) => [...rest, '--queue', TEST_REDIS_URL, '--queue-name', name];
    const head = `queue ${name} at ${TEST_REDIS_URL}/0`;
    expect(await cli(args('queue', 'retry', '--all'))).toEqual({ code: 0, stdout: `${head}: 0 failed jobs put back to wait\n`, stderr: '' });
    expect(await cli(args('queue', 'drain', '--yes'))).toEqual({ code: 0, stdout: `${head}: removed 0 waiting jobs; 0 active jobs left running\n`, stderr: '' });
    expect((await cli(args('queue', 'clean', '--older-than', '7d', '--yes'))).stdout).toBe(`${head}: removed 0 finished jobs older than 7d (0 done, 0 failed); 0 younger kept\n`);
    await removeQueue(redis, name);
  });
});

describe('queue retry, clean, drain: help and usage errors (no Redis needed)', () => {
  it.each([
    [['queue', 'retry', '--help'], 'Usage: seedance-preflight queue retry [options] [jobs...]', '  seedance-preflight queue retry --all\n'],
    [['queue', 'clean', '--help'], 'Usage: seedance-preflight queue clean [options]', '  seedance-preflight queue clean --older-than 7d --yes\n'],
    [['queue', 'drain', '--help'], 'Usage: seedance-preflight queue drain [options]', '  seedance-preflight queue drain --yes\n'],
  ])('%j', async (args, usage, example) => {
    const result = await cli(args);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(usage);
    expect(result.stdout.slice(result.stdout.indexOf('\nExamples:\n'))).toContain(`\n${example}`);
  });

  it('queue --help names every subcommand', async () => {
    const result = await cli(['queue', '--help']);
    const commands = result.stdout.slice(result.stdout.indexOf('\nCommands:\n'), result.stdout.indexOf('\nExamples:\n'));
    expect(commands.split('\n').flatMap((l) => /^ {2}(\w+)\b/.exec(l)?.[1] ?? [])).toEqual(['status', 'retry', 'clean', 'drain']);
  });

  it.each([
    [['queue', 'retry', '--queue', 'redis://127.0.0.1:1'], 'queue retry needs the jobs to put back: job ids or folders as queue status shows them, or --all'],
    [['queue', 'clean', '--queue', 'redis://127.0.0.1:1', '--older-than', '1.5h', '--yes'], `--older-than "1.5h" is not an age: ${AGE_RULE}`],
    [['queue', 'clean', '--older-than', '7d'], 'no queue given: pass --queue redis://HOST:PORT or set SEEDANCE_QUEUE_URL'],
    [['queue', 'drain', '--yes'], 'no queue given: pass --queue redis://HOST:PORT or set SEEDANCE_QUEUE_URL'],
  ])('%j', async (args, message) => {
    expect(await cli(args, { env: { SEEDANCE_QUEUE_URL: undefined } })).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
  });
});
