import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOLDER_FILE, lockJob, LOCK_DIR, readBusy } from '../../src/pipeline/job-lock.js';
import type { LockHolder } from '../../src/pipeline/lock-holder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { REPO, startCli, waitFor, type CliProcess } from '../helpers/cli-process.js';
import { lockTaken, treeSnapshot, writeLockJob } from '../helpers/lock-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { displayPath } from '../../src/shared/display-path.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

/**
 * One process per job, with real processes of the command line (from source, through tsx) against a sandbox in this
 * process: three `run` at once on one folder make one task, `run` beside a local `batch` makes one, a process that
 * finds the job busy writes nothing, and a SIGKILLed holder's lock is taken over: at once on this machine, once stale
 * when it held it from another.
 */
// 8 trials keep CI's run short (each is three real processes and a task); SEEDANCE_LOCK_TRIALS=50 for a longer trial
const TRIALS = Number(process.env.SEEDANCE_LOCK_TRIALS ?? 8);

const box = useSandbox('sp-run-lock-', { taskDurationMs: 2000 });
let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(() => {
  sandbox = box.sandbox;
  env = { ...sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') };
});

const tasksFor = (prompt: string) => sandbox.simulator.stats().tasks.filter((t) => t.prompt === prompt);
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
/** "… last heartbeat 3 s ago (lock …)": the one line that varies, as a pattern. */
const busyLine = (job: string, pid: number, command: string, startedAt: string | null, lock: string) =>
  new RegExp(`^- ${escapeRegExp(shown(job))}  busy: another process runs this job: pid ${pid} on ${escapeRegExp(hostname())} \\(${escapeRegExp(command)}\\), holding it since ${startedAt === null ? ISO : escapeRegExp(startedAt)}, last heartbeat \\d+ s ago \\(lock ${escapeRegExp(lock)}\\)$`, 'm');
/** A path as the processes show it: they run in the repository, so relative to it. */
const shown = (path: string) => displayPath(path, REPO);
const ISO = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z';
const TO_DO = '    to do: run it again once that process has ended (nothing was changed here); if it died, its lock is taken over once its heartbeat is 30 s old (SEEDANCE_LOCK_STALE_SECONDS)\n0 of 1 job done, 1 busy.\n';

describe('three `run` at once on one folder', () => {
  it(`${TRIALS} trials: exactly one task each; the two others exit 75 naming the holder`, async () => {
    const outcomes: string[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      const { folder, prompt } = await writeLockJob(box.dir, `trial-${trial}`);
      const runs = [0, 1, 2].map(() => startCli(['run', folder], env));
      const ended = await Promise.all(runs.map((r) => r.exited));
      const detail = runs.map((r, i) => `run ${i + 1} (pid ${r.pid}) ${JSON.stringify(ended[i])}:\n${r.stdout()}${r.stderr()}`).join('\n');
      expect(ended.map((e) => e.code).sort(), detail).toEqual([0, 75, 75]);
      const winner = runs[ended.findIndex((e) => e.code === 0)]!;
      const tasks = tasksFor(prompt);
      expect(tasks.length, detail).toBe(1);
      expect(winner.stdout(), detail).toContain(`task ${tasks[0]!.id} completed`);
      for (const [i, run] of runs.entries()) {
        if (run === winner) continue;
        // the holder's start time is not known outside it: any ISO instant
        expect(run.stdout(), detail).toMatch(busyLine(folder, winner.pid, 'seedance-preflight run', null, join(folder, '.seedance-preflight', LOCK_DIR)));
        expect(run.stdout().endsWith(TO_DO), detail).toBe(true);
        // it said "busy" before doing anything: no stage line
        expect(run.stderr(), `run ${i + 1}`).toBe('');
      }
      outcomes.push(`trial ${trial}: ${tasks.length} task, exits ${ended.map((e) => e.code).join('/')}`);
    }
    console.log(`lock concurrency trial: ${TRIALS} trials × 3 runs → ${TRIALS} tasks, ${2 * TRIALS} busy exits (75)`);
    expect(outcomes.length).toBe(TRIALS);
  }, 60_000 + TRIALS * 20_000);
});

describe('a process that finds the job busy', () => {
  it('exits 75 naming the holder and since when, and writes nothing: the journal, fixed copies and outputs keep their bytes and times (text and --json)', async () => {
    const { folder, prompt } = await writeLockJob(box.dir, 'untouched');
    const first = startCli(['run', folder], env);
    expect((await first.exited).code, first.stderr()).toBe(0);
    expect(tasksFor(prompt).length).toBe(1);

    const work = join(folder, '.seedance-preflight');
    const held = await lockJob(work, { command: 'the lock test', staleMs: 30_000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    try {
      const journalSha = await sha256(join(work, 'journal.json'));
      const journalMtime = (await stat(join(work, 'journal.json'))).mtimeMs;
      const before = [...(await treeSnapshot(folder))];

      const text = startCli(['run', folder], env);
      expect((await text.exited).code, text.stderr()).toBe(75);
      expect(text.stdout()).toMatch(busyLine(folder, process.pid, 'the lock test', held.lock.holder.startedAt, join(work, LOCK_DIR)));
      expect(text.stdout().endsWith(TO_DO)).toBe(true);
      expect(text.stderr()).toBe('');

      const json = startCli(['--json', 'run', folder], env);
      expect((await json.exited).code, json.stderr()).toBe(75);
      const document = JSON.parse(json.stdout()) as { ok: boolean; jobs: { ok: boolean; taskId: string | null; busy: unknown; error: { stage: string; message: string } }[] };
      expect(document.ok).toBe(false);
      expect(document.jobs[0]!.ok).toBe(false);
      expect(document.jobs[0]!.taskId).toBeNull();
      expect(document.jobs[0]!.busy).toEqual({ lock: join(work, LOCK_DIR), holder: held.lock.holder, heartbeatAgeMs: expect.any(Number), staleAfterMs: 30_000 });

      expect(await sha256(join(work, 'journal.json'))).toBe(journalSha);
      expect((await stat(join(work, 'journal.json'))).mtimeMs).toBe(journalMtime);
      expect(await treeSnapshot(folder)).toEqual(before);
      expect(tasksFor(prompt).length).toBe(1);
    } finally {
      await held.lock.release();
    }

    // with nobody holding it, the finished job is re-run read-only: no lock taken (a lock attempt would fail here,
    // its holder record's path being a folder)
    await mkdir(join(work, HOLDER_FILE));
    const again = startCli(['run', folder], env);
    expect((await again.exited).code, again.stdout() + again.stderr()).toBe(0);
    expect(again.stdout()).toContain('(resumed: check, fix, upload, submit, wait, download already done)');
    expect((await readdir(work)).sort()).toEqual(['fixed', HOLDER_FILE, 'journal.json']);
    await rmdir(join(work, HOLDER_FILE));
  }, 120_000);
});

describe('`run` beside a local `batch` on the same folder', () => {
  it('run first: the batch skips the folder as busy (table, JUnit), finishes the others, exits 75; one task per folder', async () => {
    const root = join(box.dir, 'batch-after-run');
    const shared = await writeLockJob(root, 'shared');
    const other = await writeLockJob(root, 'other');
    const run = startCli(['run', shared.folder], env);
    const holder = await lockTaken(shared.folder, 'seedance-preflight run', () => run.stdout() + run.stderr());
    const junit = join(box.dir, 'batch-after-run.xml');
    const batch = startCli(['batch', root, '--junit', junit], env);
    const [ranEnd, batchEnd] = await Promise.all([run.exited, batch.exited]);
    expect(ranEnd.code, run.stderr()).toBe(0);
    expect(batchEnd.code, batch.stdout() + batch.stderr()).toBe(75);
    expect(holder.pid).toBe(run.pid);
    expect(tasksFor(shared.prompt).length).toBe(1);
    expect(tasksFor(other.prompt).length).toBe(1);

    const rows = batch.stdout().split('\n');
    expect(rows[0]).toMatch(/^job\s+outcome\s+fixed\s+task\s+result$/);
    expect(rows.find((r) => r.startsWith(shown(shared.folder)))).toMatch(new RegExp(`^${escapeRegExp(shown(shared.folder))}\\s+busy\\s+0\\s+-\\s+busy: another process runs this job: pid ${run.pid} on ${escapeRegExp(hostname())} \\(seedance-preflight run\\), holding it since ${escapeRegExp(holder.startedAt)}, last heartbeat \\d+ s ago \\(lock ${escapeRegExp(join(shared.folder, '.seedance-preflight', LOCK_DIR))}\\) \\(to do: run it again once that process has ended`));
    expect(rows.find((r) => r.startsWith(shown(other.folder)))).toMatch(new RegExp(`^${escapeRegExp(shown(other.folder))}\\s+done\\s+0\\s+${tasksFor(other.prompt)[0]!.id}\\s+`));
    expect(rows.at(-2)).toBe('1 of 2 jobs done, 1 busy.');
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(new RegExp(`<testcase classname="job" name="${escapeRegExp(shown(shared.folder))}">\\s*<skipped/>\\s*<system-out>\\s*<!\\[CDATA\\[busy: another process runs this job: pid ${run.pid} `));
    expect(xml).toContain('tests="2" failures="0" errors="0" skipped="1"');
    // the batch never touched the run's job: its journal names the run's task
    const journal = JSON.parse(await readFile(join(shared.folder, '.seedance-preflight', 'journal.json'), 'utf8')) as { submit?: { taskId: string } };
    expect(journal.submit?.taskId).toBe(tasksFor(shared.prompt)[0]!.id);
  }, 120_000);

  it('batch first: the run exits 75 naming the batch; the batch makes the one task', async () => {
    const root = join(box.dir, 'run-after-batch');
    const shared = await writeLockJob(root, 'shared');
    const batch = startCli(['batch', root], env);
    const holder = await lockTaken(shared.folder, 'seedance-preflight batch', () => batch.stdout() + batch.stderr());
    const run = startCli(['run', shared.folder], env);
    const [batchEnd, ranEnd] = await Promise.all([batch.exited, run.exited]);
    expect(batchEnd.code, batch.stderr()).toBe(0);
    expect(ranEnd.code, run.stdout() + run.stderr()).toBe(75);
    expect(run.stdout()).toMatch(busyLine(shared.folder, batch.pid, 'seedance-preflight batch', holder.startedAt, join(shared.folder, '.seedance-preflight', LOCK_DIR)));
    expect(tasksFor(shared.prompt).length).toBe(1);
  }, 120_000);
});

describe('a holder killed with SIGKILL', () => {
  /** A run of `folder` killed (with its process group) while it waits on its task: the task exists, the journal names it, the lock stays. */
  async function killedWhileWaiting(folder: string): Promise<{ pid: number; holder: LockHolder }> {
    const run: CliProcess = startCli(['run', folder], env);
    await waitFor(() => /\] wait: task /.test(run.stderr()), 'the holder waiting on its task', { timeoutMs: 60_000, detail: run.stderr });
    run.killHard();
    await run.exited;
    return { pid: run.pid, holder: await lockTaken(folder, 'seedance-preflight run') };
  }

  it('on this machine: a run started right after takes its lock over at once (its pid is gone) and resumes the same task', async () => {
    const { folder, prompt } = await writeLockJob(box.dir, 'killed-here');
    const killed = await killedWhileWaiting(folder);
    expect(killed.holder.pid).toBe(killed.pid);
    expect(tasksFor(prompt).length).toBe(1);
    const taker = startCli(['run', folder], env);
    expect((await taker.exited).code, taker.stdout() + taker.stderr()).toBe(0);
    const tasks = tasksFor(prompt);
    expect(tasks.length).toBe(1);
    expect(taker.stdout()).toContain(`task ${tasks[0]!.id} completed`);
    expect(taker.stdout()).toContain('(resumed: check, fix, upload, submit already done)');
    expect(await readBusy(join(folder, '.seedance-preflight'), 30_000)).toBeNull();
  }, 120_000);

  it('on another machine (a shared folder): its lock names it until its heartbeat is stale (SEEDANCE_LOCK_STALE_SECONDS), then a run takes it over with the same task', async () => {
    const { folder, prompt } = await writeLockJob(box.dir, 'killed-there');
    const work = join(folder, '.seedance-preflight');
    const killed = await killedWhileWaiting(folder);
    // as a holder on another host would have recorded itself: its pid cannot be looked up from here
    const remote = { ...killed.holder, host: 'render-2' };
    await writeFile(join(work, HOLDER_FILE), JSON.stringify(remote));

    const early = startCli(['run', folder], env);
    expect((await early.exited).code, early.stderr()).toBe(75);
    expect(early.stdout()).toContain(`- ${shown(folder)}  busy: another process runs this job: pid ${killed.pid} on render-2 (seedance-preflight run), holding it since ${remote.startedAt}, last heartbeat `);

    // its last heartbeat more than 2 s old: stale for a run told so
    await waitFor(async () => ((await readBusy(work, 2000))?.heartbeatAgeMs ?? 0) > 2500, 'a stale heartbeat', { timeoutMs: 30_000 });
    const taker = startCli(['run', folder], { ...env, SEEDANCE_LOCK_STALE_SECONDS: '2' });
    expect((await taker.exited).code, taker.stdout() + taker.stderr()).toBe(0);
    const tasks = tasksFor(prompt);
    expect(tasks.length).toBe(1);
    expect(taker.stdout()).toContain(`task ${tasks[0]!.id} completed`);
    expect(taker.stdout()).toContain('(resumed: check, fix, upload, submit already done)');
    // released on its way out: nothing of the lock is left
    expect(await readBusy(work, 30_000)).toBeNull();
  }, 120_000);
});
