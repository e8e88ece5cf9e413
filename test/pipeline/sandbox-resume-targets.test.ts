import { readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/pipeline/journal.js';
import { startCli, waitFor } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { copyDemo, persistedTasks, readJobJournal, sandboxLine } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

/**
 * A journal's uploads and task belong to the store and API base they were made on. A run on another store uploads
 * again; a resumed create first checks that the uploaded URLs still answer; a sandbox's task that the sandbox no
 * longer knows is created again (a sandbox bills nothing); a task made on a billing API base is never created again
 * silently when the API base changed.
 */
let temp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await tempDir('sp-sandbox-targets-');
});
afterAll(() => temp?.cleanup());

const jobs = ['job-1', 'job-2', 'job-3'];

/**
 * `batch ROOT --sandbox --api-concurrency 1` stopped by Ctrl-C once every job has uploaded and one waits on its task:
 * the others wait for the task slot, their uploads recorded and no task yet. Returns the jobs in each state.
 */
async function interruptWithUploadsPending(base: string, extraArgs: string[] = []): Promise<{ env: Record<string, string | undefined>; root: string; waiting: string[]; withTask: string[]; firstLine: string }> {
  const root = join(base, 'root');
  await Promise.all(jobs.map((name) => copyDemo(join(root, name))));
  const env = { SEEDANCE_SANDBOX_DIR: join(base, 'sandbox'), SEEDANCE_PREFLIGHT_CACHE_DIR: join(base, 'cache'), EVOLINK_API_KEY: undefined, EVOLINK_BASE_URL: undefined, SEEDANCE_S3_BUCKET: undefined, SEEDANCE_S3_ENDPOINT: undefined };
  const first = startCli(['batch', root, '--sandbox', '--api-concurrency', '1', ...extraArgs], env);
  const journals = () => Promise.all(jobs.map((name) => readJobJournal(join(root, name)).catch(() => null)));
  try {
    await waitFor(async () => {
      const all = await journals();
      return all.every((j) => j?.uploads) && all.some((j) => !j?.submit);
    }, 'every job uploaded and one without a task', { timeoutMs: 120_000, everyMs: 30, detail: first.stderr });
  } catch (error) {
    first.killHard();
    throw error;
  }
  process.kill(-first.pid, 'SIGINT');
  expect(await first.exited, first.stderr()).toEqual({ code: 130, signal: null });
  const all = await journals();
  const waiting = jobs.filter((_, i) => all[i]!.uploads && !all[i]!.submit);
  const withTask = jobs.filter((_, i) => all[i]!.submit?.taskId);
  expect(waiting.length + withTask.length).toBe(jobs.length);
  return { env, root, waiting, withTask, firstLine: sandboxLine(first.stderr())! };
}

/** A line (or with `whole` false, the start of one) of a batch's progress about job `name` (named by its path, or by its path under the root). */
function jobLine(name: string, text: string, whole = true): RegExp {
  return new RegExp(`^\\[(?:.*/)?${escapeRegExp(name)}\\] ${escapeRegExp(text)}${whole ? '$' : ''}`, 'm');
}

/** Listens on a port so that the next sandbox cannot. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  return server;
}

async function expectOneTaskPerJob(sandboxDir: string, root: string): Promise<Journal[]> {
  const tasks = await persistedTasks(sandboxDir);
  const journals = (await Promise.all(jobs.map((name) => readJobJournal(join(root, name))))) as Journal[];
  expect(tasks.map((t) => t.id).sort()).toEqual(journals.map((j) => j.submit!.taskId).sort());
  expect(tasks.map((t) => t.final?.status)).toEqual(['completed', 'completed', 'completed']);
  return journals;
}

describe('a --sandbox batch resumed after Ctrl-C', () => {
  it('on a store and simulator that moved to other ports: the jobs without a task upload again, the job with one resumes it', { timeout: 180_000 }, async () => {
    const base = join(temp.dir, 'moved');
    const { env, root, waiting, withTask, firstLine } = await interruptWithUploadsPending(base);
    const ports = JSON.parse(await readFile(join(base, 'sandbox', 'ports.json'), 'utf8')) as { api: number; s3: number };
    const taskIds = await Promise.all(withTask.map(async (name) => (await readJobJournal(join(root, name)))!.submit!.taskId));
    const held = await Promise.all([occupy(ports.api), occupy(ports.s3)]);
    try {
      const again = startCli(['batch', root, '--sandbox', '--api-concurrency', '1'], env);
      expect(await again.exited, again.stderr()).toEqual({ code: 0, signal: null });
      const line = sandboxLine(again.stderr())!;
      expect(line).not.toBe(firstLine);
      const s3 = line.match(/S3 store at (\S+),/)![1]!;
      expect(s3).not.toBe(`http://127.0.0.1:${ports.s3}`);
      for (const name of waiting) {
        expect(again.stderr()).toMatch(jobLine(name, `note: the media were uploaded to bucket seedance at http://127.0.0.1:${ports.s3}, not this run's bucket seedance at ${s3}: uploading them again`));
      }
      for (const name of withTask) expect(again.stderr()).not.toMatch(jobLine(name, 'note:', false));
      const journals = await expectOneTaskPerJob(join(base, 'sandbox'), root);
      // the task created before the move is the one its job finished with (the same folder knows it on its new port)
      expect(withTask.map((name) => journals[jobs.indexOf(name)]!.submit!.taskId)).toEqual(taskIds);
      for (const name of waiting) expect(journals[jobs.indexOf(name)]!.uploadedTo).toEqual({ endpoint: s3, bucket: 'seedance' });
    } finally {
      await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('whose store lost the uploaded objects: the create is preceded by a check of the URLs, and the media are uploaded again', { timeout: 180_000 }, async () => {
    const base = join(temp.dir, 'lost');
    const { env, root, waiting } = await interruptWithUploadsPending(base);
    const bucket = join(base, 'sandbox', 'store', 'seedance');
    const objects = await readdir(bucket);
    await Promise.all(objects.map((name) => rm(join(bucket, name))));
    const again = startCli(['batch', root, '--sandbox', '--api-concurrency', '1'], env);
    expect(await again.exited, again.stderr()).toEqual({ code: 0, signal: null });
    const journals = await expectOneTaskPerJob(join(base, 'sandbox'), root);
    // the demo copies share their content (and so their objects): the first of them to reach its create finds the
    // objects gone and uploads them again; those after it find them back
    const tasks = await persistedTasks(join(base, 'sandbox'));
    const createdAt = (name: string) => tasks.find((t) => t.id === journals[jobs.indexOf(name)]!.submit!.taskId)!.createdAt;
    const [firstToCreate, ...later] = [...waiting].sort((a, b) => createdAt(a) - createdAt(b));
    expect(again.stderr()).toMatch(new RegExp(`^\\[(?:.*/)?${firstToCreate}\\] note: the uploaded media no longer answer \\(http://127\\.0\\.0\\.1:\\d+/seedance/[0-9a-f]{64}\\.(png|mp4|mp3): it answered HTTP 404\\): uploading them again before the create$`, 'm'));
    for (const name of later) expect(again.stderr()).not.toMatch(jobLine(name, 'note:', false));
    // every object is back in the store
    expect((await readdir(bucket)).filter((name) => name.endsWith('._S3rver_object')).length).toBe(3);
  });
});

describe('a --sandbox batch with presigned URLs, resumed after they expired', () => {
  it('the URL check before the create finds them refused; the media are uploaded again with fresh URLs, then created', { timeout: 180_000 }, async () => {
    const base = join(temp.dir, 'expired');
    const presigned = ['--url-mode', 'presigned', '--expires', '8'];
    const { env, root, waiting } = await interruptWithUploadsPending(base, presigned);
    const before = await Promise.all(waiting.map(async (name) => (await readJobJournal(join(root, name)))!.uploads!.map((u) => u.url)));
    // past their 8 s: the store refuses them now, as S3 refuses an expired presigned URL
    await new Promise((resolve) => setTimeout(resolve, 8500));
    const again = startCli(['batch', root, '--sandbox', '--api-concurrency', '1', ...presigned], env);
    expect(await again.exited, `${again.stdout()}${again.stderr()}`).toEqual({ code: 0, signal: null });
    for (const name of waiting) {
      expect(again.stderr()).toMatch(new RegExp(`^\\[(?:.*/)?${name}\\] note: the uploaded media no longer answer \\(http://127\\.0\\.0\\.1:\\d+/seedance/[0-9a-f]{64}\\.(png|mp4|mp3): it answered HTTP 403\\): uploading them again before the create$`, 'm'));
    }
    const journals = await expectOneTaskPerJob(join(base, 'sandbox'), root);
    for (const [i, name] of waiting.entries()) {
      const urls = journals[jobs.indexOf(name)]!.uploads!.map((u) => u.url);
      expect(urls.every((url) => url.includes('X-Amz-Expires=8'))).toBe(true);
      expect(urls.filter((url) => before[i]!.includes(url))).toEqual([]);
    }
  });
});

describe('a job whose task was created on another API base', () => {
  const billing = useSandbox('sp-billing-', { taskDurationMs: 60_000 });
  const other = useSandbox('sp-other-', { taskDurationMs: 300 });
  /** A sandbox's settings without the variable that marks it a sandbox: to the tool, a billing provider. */
  const unmarked = (env: Record<string, string>) => ({ ...env, SEEDANCE_SANDBOX_API_BASE: undefined });

  async function jobWithTaskOn(name: string, env: Record<string, string | undefined>): Promise<{ job: string; taskId: string; cache: string }> {
    const job = await copyDemo(join(billing.dir, name));
    const cache = join(billing.dir, `${name}-cache`);
    // every run from the jobs' parent folder: the job is named as given, whichever way paths are shown
    const first = await cli(['run', name, '--timeout', '1'], { env: { ...env, SEEDANCE_PREFLIGHT_CACHE_DIR: cache }, cwd: billing.dir });
    expect(first.code, first.stderr).toBe(1);
    const journal = (await readJobJournal(job))!;
    expect(journal.submit?.state).toBe('created');
    return { job, taskId: journal.submit!.taskId!, cache };
  }

  it('a billing API base: the run stops with one line naming where the task belongs and what to do; nothing is created', async () => {
    const { job, taskId, cache } = await jobWithTaskOn('billing', unmarked(billing.sandbox.env));
    expect((await readJobJournal(job))!.createdOn).toEqual({ apiBase: billing.sandbox.apiBaseUrl });
    const before = other.sandbox.simulator.counters();
    const run = await cli(['run', 'billing', '--api-base', other.sandbox.apiBaseUrl], { env: { ...unmarked(billing.sandbox.env), EVOLINK_API_KEY: other.sandbox.apiKey, SEEDANCE_PREFLIGHT_CACHE_DIR: cache }, cwd: billing.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `✗ billing  failed at submit: task ${taskId} belongs to ${billing.sandbox.apiBaseUrl}, not to this run's API base ${other.sandbox.apiBaseUrl}\n` +
        `    to do: set --api-base (or EVOLINK_BASE_URL) back to ${billing.sandbox.apiBaseUrl} to resume it, or run with --restart to create a new task at ${other.sandbox.apiBaseUrl} (billed; journal ${join('billing', '.seedance-preflight', 'journal.json')})\n` +
        '0 of 1 job done, 1 failed.\n',
    );
    // not a request reached the other API base
    expect(other.sandbox.simulator.counters().total).toBe(before.total);
    expect(billing.sandbox.simulator.createdTasks().filter((t) => t.id === taskId)).toHaveLength(1);
  });

  it('a sandbox the current sandbox does not know: its task is created again there (after uploading to its store); the old one stays in history', async () => {
    const { job, taskId, cache } = await jobWithTaskOn('sandboxed', billing.sandbox.env);
    expect((await readJobJournal(job))!.createdOn).toEqual({ apiBase: billing.sandbox.apiBaseUrl, sandbox: true });
    const before = other.sandbox.simulator.createdTasks().length;
    const run = await cli(['run', 'sandboxed'], { env: { ...other.sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: cache }, cwd: billing.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`[sandboxed] note: task ${taskId} was created on a sandbox (${billing.sandbox.apiBaseUrl}) and the sandbox at ${other.sandbox.apiBaseUrl} does not know it: creating a new task (the sandbox bills nothing)\n`);
    expect(run.stderr).toContain(`[sandboxed] note: the media were uploaded to bucket seedance at ${billing.sandbox.s3.endpoint}, not this run's bucket seedance at ${other.sandbox.s3.endpoint}: uploading them again\n`);
    expect(other.sandbox.simulator.createdTasks().length).toBe(before + 1);
    const journal = (await readJobJournal(job))!;
    expect(journal.history.map((g) => g.submit?.taskId)).toEqual([taskId]);
    expect(journal.createdOn).toEqual({ apiBase: other.sandbox.apiBaseUrl, sandbox: true });
  });

  it('a sandbox task, run against an API base that is no sandbox: created again there with a note (it billed nothing)', async () => {
    const { job, taskId, cache } = await jobWithTaskOn('to-billing', billing.sandbox.env);
    const before = other.sandbox.simulator.createdTasks().length;
    const run = await cli(['run', 'to-billing'], { env: { ...unmarked(other.sandbox.env), SEEDANCE_PREFLIGHT_CACHE_DIR: cache }, cwd: billing.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`[to-billing] note: task ${taskId} was created on the sandbox at ${billing.sandbox.apiBaseUrl}, which this run does not use (it billed nothing): creating a new task at ${other.sandbox.apiBaseUrl}\n`);
    expect(other.sandbox.simulator.createdTasks().length).toBe(before + 1);
    expect((await readJobJournal(job))!.createdOn).toEqual({ apiBase: other.sandbox.apiBaseUrl });
  });
});
