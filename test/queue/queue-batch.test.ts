import { cp, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueWorker } from '../../src/queue/worker.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { VERSION } from '../../src/version.js';
import { fixture } from '../helpers/fixtures.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { startSandboxWorker } from '../helpers/queue-worker.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const { missing } = await redisForTests('test/queue/queue-batch.test.ts');

describe.skipIf(missing !== null)('batch --queue with an in-process worker (real Redis, sandbox)', () => {
  const box = useSandbox('sp-queue-batch-', { taskDurationMs: 300 });
  const { run } = useSandboxCli(box, { probeCache: true });
  const queueName = uniqueQueueName('batch');
  let sandbox: Sandbox;
  let dir: string;
  let redis: Redis;
  let worker: QueueWorker;
  const log: string[] = [];

  beforeAll(async () => {
    ({ sandbox, dir } = box);
    redis = testRedis();
    // the folders of test/cli/batch.test.ts: two good ones, one with a text file named .mp4, one whose request is not JSON
    await Promise.all([writeAssetFolder(join(dir, 'root/good-1'), 61), writeAssetFolder(join(dir, 'root/good-2'), 62)]);
    await mkdir(join(dir, 'root/junk'));
    await copyFile(fixture('text-named.mp4'), join(dir, 'root/junk/clip.mp4'));
    await mkdir(join(dir, 'root/not-json'));
    await writeFile(join(dir, 'root/not-json/request.json'), '{"model": ');
    // the same folders for a local batch to compare with
    await cp(join(dir, 'root'), join(dir, 'local'), { recursive: true });
    worker = startSandboxWorker(sandbox, redis, queueName, { mediaConcurrency: 2, apiConcurrency: 2, log: (line) => log.push(line) });
  });

  afterAll(async () => {
    await worker?.stop('end of test');
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  const queueArgs = ['--queue', TEST_REDIS_URL, '--queue-name', queueName];
  /**
   * A summary table with its task ids and ROOT replaced (absolute, and as the table names it from the sandbox's folder),
   * its column padding collapsed, to compare two batches of the same folders.
   */
  const normalised = (text: string, root: string) =>
    text.replace(/task-[\w-]+/g, 'TASK').replaceAll(root, 'ROOT').replaceAll(`${relative(dir, root)}/`, 'ROOT/').replace(/ {2,}/g, '  ');

  it('prints the same summary and --junit as a local batch of the same folders; one task per good folder; exit 1', async () => {
    const before = sandbox.simulator.createdTasks().length;
    const queued = await run(['batch', 'root', ...queueArgs, '--junit', 'queued.xml']);
    expect(queued.code).toBe(1);
    expect(sandbox.simulator.createdTasks().length).toBe(before + 2);
    expect(queued.stderr.split('\n')[0]).toBe(`queue ${queueName} at ${TEST_REDIS_URL}/0: 4 jobs: 4 added, 0 already queued`);
    // the follower names each job from the folder it ran in, as every output does
    // (a done job's line is its result: whether a log also says "ended: done" is the log view's choice)
    expect(queued.stderr).toMatch(/^\[root\/good-1\] done: result root\/good-1\/output\/task-[\w-]+\.mp4$/m);
    expect(queued.stderr).toContain('[root/junk] ended: failed at fix\n');
    // a log gets one line per event: none twice (a worker's stage, then its task in the same words, included)
    const lines = queued.stderr.split('\n').filter(Boolean);
    expect(new Set(lines).size).toBe(lines.length);

    const local = await run(['batch', 'local', '--junit', 'local.xml']);
    expect(local.code).toBe(1);
    expect(normalised(queued.stdout, join(dir, 'root'))).toBe(normalised(local.stdout, join(dir, 'local')));
    expect(queued.stdout.split('\n').at(-2)).toBe('2 of 4 jobs done, 2 failed.');
    // stage progress: on the worker's stderr, and through job progress to the follower's
    expect(log).toContain('[good-1] upload: 3 files to seedance\n');
    expect(queued.stderr).toContain('[root/good-1] upload: 3 files to seedance\n');
    expect(log.filter((l) => l.startsWith('[junk] failed at fix: '))).toHaveLength(1);

    // queue status: the counts, and each job's state, stage and task
    const tasks = Object.fromEntries(queued.stdout.split('\n').slice(1, 3).map((l) => l.split(/ {2,}/)).map((r) => [r[0]!.slice('root/'.length), r[3]]));
    const status = await run(['queue', 'status', ...queueArgs]);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    const [jobsPart, workersPart] = status.stdout.split(/(?=^workers: )/m);
    expect(jobsPart).toBe(
      [
        `queue ${queueName} at ${TEST_REDIS_URL}/0: 0 waiting, 0 active, 2 done, 2 failed`,
        'job       state   stage  task',
        `good-1    done    done   ${tasks['good-1']}`,
        `good-2    done    done   ${tasks['good-2']}`,
        'junk      failed  fix    -',
        'not-json  failed  check  -',
        '',
      ].join('\n'),
    );
    // the in-process worker, by its heartbeat: holding no job (its up time and heartbeat age vary)
    const [summary, header, row, end, ...rest] = workersPart!.split('\n');
    expect([summary, header, end, rest]).toEqual(['workers: 1 alive, 0 gone', expect.stringMatching(/^worker +host +pid +jobs +up +last heartbeat$/), '', []]);
    expect(row!.split(/ {2,}/)).toEqual([worker.id, hostname(), String(process.pid), '0', expect.stringMatching(/^\d+ s$/), expect.stringMatching(/^\d+ s ago$/)]);
    const json = JSON.parse((await run(['queue', 'status', ...queueArgs, '--json'])).stdout) as { queue: string; counts: unknown; jobs: { relativePath: string; state: string; stage: string; taskId: string | null; failedReason: string | null; root: string }[] };
    expect(json.queue).toBe(queueName);
    expect(json.counts).toEqual({ waiting: 0, active: 0, done: 2, failed: 2 });
    expect(json.jobs.map((j) => [j.relativePath, j.root, j.state, j.stage, j.taskId])).toEqual([
      ['good-1', join(dir, 'root'), 'done', 'done', tasks['good-1']],
      ['good-2', join(dir, 'root'), 'done', 'done', tasks['good-2']],
      ['junk', join(dir, 'root'), 'failed', 'fix', null],
      ['not-json', join(dir, 'root'), 'failed', 'check', null],
    ]);
    expect(json.jobs[3]!.failedReason).toMatch(/^check: .*not-json\/request\.json: the request file cannot be used: it is not valid JSON/);

    const xml = (file: string, root: string) => readFile(join(dir, file), 'utf8').then((text) => normalised(text, root).replace(/time="[\d.]+"/g, 'time=""').replace(/timestamp="[^"]*"/g, ''));
    expect(await xml('queued.xml', join(dir, 'root'))).toBe(await xml('local.xml', join(dir, 'local')));
  });

  it('enqueuing the same folders again adds nothing and creates no task: the summary comes from the ended jobs', async () => {
    const queue = new Queue(queueName, { connection: redis });
    const countBefore = await queue.getJobCountByTypes('completed', 'failed', 'waiting', 'active', 'delayed');
    const before = sandbox.simulator.createdTasks().length;
    const again = await run(['batch', 'root', ...queueArgs, '--json']);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n')[0]).toBe(`queue ${queueName} at ${TEST_REDIS_URL}/0: 4 jobs: 0 added, 2 already queued, 2 failed before and queued again`);
    const report = JSON.parse(again.stdout) as { jobs: { job: string; ok: boolean }[] };
    expect(report.jobs.map((j) => [j.job, j.ok])).toEqual([['root/good-1', true], ['root/good-2', true], ['root/junk', false], ['root/not-json', false]]);
    expect(await queue.getJobCountByTypes('completed', 'failed', 'waiting', 'active', 'delayed')).toBe(countBefore);
    expect(countBefore).toBe(4);
    expect(sandbox.simulator.createdTasks().length).toBe(before);
    await queue.close();
  });

  it('--no-wait enqueues and exits 0 at once, saying how many were added', async () => {
    await writeAssetFolder(join(dir, 'root/good-3'), 63);
    const result = await run(['batch', 'root', ...queueArgs, '--no-wait']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`queue ${queueName} at ${TEST_REDIS_URL}/0: 5 jobs: 1 added, 2 already queued, 2 failed before and queued again\n`);
    const json = await run(['batch', 'root', ...queueArgs, '--no-wait', '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const enqueued = JSON.parse(json.stdout) as { queue: string; jobs: { id: string; job: string; outcome: string }[] };
    expect(enqueued.queue).toBe(queueName);
    expect(enqueued.jobs.map((j) => [j.job, j.outcome])).toEqual([['good-1', 'queued'], ['good-2', 'queued'], ['good-3', 'queued'], ['junk', 'retried'], ['not-json', 'retried']]);
    expect(enqueued.jobs.every((j) => /^j[0-9a-f]{32}$/.test(j.id))).toBe(true);
  });

  it.each([
    [['batch', 'nowhere'], 'nowhere does not exist'],
    [['batch', 'empty'], 'no asset folders under empty: a job is a folder with a request.json, or with media files'],
  ])('usage error %j with --queue (exit 2)', async (args, message) => {
    await mkdir(join(dir, 'empty'), { recursive: true });
    const result = await run([...args, ...queueArgs]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
  });

  it('queue status of a queue that holds nothing: zero counts, and no key written', async () => {
    const empty = uniqueQueueName('empty');
    const result = await run(['queue', 'status', '--queue', TEST_REDIS_URL, '--queue-name', empty]);
    expect(result).toEqual({ code: 0, stdout: `queue ${empty} at ${TEST_REDIS_URL}/0: 0 waiting, 0 active, 0 done, 0 failed\n`, stderr: '' });
    expect(await redis.keys(`bull:${empty}:*`)).toEqual([]);
    expect(await redis.keys(`seedance-preflight:${empty}:*`)).toEqual([]);
  });
});
