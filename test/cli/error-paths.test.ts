import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../src/pipeline/journal.js';
import { REPO, startCli } from '../helpers/cli-process.js';
import { fixture } from '../helpers/fixtures.js';
import { useSandboxCli, type CliRun } from '../helpers/run-cli.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { displayPath } from '../../src/shared/display-path.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

const box = useSandbox('sp-cli-error-paths-', { taskDurationMs: 300 });
const { run } = useSandboxCli(box, { probeCache: true });

/** A stack frame ("    at fn (file.ts:12:5)") or an async one: never in any output of the command line. */
const STACK = /\n\s+at .+:\d+:\d+|at async /;

/** No stack, no "unexpected error" (a bug's mark) in either stream; stderr is one line, plus a "to do" or a help pointer. */
function expectClean(result: CliRun): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toMatch(STACK);
    expect(text).not.toContain('unexpected error');
  }
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines.length === 2) expect(lines[1]).toMatch(/^ {2}to do: |^\(run with --help for usage\)$/);
}

const TASK = 'task-unified-1774857405-abc123';
let D: string;
beforeAll(async () => {
  D = box.dir;
  await copyDemo(join(D, 'job'));
  await writeFile(join(D, 'afile'), 'a file, not a folder\n');
  execFileSync('mkfifo', [join(D, 'fifo')]);
  // a journal cut short by a crash, after its task was recorded
  await copyDemo(join(D, 'damaged'));
  await mkdir(join(D, 'damaged', '.seedance-preflight'));
  await writeFile(join(D, 'damaged', '.seedance-preflight', JOURNAL_FILE), `{"version":2,"job":"${join(D, 'damaged')}","submit":{"state":"created","taskId":"${TASK}"`);
});

/** stderr without run's progress lines ("[job] stage: …"). */
const withoutProgress = (text: string) => text.split('\n').filter((line) => !line.startsWith('[')).join('\n');

/** Paths in rows are written under "D", the test's folder. */
const at = (text: string) => text.replaceAll('D/', `${D}/`);
const NO_QUEUE = { SEEDANCE_QUEUE_URL: undefined };

describe('every usage and environment error: one line (and what to do), exit 2, no stack', () => {
  const rows: [string, string[], string][] = [
    ['check with nothing to check', ['check'], 'seedance-preflight: check needs PATH… or --request FILE (see seedance-preflight check --help)\n'],
    // the path as shown from the folder the command ran in (D)
    ['check: a path that does not exist', ['check', 'D/nope'], 'seedance-preflight: nope does not exist\n'],
    ['check --request: a file that does not exist', ['check', '--request', 'D/nope.json'], 'seedance-preflight: request file D/nope.json does not exist\n'],
    ['--profile: a FIFO (answered at once, never read)', ['--profile', 'D/fifo', 'check', 'D/job'], 'seedance-preflight: profile D/fifo: it is a named pipe (FIFO), not a regular file; give a JSON file or one of: seed, strict-927k\n'],
    ['--profile: a folder', ['--profile', 'D/job', 'check', 'D/job'], 'seedance-preflight: profile D/job: it is a directory, not a regular file; give a JSON file or one of: seed, strict-927k\n'],
    ['--profile: /dev/zero', ['--profile', '/dev/zero', 'check', 'D/job'], 'seedance-preflight: profile /dev/zero: it resolves to /dev/zero, a kernel file (/proc, /sys, /dev), not a text file; give a JSON file or one of: seed, strict-927k\n'],
    ['check --junit under a file', ['check', 'D/job', '--junit', 'D/afile/r.xml'], 'seedance-preflight: D/afile is a file, not a folder\n  to do: name a folder there (or a path that does not exist yet), or move the file away\n'],
    ['check --report under a file', ['check', 'D/job', '--report', 'D/afile/r.html'], 'seedance-preflight: D/afile is a file, not a folder (in the way of D/afile/r.assets)\n  to do: name a path under a folder, or move the file away\n'],
    ['check --report: a folder', ['check', 'D/job', '--report', 'D/job'], 'seedance-preflight: --report D/job is a folder, not a file: give a file\'s path\n'],
    ['fix without --out', ['fix', 'D/job'], 'seedance-preflight: fix needs --out DIR: the originals are never overwritten\n'],
    ['fix --out: a file', ['fix', 'D/job', '--out', 'D/afile'], 'seedance-preflight: --out D/afile is a file, not a folder: give a folder\'s path (it is created when missing)\n'],
    ['fix --out: under a file', ['fix', 'D/job', '--out', 'D/afile/x'], 'seedance-preflight: D/afile is a file, not a folder (in the way of D/afile/x)\n  to do: name a path under a folder, or move the file away\n'],
    ['fix --out: a name too long for the file system', ['fix', 'D/job', '--out', `D/${'n'.repeat(300)}`], `seedance-preflight: a name in D/${'n'.repeat(300)} is too long for the file system (its longest part is 300 bytes; most file systems allow 255)\n  to do: shorten that file or folder name\n`],
    ['upload with nothing to upload', ['upload'], "error: missing required argument 'paths'\n(run with --help for usage)\n"],
    ['upload: a folder', ['upload', 'D/job'], 'seedance-preflight: job: is a directory: upload takes media files (for a folder, pass its files: folder/*)\n'],
    ['upload: a FIFO', ['upload', 'D/fifo'], 'seedance-preflight: fifo: is not a regular file: upload takes media files (for a folder, pass its files: folder/*)\n'],
    ['submit without a request', ['submit'], 'seedance-preflight: submit needs --request FILE (see seedance-preflight submit --help)\n'],
    ['status without a task id', ['status'], "error: missing required argument 'task-id'\n(run with --help for usage)\n"],
    ['run with nothing to run', ['run'], 'seedance-preflight: run needs an asset folder PATH or --request FILE (see seedance-preflight run --help)\n'],
    ['batch: a file, not a folder', ['batch', 'D/afile'], 'seedance-preflight: D/afile is a file, not a folder\n  to do: name a folder there\n'],
    ['batch: under a file', ['batch', 'D/afile/x'], 'seedance-preflight: D/afile is a file, not a folder (in the way of D/afile/x)\n  to do: name a path under a folder, or move the file away\n'],
    ['batch: a folder that does not exist', ['batch', 'D/nope'], 'seedance-preflight: nope does not exist\n'],
    ['worker without a queue', ['worker'], 'seedance-preflight: worker cannot start: 1 setting is missing: the queue (--queue redis://HOST:PORT, SEEDANCE_QUEUE_URL or queue in the config file)\n'],
    ['an unknown command', ['bogus'], "error: unknown command 'bogus'\n(run with --help for usage)\n"],
    ['an unknown option', ['check', '--bogus'], "error: unknown option '--bogus'\n(run with --help for usage)\n"],
  ];
  it.each(rows)('%s', async (_name, args, stderr) => {
    const result = await run(args.map(at), { ...box.sandbox.env, ...NO_QUEUE });
    expect(result.stderr).toBe(at(stderr));
    expect(result.code).toBe(2);
    expectClean(result);
  });
});

describe('a damaged journal: the job fails in one line that keeps the task id and says how to fetch it', () => {
  const journal = () => join(D, 'damaged', '.seedance-preflight', JOURNAL_FILE);
  // named as shown from the folder the command ran in (D)
  const shown = join('damaged', '.seedance-preflight', JOURNAL_FILE);
  const message = () => `${shown} is damaged (not JSON: it ends mid-way, at byte ${Buffer.byteLength(`{"version":2,"job":"${join(D, 'damaged')}","submit":{"state":"created","taskId":"${TASK}"`)}): it may hold this job's task id; task ids in its text: ${TASK}`;
  const hint = () => `move it aside (mv ${shown} ${shown}.damaged), then fetch that task's video without paying again: seedance-preflight wait ${TASK} --download FILE; run the job again only for a new task (without a journal it starts afresh and creates one)`;

  it('run: exit 1, nothing created, the journal untouched', async () => {
    const before = box.sandbox.simulator.createdTasks().length;
    const text = await readFile(journal(), 'utf8');
    const result = await run(['run', at('D/damaged')]);
    // the job's failure (stdout) or the command's (stderr): one line and its "to do", either way
    const said = withoutProgress(`${result.stdout}${result.stderr}`);
    expect(said).toMatch(new RegExp(`(seedance-preflight: |failed at check: )${escapeRegExp(message())}\n {2,4}to do: ${escapeRegExp(hint())}\n`));
    expect(result.code).toBe(1);
    expectClean({ ...result, stderr: withoutProgress(result.stderr) });
    expect(box.sandbox.simulator.createdTasks().length).toBe(before);
    expect(await readFile(journal(), 'utf8')).toBe(text);
  });

  it('batch: that job fails (the others run); exit 1', async () => {
    const result = await run(['batch', D, '--json']);
    expectClean({ ...result, stderr: '' });
    const jobs = JSON.parse(result.stdout).jobs as { job: string; ok: boolean; error: { message: string } | null }[];
    const damaged = jobs.find((job) => job.job === 'damaged')!;
    expect([damaged.ok, damaged.error!.message]).toEqual([false, message()]);
    expect(result.code).toBe(1);
  });
});

const small = await mountSmallDisk(512);
if (typeof small === 'string') console.log(`full-disk rows skipped: ${small}`);
const disk = typeof small === 'string' ? null : small;

describe.skipIf(disk === null)('a full disk (a tmpfs of its own): the disk is named, never the source', () => {
  const full = disk as SmallDisk;
  const out = () => join(full.dir, 'out');
  beforeAll(async () => {
    await mkdir(out());
    // room for the job's lock and journal (a few pages), not for its fixed copies
    await full.fill(24);
  });
  afterAll(() => full.unmount());

  it('fix --out onto it (the hint needs fix-targets runOne to rethrow FileSystemError)', async () => {
    const result = await run(['fix', fixture('fps-15.mp4'), '--out', out()]);
    expectClean(result);
    const said = `${result.stdout}${result.stderr}`;
    expect(said).toMatch(new RegExp(`no space left on the disk holding ${escapeRegExp(out())} \\(writing ${escapeRegExp(out())}/fps-15\\.mp4; file system ${escapeRegExp(full.dir)}: \\d+(\\.\\d)? K?i?B free of 512\\.0 KiB\\)`));
    expect(said).toContain(`free space on ${full.dir}, or choose another --out/--work folder on a disk with room; then run again`);
    expect(said).not.toContain('fps-15.mp4: ');
    expect(said).not.toContain('replace or remove');
    expect(result.code).not.toBe(0);
  });

  it('run --work onto it: the job fails naming the disk, not a source file (needs fix-targets runOne to rethrow FileSystemError)', async () => {
    const work = join(full.dir, 'work');
    const result = await run(['run', at('D/job'), '--work', work]);
    expectClean({ ...result, stderr: withoutProgress(result.stderr) });
    const said = `${result.stdout}${result.stderr}`;
    expect(said).toContain(`no space left on the disk holding ${work}/`);
    expect(said).toContain(`free space on ${full.dir}, or choose another --out/--work folder on a disk with room; then run again`);
    expect(said).not.toContain('replace or remove');
    expect(result.code).not.toBe(0);
  });
});

const readOnly = disk ? await mountSmallDisk(64) : null;

describe.skipIf(readOnly === null || typeof readOnly === 'string')('a read-only disk', () => {
  const ro = readOnly as SmallDisk;
  beforeAll(() => ro.readOnly());
  afterAll(() => ro.unmount());

  it.each([
    ['fix --out', () => ['fix', at('D/job'), '--out', join(ro.dir, 'out')], () => `seedance-preflight: ${join(ro.dir, 'out')} is on a read-only file system\n  to do: choose another --out/--work folder, on a writable disk, or remount that disk read-write\n`],
    ['check --junit', () => ['check', at('D/job'), '--junit', join(ro.dir, 'r.xml')], () => `seedance-preflight: ${join(ro.dir, 'r.xml')} is on a read-only file system\n  to do: choose another --out/--work folder, on a writable disk, or remount that disk read-write\n`],
  ])('%s onto it: one line, exit 2', async (_name, args, stderr) => {
    const result = await run(args());
    expect(result.stderr).toBe(stderr());
    expect(result.code).toBe(2);
    expectClean(result);
  });
});

describe('output into a closed pipe ends quietly with 141 (as by SIGPIPE), never an EPIPE stack', () => {
  it.each([
    ['--help', ['--help']],
    ['batch --help', ['batch', '--help']],
    ['check on a folder (output after the reader left)', ['check', fixture('')]],
    ['check --json', ['--json', 'check', fixture('')]],
  ])('%s', async (_name, args) => {
    const child = startCli(args, {});
    // the reader goes before the command writes a byte: every write meets a closed pipe
    child.child.stdout!.destroy();
    const ended = await child.exited;
    expect(child.stderr()).toBe('');
    expect(ended).toEqual({ code: 141, signal: null });
  });
});

describe('a run whose stderr reader leaves stops as cleanly as on SIGTERM, then exits 141', () => {
  it('no task is created after the pipe closed; the journal is left resumable', async () => {
    await copyDemo(join(D, 'piped'));
    const before = box.sandbox.simulator.createdTasks().length;
    const child = startCli(['run', join(D, 'piped')], box.sandbox.env);
    // its progress lines go to stderr: the first one meets a closed pipe
    child.child.stderr!.destroy();
    const ended = await child.exited;
    expect(ended).toEqual({ code: 141, signal: null });
    expect(child.stdout()).not.toMatch(STACK);
    // stdout is still open: the run's result says why it stopped
    // the process runs in the repository: the job is named relative to it
    expect(child.stdout()).toBe(`- ${displayPath(join(D, 'piped'), REPO)}  stopped at check: interrupted (SIGPIPE)\n    to do: run again to resume where it stopped\n0 of 1 job done; interrupted: 1 of 1 job not finished (1 stopped); run again to resume.\n`);
    expect(box.sandbox.simulator.createdTasks().length).toBe(before);
    // resumable: the next run completes it, with one task
    const again = await run(['run', join(D, 'piped')]);
    expect(again.code).toBe(0);
    expect(box.sandbox.simulator.createdTasks().length).toBe(before + 1);
  });
});
