import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedProgress } from '../../src/queue/job-data.js';
import type { QueueWorker } from '../../src/queue/worker.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/queue-progress.test.ts');

describe.skipIf(missing !== null)('batch --queue: the worker publishes encode and task progress, the follower shows it (real Redis, sandbox)', () => {
  // a task of 3 s polled every 50–100 ms: many polls, which the worker sends at most twice a second
  const box = useSandbox('sp-queue-progress-', { taskDurationMs: 3000 });
  const { run } = useSandboxCli(box, { probeCache: true });
  const queueName = uniqueQueueName('progress');
  let redis: Redis;
  let worker: QueueWorker;
  let events: QueueEvents;
  const published: QueuedProgress[] = [];

  beforeAll(async () => {
    redis = testRedis();
    await writeAssetFolder(join(box.dir, 'root/a'), 71, { seconds: 4 });
    worker = startSandboxWorker(box.sandbox, redis, queueName);
    // what the worker publishes, read as any follower reads it
    events = new QueueEvents(queueName, { connection: redis.duplicate() });
    events.on('progress', ({ data }) => void published.push(data as unknown as QueuedProgress));
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events?.close();
    await worker?.stop('end of test');
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  it('sends encode fractions, upload bytes and task polls (files relative to the job, no URLs); the log shows each poll once', async () => {
    const result = await run(['batch', 'root', '--queue', TEST_REDIS_URL, '--queue-name', queueName]);
    expect(result.code).toBe(0);
    const within = published.flatMap((p) => (p.event ? [p.event] : []));
    // named from the job's folder, without the worker's paths or any URL
    expect(JSON.stringify(within)).not.toContain(box.dir);
    expect(JSON.stringify(within)).not.toContain('://');
    const last = <T extends { file: string }>(list: T[]) => Object.fromEntries(list.map((e) => [e.file, e]));
    const encodes = within.flatMap((e) => (e.type === 'encode' ? [e] : []));
    expect(encodes.every((e) => e.fraction >= 0 && e.fraction <= 1)).toBe(true);
    // each file's encode ends at 1, its stage's last state, and says so once
    expect(Object.values(last(encodes)).map((e) => [e.file, e.fraction]).sort()).toEqual([['clip.mp4', 1], ['music.flac', 1], ['still.png', 1]]);
    expect(encodes.filter((e) => e.fraction === 1)).toHaveLength(3);
    const uploads = within.flatMap((e) => (e.type === 'upload' ? [e] : []));
    expect(Object.values(last(uploads)).map((e) => [e.file, e.loaded === e.bytes && e.bytes > 0]).sort()).toEqual([
      ['.seedance-preflight/fixed/clip.mp4', true],
      ['.seedance-preflight/fixed/music.mp3', true],
      ['.seedance-preflight/fixed/still.png', true],
    ]);
    const tasks = within.flatMap((e) => (e.type === 'task' ? [e] : []));
    const taskId = tasks.at(-1)!.id;
    expect(tasks.at(-1)).toEqual({ type: 'task', id: taskId, status: 'completed', progress: 100, etaSeconds: null });
    // polled every 50–100 ms for 3 s, sent at most twice a second (and the last poll with the next stage)
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    expect(tasks.length).toBeLessThanOrEqual(9);

    // the log: a line per stage and per poll the worker sent, in its words, none twice
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(new Set(lines).size).toBe(lines.length);
    // the follower starts reading after enqueuing: the check stage may come before it listens; whether a log says
    // "ended: done" after "done: result …" is the log view's choice (test/cli/terminal), not the queue's
    const shown = lines.filter((l) => l !== '[root/a] check: probing and checking every file' && l !== '[root/a] ended: done');
    const polls = tasks.map((t) => `[root/a] wait: ${t.status} ${t.progress ?? 0}%${t.etaSeconds != null ? ` (about ${t.etaSeconds} s)` : ''}`);
    expect(shown).toEqual([
      `queue ${queueName} at ${TEST_REDIS_URL}/0: 1 job: 1 added, 0 already queued`,
      '[root/a] fix: 2 of 3 files need fixing',
      '[root/a] upload: 3 files to seedance',
      '[root/a] submit: creating the task (seedance-2.0-reference-to-video)',
      `[root/a] wait: task ${taskId}`,
      ...polls.filter((line, i) => line !== polls[i - 1]),
      `[root/a] download: ${box.sandbox.simulator.baseUrl}/files/${taskId}.mp4`,
      `[root/a] done: result root/a/output/${taskId}.mp4`,
      expect.stringMatching(/^batch: 1 job: 1 done, 0 failed, 0 remaining · \d+:\d\d elapsed · ETA 0:00$/),
    ]);
    expect(polls.slice(0, -1).every((line) => /^\[root\/a\] wait: (pending|processing) \d+%( \(about \d+ s\))?$/.test(line))).toBe(true);
  });
});
