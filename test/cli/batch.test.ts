import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { fixture } from '../helpers/fixtures.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-cli-batch-', { taskDurationMs: 300 });
// its afterAll checks that the key is in no output of any run of this file
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  ({ sandbox, dir } = box);
  // two good folders, one with a file that is not media, one whose request is not JSON; notes/ is no job at all
  await Promise.all([writeAssetFolder(join(dir, 'root/good-1'), 41), writeAssetFolder(join(dir, 'root/good-2'), 42)]);
  await mkdir(join(dir, 'root/junk'));
  await copyFile(fixture('text-named.mp4'), join(dir, 'root/junk/clip.mp4'));
  await mkdir(join(dir, 'root/not-json'));
  await writeFile(join(dir, 'root/not-json/request.json'), '{"model": ');
  await mkdir(join(dir, 'root/notes'));
  await writeFile(join(dir, 'root/notes/readme.txt'), 'not a job\n');
});

const JUNK = (root: string) => `${join(root, 'junk/clip.mp4')}: its bytes are not an image, video or audio format (UTF-8 text, 20 bytes)`;
const NOT_JSON = (root: string) =>
  `${join(root, 'not-json/request.json')}: the request file cannot be used: it is not valid JSON (Unexpected end of JSON input) (rule request.json)`;

describe('batch: mixed good and broken folders', () => {
  it('runs every folder, prints the summary table, writes --junit, exits 1; the good jobs each made one task', async () => {
    const root = join(dir, 'root');
    const before = sandbox.simulator.createdTasks().length;
    const result = await run(['batch', 'root', '--junit', 'reports/batch.xml', '--api-concurrency', '2']);
    expect(result.code).toBe(1);
    const tasks = sandbox.simulator.createdTasks().slice(before);
    expect(tasks).toHaveLength(2);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^job +outcome +fixed +task +result$/);
    const rows = lines.slice(1, 5).map((l) => l.split(/ {2,}/));
    // each job and result named from the folder the batch ran in, as the report names them
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['root/good-1', 'done', '2'],
      ['root/good-2', 'done', '2'],
      ['root/junk', 'failed at fix', '0'],
      ['root/not-json', 'failed at check', '0'],
    ]);
    const good = rows.slice(0, 2).map((r) => r[3]!);
    expect(new Set(good)).toEqual(new Set(tasks.map((t) => t.id)));
    expect(rows[0]![4]).toBe(`root/good-1/output/${rows[0]![3]}.mp4`);
    expect(rows[2]!.slice(3)).toEqual(['-', `${JUNK(root)} (to do: replace or remove this file, then run again)`]);
    expect(rows[3]!.slice(3)).toEqual(['-', `${NOT_JSON(root)} (to do: write the request as a JSON object with the API's field names)`]);
    expect(lines.slice(5)).toEqual(['2 of 4 jobs done, 2 failed.', '']);

    const xml = await readFile(join(dir, 'reports/batch.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="seedance-preflight batch" tests="4" failures="2"');
    expect(xml).toContain('<testcase classname="job" name="root/good-1"/>');
    expect(xml).toContain('<testcase classname="job" name="root/junk">');
    expect(xml).toContain('<failure message="fix: ');
    expect(xml).toContain('type="check"');
  });

  it('--json after the re-run: the good jobs resumed with their tasks, the broken ones still fail (exit 1)', async () => {
    const before = sandbox.simulator.createdTasks().length;
    const result = await run(['batch', 'root', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; jobs: { job: string; ok: boolean; resumed: string[]; taskId: string | null; error: { stage: string; message: string } | null }[] };
    expect(report.ok).toBe(false);
    expect(report.jobs.map((j) => [j.job, j.ok, j.error?.stage ?? null, j.resumed])).toEqual([
      ['root/good-1', true, null, ['check', 'fix', 'upload', 'submit', 'wait', 'download']],
      ['root/good-2', true, null, ['check', 'fix', 'upload', 'submit', 'wait', 'download']],
      ['root/junk', false, 'fix', []],
      ['root/not-json', false, 'check', []],
    ]);
    expect(report.jobs[2]!.error!.message).toBe(JUNK('root'));
    expect(sandbox.simulator.createdTasks().length).toBe(before);
  });

  it('exit 0 when every job is done', async () => {
    const result = await run(['batch', 'root/good-1']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').at(-2)).toBe('1 of 1 jobs done.');
  });

  it.each([
    [['batch', 'nowhere'], 'nowhere does not exist'],
    [['batch', 'root/notes'], 'no asset folders under root/notes: a job is a folder with a request.json, or with media files'],
    [['batch', 'root', '--fit', 'stretch'], '--fit must be pad or crop, not "stretch"'],
  ])('usage error %j (exit 2)', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`seedance-preflight: ${message}\n`);
  });
});

describe('batch: local paths stay inside each job', () => {
  it('a job whose request names a file outside its folder fails at check before any upload; --allow-outside-paths lets it through', async () => {
    const root = join(dir, 'paths-root');
    await mkdir(join(root, 'outside'), { recursive: true });
    await copyFile(fixture('landscape-1280x720.jpg'), join(dir, 'shared.jpg'));
    await writeFile(join(root, 'outside/request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 turns', image_urls: ['../../shared.jpg'], duration: 5 }));
    const counters = sandbox.simulator.counters();
    const refused = await run(['batch', 'paths-root', '--json']);
    expect(refused.code).toBe(1);
    const job = JSON.parse(refused.stdout).jobs[0];
    expect(job.error).toEqual({
      stage: 'check',
      // the paths in the sentence as shown from the folder the command ran in
      message: `paths-root/outside/request.json: image_urls[0] "../../shared.jpg" is outside the job's folder paths-root/outside (it resolves to shared.jpg); a job sends only media inside its own folder`,
      hint: `move the file into paths-root/outside, or pass --allow-outside-paths if this request deliberately names media kept elsewhere`,
    });
    const allowed = await run(['batch', 'paths-root', '--json', '--dry-run', '--allow-outside-paths']);
    expect(allowed.code).toBe(0);
    expect(sandbox.simulator.counters()).toEqual(counters);
  });
});
