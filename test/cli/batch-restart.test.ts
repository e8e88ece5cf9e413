import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockJob } from '../../src/pipeline/job-lock.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { copyDemo, readJobJournal } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

/**
 * batch --restart KINDS: exactly the jobs whose journal stands as named start over, each with one new task, and the
 * summary says which and what each journal held; every other job resumes and creates nothing twice.
 */
const box = useSandbox('sp-batch-restart-', { taskDurationMs: 300 });
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;
const JOBS = ['done', 'failed', 'unanswered', 'in-flight', 'new'];
/** The task each job's journal holds now. */
const taskOf = async (job: string) => (await readJobJournal(join(dir, 'root', job)))?.submit?.taskId ?? null;
const tasks = () => sandbox.simulator.createdTasks().length;
/** The table's rows; each job named from the folder the batch ran in (the sandbox's), as the report names it. */
const rows = (stdout: string) => stdout.split('\n').slice(1, 1 + JOBS.length).map((l) => l.split(/ {2,}/).slice(0, 4));

interface JobJson {
  job: string;
  ok: boolean;
  taskId: string | null;
  notes: string[];
  previousResults: { taskId: string; path: string }[];
  restarted: { from: string; taskId: string | null; sentAt?: string } | null;
}

beforeAll(async () => {
  ({ sandbox, dir } = box);
  for (const job of JOBS) await copyDemo(join(dir, 'root', job));
});

describe('batch --restart', () => {
  const before: Record<string, string | null> = {};
  let sentAt: string;

  it('each job brought to its own state: done, failed, unanswered, in flight; one never run', async () => {
    expect((await run(['batch', 'root', '--only', 'done'])).code).toBe(0);
    sandbox.simulator.failNextTasks(1, { code: 'content_policy_violation', message: 'the sandbox flags this one' });
    expect((await run(['batch', 'root', '--only', 'failed'])).code).toBe(1);
    sandbox.simulator.dropNextCreateAfterBody(1, { createTask: true });
    expect((await run(['batch', 'root', '--only', 'unanswered'])).code).toBe(1);
    sandbox.simulator.failNext(403, 1, { only: 'query' });
    expect((await run(['batch', 'root', '--only', 'in-flight'])).code).toBe(1);
    const journals = Object.fromEntries(await Promise.all(JOBS.map(async (job) => [job, await readJobJournal(join(dir, 'root', job))] as const)));
    expect(journals.done?.result).toBeDefined();
    expect(journals.failed?.failure?.stage).toBe('wait');
    expect(journals.unanswered?.submit?.state).toBe('unknown');
    expect([journals['in-flight']?.submit?.state, journals['in-flight']?.result]).toEqual(['created', undefined]);
    expect(journals.new).toBeNull();
    for (const job of JOBS) before[job] = await taskOf(job);
    sentAt = journals.unanswered!.submit!.at;
    expect(tasks()).toBe(4);
  });

  it('a plain re-run restarts nothing: the failed and unanswered jobs stop as before, the done one is kept, the new one starts (1 task)', async () => {
    const result = await run(['batch', 'root', '--only', 'done', '--only', 'failed', '--only', 'unanswered', '--only', 'new', '--json']);
    expect(result.code).toBe(1);
    const jobs = (JSON.parse(result.stdout) as { jobs: JobJson[] }).jobs;
    expect(jobs.map((j) => [j.job, j.ok, j.restarted])).toEqual([
      ['root/done', true, null],
      ['root/failed', false, null],
      ['root/new', true, null],
      ['root/unanswered', false, null],
    ]);
    expect(tasks()).toBe(5);
    before.new = await taskOf('new');
  });

  it('--restart failed: only the failed job gets a new task; the in-flight one resumes its task; the summary names the job and the task it replaces', async () => {
    const result = await run(['batch', 'root', '--restart', 'failed', '--junit', 'restart.xml']);
    expect(result.code).toBe(1);
    expect(tasks()).toBe(6);
    const now = Object.fromEntries(await Promise.all(JOBS.map(async (job) => [job, await taskOf(job)] as const)));
    expect(now.failed).not.toBe(before.failed);
    expect(JOBS.filter((job) => job !== 'failed').map((job) => now[job])).toEqual(JOBS.filter((job) => job !== 'failed').map((job) => before[job]));
    expect(rows(result.stdout)).toEqual([
      ['root/done', 'done', '3', before.done],
      ['root/failed', 'done', '3', now.failed],
      ['root/in-flight', 'done', '3', before['in-flight']],
      ['root/new', 'done', '3', before.new],
      ['root/unanswered', 'failed at submit', '3', '-'],
    ]);
    expect(result.stdout.split('\n').slice(1 + JOBS.length)).toEqual([`started over by --restart (a new task): root/failed: task ${before.failed} had failed`, '4 of 5 jobs done, 1 failed.', '']);
    expect(result.stderr).toContain('[root/failed] note: --restart: creating a new task\n');
    // CI sees it too: the job's test case says it was started over
    const xml = await readFile(join(dir, 'restart.xml'), 'utf8');
    expect(xml).toContain(`<testcase classname="job" name="root/failed">\n      <system-out><![CDATA[started over by --restart (a new task): task ${before.failed} had failed]]></system-out>\n    </testcase>`);
    expect(xml.match(/started over/g)).toHaveLength(1);
    before.failed = now.failed!;
    before['in-flight'] = now['in-flight']!;
  });

  it('--restart unanswered,done --json: the unanswered create and a done job start over, each saying what it abandons; the others untouched', async () => {
    const result = await run(['--json', 'batch', 'root', '--restart', 'unanswered,done', '--only', 'unanswered', '--only', 'done']);
    expect(result.code).toBe(0);
    expect(tasks()).toBe(8);
    const jobs = (JSON.parse(result.stdout) as { jobs: JobJson[] }).jobs;
    const [done, unanswered] = jobs;
    expect(done!.restarted).toEqual({ from: 'done', taskId: before.done });
    expect(unanswered!.restarted).toEqual({ from: 'unanswered', taskId: null, sentAt });
    expect(done!.taskId).not.toBe(before.done);
    expect(unanswered!.notes).toEqual([`--restart: creating a new task; the create sent at ${sentAt} got no answer, so a paid task may exist at the provider (check its task list)`]);
    // the done job's earlier result is paid for: it stays on disk, and the result says where
    expect(done!.previousResults).toEqual([{ taskId: before.done, path: `root/done/output/${before.done}.mp4` }]);
    expect(existsSync(join(dir, 'root/done/output', `${before.done}.mp4`))).toBe(true);
    const table = await run(['batch', 'root', '--restart', 'in-flight']);
    // no job is in flight now: nothing starts over, nothing is created, and the summary lists none
    expect(table.code).toBe(0);
    expect(tasks()).toBe(8);
    expect(table.stdout).not.toContain('started over');
  });

  it('--restart in-flight: a job whose task was never downloaded starts over, and the table says its task can still be fetched', async () => {
    sandbox.simulator.failNext(403, 1, { only: 'query' });
    const flying = await run(['batch', 'root', '--only', 'in-flight', '--restart', 'done']);
    // restarted (it was done), then its new task's first query refused: in flight now
    expect(flying.code).toBe(1);
    const stuck = await taskOf('in-flight');
    expect(stuck).not.toBe(before['in-flight']);
    const result = await run(['batch', 'root', '--only', 'in-flight', '--restart', 'in-flight']);
    expect(result.code).toBe(0);
    expect(tasks()).toBe(10);
    expect(result.stdout.split('\n').slice(2)).toEqual([
      `started over by --restart (a new task): root/in-flight: task ${stuck} was not downloaded (seedance-preflight wait ${stuck} --download FILE still fetches it)`,
      '1 of 1 jobs done.',
      '1 of 5 folders selected by --only/--exclude.',
      '',
    ]);
  });

  it('a job another process holds is busy: not restarted, nothing created, no note', async () => {
    const held = await lockJob(join(dir, 'root/done/.seedance-preflight'), { command: 'seedance-preflight run', staleMs: 30_000 });
    if (!held.ok) throw new Error('the test could not take the lock');
    try {
      const count = tasks();
      const result = await run(['--json', 'batch', 'root', '--only', 'done', '--restart', 'done']);
      expect(result.code).toBe(75);
      const [job] = (JSON.parse(result.stdout) as { jobs: (JobJson & { busy: unknown })[] }).jobs;
      expect([job!.busy !== null, job!.restarted, job!.notes]).toEqual([true, null, []]);
      expect(tasks()).toBe(count);
    } finally {
      await held.lock.release();
    }
  });

  it.each([
    [['--restart', 'bogus'], '--restart takes failed, unanswered, in-flight, done or all (comma-separated, e.g. --restart failed,unanswered), not "bogus"'],
    [['--restart', ','], '--restart needs the jobs to start over: failed, unanswered, in-flight, done or all (comma-separated, e.g. --restart failed,unanswered)'],
    // without KINDS at all: the same line naming them, not commander's "argument missing"
    [['--restart'], '--restart needs the jobs to start over: failed, unanswered, in-flight, done or all (comma-separated, e.g. --restart failed,unanswered)'],
    [['--restart', 'failed', '--dry-run'], '--dry-run sends nothing: it takes no --restart'],
  ])('%j: exit 2, one line, nothing run', async (flags, message) => {
    const count = tasks();
    const result = await run(['batch', 'root', ...flags]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
    expect(tasks()).toBe(count);
  });
});
