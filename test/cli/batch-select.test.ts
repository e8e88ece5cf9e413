import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { redisForTests, removeQueue, testRedis, TEST_REDIS_URL, uniqueQueueName } from '../helpers/redis.js';
import { cli } from '../helpers/run-cli.js';

/** Image-only asset folders (a JPEG and prompt.txt): a dry run of each is a probe and a copy. */
const JOBS = ['shoot-1', 'shoot-2', 'shoot-2-draft', 'client-a/shoot-3', 'client-a/intro'];

let dir: string;
let cleanup: () => Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-batch-select-'));
  for (const job of JOBS) {
    await mkdir(join(dir, 'root', job), { recursive: true });
    await copyFile(fixture('landscape-1280x720.jpg'), join(dir, 'root', job, 'still.jpg'));
    await writeFile(join(dir, 'root', job, 'prompt.txt'), `${job}: image 1 turns slowly.\n`);
  }
  // no settings at all: a dry run needs none; the cache stays in the test's folder
  env = { PATH: process.env.PATH, HOME: dir, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
});

afterAll(() => cleanup());

const run = (args: string[]) => cli(args, { env, cwd: dir });
const rowNames = (stdout: string) => stdout.split('\n').slice(1).filter((l) => / {2}dry run$/.test(l)).map((l) => l.split(/ {2,}/)[0]);

describe('batch --only / --exclude (local)', () => {
  it('runs only the folders selected; the table and stderr say how many of how many', async () => {
    const result = await run(['batch', 'root', '--dry-run', '--only', 'shoot-*', '--exclude', '*-draft']);
    expect(result.code).toBe(0);
    // named from the folder the command ran in, as the report names them
    expect(rowNames(result.stdout)).toEqual(['root/client-a/shoot-3', 'root/shoot-1', 'root/shoot-2']);
    expect(result.stdout.split('\n').slice(-3)).toEqual(['3 of 3 jobs done.', '3 of 5 folders selected by --only/--exclude.', '']);
    expect(result.stderr.split('\n')[0]).toBe('batch: 3 of 5 folders selected by --only/--exclude');
  });

  it('repeated --only globs add up; a parent folder selects the jobs under it; --json says how many were found and selected', async () => {
    const result = await run(['--json', 'batch', 'root', '--dry-run', '--only', 'client-a', '--only', 'shoot-1']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; folders: unknown; jobs: { job: string }[] };
    expect(Object.keys(report)).toEqual(['ok', 'dryRun', 'folders', 'jobs']);
    expect(report.folders).toEqual({ selected: 3, found: 5 });
    expect(report.jobs.map((j) => j.job)).toEqual(['root/client-a/intro', 'root/client-a/shoot-3', 'root/shoot-1']);
  });

  it('without a filter nothing is said about a selection', async () => {
    const result = await run(['--json', 'batch', 'root', '--dry-run']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['ok', 'dryRun', 'jobs']);
    expect(result.stderr).not.toContain('selected by');
  });

  it.each([
    [['--only', 'shot-*'], "--only 'shot-*' selects none of the 5 asset folders under root (client-a/intro, client-a/shoot-3, shoot-1, shoot-2, shoot-2-draft)"],
    [['--only', 'shoot-1', '--exclude', 'shoot-*'], "--only 'shoot-1' --exclude 'shoot-*' leave none of the 5 asset folders under root (client-a/intro, client-a/shoot-3, shoot-1, shoot-2, shoot-2-draft)"],
    [['--exclude', '/abs'], "--exclude '/abs' is an absolute path: globs match asset-folder paths under ROOT, such as 'shoot-*' or 'client-a/*'"],
  ])('%j: exit 2, one line, nothing run', async (flags, message) => {
    const result = await run(['batch', 'root', '--dry-run', ...flags]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
  });
});

const { missing } = await redisForTests('test/cli/batch-select.test.ts');

describe.skipIf(missing !== null)('batch --queue --only / --exclude (real Redis)', () => {
  const queueName = uniqueQueueName('select');
  const redis = testRedis();

  afterAll(async () => {
    await removeQueue(redis, queueName);
    await redis.quit();
  });

  it('enqueues only the folders selected and says how many of how many', async () => {
    const result = await run(['--json', 'batch', 'root', '--queue', TEST_REDIS_URL, '--queue-name', queueName, '--no-wait', '--exclude', 'client-a', '--exclude', '*-draft']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('batch: 2 of 5 folders selected by --only/--exclude\n');
    const enqueued = JSON.parse(result.stdout) as { queue: string; folders: unknown; jobs: { job: string; outcome: string }[] };
    expect(enqueued.folders).toEqual({ selected: 2, found: 5 });
    expect(enqueued.jobs.map((j) => [j.job, j.outcome])).toEqual([['shoot-1', 'added'], ['shoot-2', 'added']]);
    const queue = new Queue(queueName, { connection: redis });
    try {
      expect((await queue.getJobs(['waiting'])).map((j) => (j.data as { relativePath: string }).relativePath).sort()).toEqual(['shoot-1', 'shoot-2']);
    } finally {
      await queue.close();
    }
  });

  it('--restart does not go with --queue (exit 2)', async () => {
    const result = await run(['batch', 'root', '--queue', TEST_REDIS_URL, '--queue-name', queueName, '--restart', 'failed']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'seedance-preflight: --restart does not go with --queue: the workers run the jobs; run a local batch for it\n' });
  });
});
