import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/pipeline/run-batch.js';
import { FixCache } from '../../src/normalize/fix-cache.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { copyDemo, readJobJournal, sandboxJobOptions } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

/**
 * A resumed batch reports what earlier runs did: a finished batch run again shows the same jobs, fixed files, uploads,
 * task ids and results in its --json, the same fixed counts in its table, the same fixed files in its --report; a batch
 * stopped after its fixes counts them when it is run again.
 */
const box = useSandbox('sp-batch-remember-', { taskDurationMs: 300 });
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;
const JOBS = ['shoot-1', 'shoot-2', 'shoot-3'];
/** What the demo's fix does to its three files, as the summary says it (the JSON's actions, in words). */
const DEMO_FIXES = [
  ['banner.png', 'banner.png'],
  ['clip.webm', 'clip.mp4'],
  ['music.flac', 'music.mp3'],
];

interface JobJson {
  job: string;
  resumed: string[];
  fixed: { path: string; kind: string; mode: string; actions: { rule: string; what: string }[]; output: string; cached: boolean }[];
  uploads: { path: string; key: string; url: string; bytes: number; uploaded: boolean }[];
  [field: string]: unknown;
}

/**
 * The fields that legitimately differ between a run that did the work and one that found it done, and only those:
 * `resumed` (the stages this run skipped) and each upload's `uploaded` (whether this run sent the bytes).
 */
const DIFFERING = ['resumed', 'uploads[].uploaded'];
const comparable = ({ resumed: _resumed, uploads, ...rest }: JobJson) => ({ ...rest, uploads: uploads.map(({ uploaded: _uploaded, ...u }) => u) });

/** The report's index of files: [path as shown, status] per row. */
function reportFiles(html: string): [string, string][] {
  return [...html.matchAll(/<tr data-file-status="([\w-]+)"><td class="path"><a href="#card-\d+">([^<]+)<\/a>/g)].map((m) => [m[2]!, m[1]!]);
}

beforeAll(async () => {
  ({ sandbox, dir } = box);
  for (const job of JOBS) await copyDemo(join(dir, 'root', job));
  await copyDemo(join(dir, 'stopped', 'shoot-9'));
});

describe('a finished batch run again', () => {
  let first: { jobs: JobJson[] };
  let second: { jobs: JobJson[] };

  it('first run: every job done, three files fixed in each', async () => {
    const result = await run(['--json', 'batch', 'root', '--report', 'first.html']);
    expect(result.code).toBe(0);
    first = JSON.parse(result.stdout);
    expect(first.jobs.map((j) => [j.job, j.resumed, j.fixed.map((f) => [f.path, f.output, f.actions.length > 0])])).toEqual(
      // named from the folder the batch ran in (the sandbox's), as the report names them
      JOBS.map((job) => [`root/${job}`, [], DEMO_FIXES.map(([source, output]) => [`root/${job}/${source}`, `root/${job}/.seedance-preflight/fixed/${output}`, true])]),
    );
  });

  it('--json of the re-run equals the first for what was done (all but ' + DIFFERING.join(', ') + '); no task, no upload', async () => {
    const tasks = sandbox.simulator.createdTasks().length;
    const counters = sandbox.simulator.counters();
    const result = await run(['--json', 'batch', 'root', '--report', 'second.html']);
    expect(result.code).toBe(0);
    second = JSON.parse(result.stdout);
    expect(second.jobs.map(comparable)).toEqual(first.jobs.map(comparable));
    // the differing fields, exactly: every stage was done before, and nothing was sent now
    expect(second.jobs.map((j) => j.resumed)).toEqual(JOBS.map(() => ['check', 'fix', 'upload', 'submit', 'wait', 'download']));
    expect(second.jobs.flatMap((j) => j.uploads.map((u) => u.uploaded))).toEqual(Array(9).fill(false));
    // what the comparison covers is not empty: task ids, results, uploads and fixes are all there
    for (const job of second.jobs) {
      expect(job.taskId).toMatch(/^task-/);
      expect(existsSync(join(dir, (job.result as { path: string }).path))).toBe(true);
      expect(job.uploads.map((u) => u.path)).toEqual(DEMO_FIXES.map(([, output]) => `${job.job}/.seedance-preflight/fixed/${output}`));
      expect(job.fixed.map((f) => f.mode)).toEqual(['convert', 'reencode', 'reencode']);
    }
    expect(sandbox.simulator.createdTasks().length).toBe(tasks);
    expect(sandbox.simulator.counters().create).toBe(counters.create);
  });

  it('the table of the re-run shows the same fixed counts as the first run', async () => {
    const result = await run(['batch', 'root']);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').slice(1, 1 + JOBS.length).map((l) => l.split(/ {2,}/));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(first.jobs.map((j) => [j.job, 'done', String(j.fixed.filter((f) => f.actions.length).length), j.taskId]));
    expect(rows.map((r) => r[2])).toEqual(['3', '3', '3']);
  });

  it('--report of the re-run lists the same fixed files as the first', async () => {
    const [one, two] = await Promise.all([readFile(join(dir, 'first.html'), 'utf8'), readFile(join(dir, 'second.html'), 'utf8')]);
    const expected = JOBS.flatMap((job) => DEMO_FIXES.map(([source]) => [`root/${job}/${source}`, 'fixed']));
    expect(reportFiles(one)).toEqual(expected);
    expect(reportFiles(two)).toEqual(expected);
    expect(two).not.toContain('No local media files');
  });
});

describe('a batch stopped after its fixes, run again', () => {
  it('the table counts the fixes of the first run; the re-run did not fix them again', async () => {
    const stopped = new AbortController();
    const root = join(dir, 'stopped');
    const results = await runBatch({
      ...sandboxJobOptions(sandbox),
      root,
      fixCache: new FixCache(join(dir, 'fix-cache')),
      signal: stopped.signal,
      // the fixes are recorded; the job stops at its next step boundary, before anything is uploaded
      onStage: (_job, stage) => stage === 'upload' && stopped.abort('SIGINT'),
    });
    expect(results.map((r) => [r.cancelled, r.error?.stage, r.fixed.filter((f) => f.actions.length).length, r.uploads.length, r.taskId])).toEqual([[true, 'upload', 3, 0, null]]);
    expect((await readJobJournal(join(root, 'shoot-9')))?.uploads).toBeUndefined();

    const again = await run(['batch', 'stopped']);
    expect(again.code).toBe(0);
    const row = again.stdout.split('\n')[1]!.split(/ {2,}/);
    expect(row.slice(0, 3)).toEqual(['stopped/shoot-9', 'done', '3']);
    // fix did not run again: its stage lines are absent, upload's is there
    expect(again.stderr).not.toContain('] fix:');
    expect(again.stderr).toContain('[stopped/shoot-9] upload: 3 files to');
  });
});
