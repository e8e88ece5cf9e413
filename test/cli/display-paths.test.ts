import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { cli, type CliRun } from '../helpers/run-cli.js';

/**
 * Every output names a path as the user would type it from the folder the command ran in (displayPath), whatever form
 * the arguments took: here every argument is absolute and the command runs in a sibling folder, so each path is
 * `../…` in the text, in --json and in the --report HTML alike, and no absolute path is printed anywhere.
 */
let base: string;
let cleanup: () => Promise<void>;
let here: string;
let jobs: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('sp-display-paths-'));
  here = join(base, 'here');
  jobs = join(base, 'jobs');
  await mkdir(here);
  await copyDemo(join(jobs, 'a'));
  await copyDemo(join(jobs, 'b'));
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(base, 'cache'), SEEDANCE_CACHE_DIR: join(base, 'cache') };
});
afterAll(() => cleanup());

const DEMO_FILES = ['banner.png', 'clip.webm', 'music.flac'];

/** The command in text (with --report ABSOLUTE) and in --json, both run from `here`; neither prints the temp folder's absolute path. */
async function both(name: string, args: string[]): Promise<{ text: CliRun; json: CliRun; html: string }> {
  const report = join(base, 'reports', `${name}.html`);
  const text = await cli([...args, '--report', report], { cwd: here, env });
  const json = await cli(['--json', ...args], { cwd: here, env });
  for (const run of [text, json]) expect(`${run.stdout}${run.stderr}`).not.toContain(base);
  // the report names every path the same way; its links and thumbnails are relative to the report itself
  const html = await readFile(report, 'utf8');
  expect(html).not.toContain(base);
  expect(text.stderr).toContain(`report: ../reports/${name}.html (`);
  return { text, json, html };
}

/** The paths of the report's file index, in its order. */
function htmlFilePaths(html: string): string[] {
  return [...html.matchAll(/<td class="path"><a href="#[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

/** The jobs of the report's job index, in its order. */
function htmlJobLabels(html: string): string[] {
  return [...html.matchAll(/<tr data-status="[^"]+"><td><a href="#[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

describe('paths relative to the folder the command ran in, in text, JSON and report alike', () => {
  it('check ABSOLUTE-FOLDER: each file and each violation subject', async () => {
    const { text, json, html } = await both('check', ['check', join(jobs, 'a')]);
    const paths = DEMO_FILES.map((f) => `../jobs/a/${f}`);
    expect([text.code, json.code]).toEqual([1, 1]);
    expect([...text.stdout.matchAll(/^✗ (\S+) {2}/gm)].map((m) => m[1])).toEqual(paths);
    expect(text.stdout).toContain('✗ ../jobs/a/banner.png  image · PNG 3000×1000');
    const document = JSON.parse(json.stdout) as { files: { path: string; violations: { subject: string; message: string }[] }[] };
    expect(document.files.map((f) => f.path)).toEqual(paths);
    expect(document.files[0]!.violations.map((v) => [v.subject, v.message.split(':')[0]])).toEqual([['../jobs/a/banner.png', '../jobs/a/banner.png']]);
    expect(htmlFilePaths(html)).toEqual(paths);
  });

  it('check ABSOLUTE-FILES: the files as shown, in the order given', async () => {
    const { text, json, html } = await both('check-files', ['check', join(jobs, 'a', 'clip.webm'), join(jobs, 'a', 'banner.png')]);
    const paths = ['../jobs/a/clip.webm', '../jobs/a/banner.png'];
    expect([...text.stdout.matchAll(/^✗ (\S+) {2}/gm)].map((m) => m[1])).toEqual(paths);
    expect((JSON.parse(json.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(paths);
    expect(htmlFilePaths(html)).toEqual(paths);
  });

  it('fix ABSOLUTE-FOLDER --out ABSOLUTE: sources, outputs, the request written, and fixed counted as the report counts it', async () => {
    const { text, json, html } = await both('fix', ['fix', join(jobs, 'a'), '--out', join(base, 'fixed')]);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(text.stdout.split('\n').filter((l) => !l.startsWith('    '))).toEqual([
      '→ ../jobs/a/banner.png → ../fixed/banner.png  convert',
      '→ ../jobs/a/clip.webm → ../fixed/clip.mp4  re-encode',
      '→ ../jobs/a/music.flac → ../fixed/music.mp3  re-encode',
      '✓ request ../fixed/request.json',
      'Fixed: 3 files (2 re-encoded, 0 remuxed, 1 converted); every output passes check.',
      '',
    ]);
    const document = JSON.parse(json.stdout) as { files: { path: string; output: string }[]; requests: { label: string; output: string }[] };
    expect(document.files.map((f) => [f.path, f.output])).toEqual([
      ['../jobs/a/banner.png', '../fixed/banner.png'],
      ['../jobs/a/clip.webm', '../fixed/clip.mp4'],
      ['../jobs/a/music.flac', '../fixed/music.mp3'],
    ]);
    expect(document.requests).toEqual([{ label: '../jobs/a/request.json', output: '../fixed/request.json', blockedBy: [] }]);
    expect(htmlFilePaths(html)).toEqual(DEMO_FILES.map((f) => `../jobs/a/${f}`));
  });

  it('run --dry-run ABSOLUTE-FOLDER: the job, its fixed files and its violations', async () => {
    const { text, json, html } = await both('run', ['run', '--dry-run', join(jobs, 'b')]);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(text.stdout.split('\n')[0]).toBe('✓ ../jobs/b  dry run: checked and fixed; nothing uploaded, nothing billed');
    expect([...text.stdout.matchAll(/^ {4}fixed (\S+): /gm)].map((m) => m[1])).toEqual(DEMO_FILES.map((f) => `../jobs/b/${f}`));
    expect(text.stderr).toContain('[../jobs/b] check: probing and checking every file\n');
    const [job] = (JSON.parse(json.stdout) as { jobs: { job: string; fixed: { path: string; output: string }[]; violations: { subject: string }[] }[] }).jobs;
    expect(job!.job).toBe('../jobs/b');
    expect(job!.fixed.map((f) => [f.path, f.output])).toEqual([
      ['../jobs/b/banner.png', '../jobs/b/.seedance-preflight/fixed/banner.png'],
      ['../jobs/b/clip.webm', '../jobs/b/.seedance-preflight/fixed/clip.mp4'],
      ['../jobs/b/music.flac', '../jobs/b/.seedance-preflight/fixed/music.mp3'],
    ]);
    expect([...new Set(job!.violations.map((v) => v.subject))]).toEqual(DEMO_FILES.map((f) => `../jobs/b/${f}`));
    expect(htmlJobLabels(html)).toEqual(['../jobs/b']);
    expect(htmlFilePaths(html)).toEqual(DEMO_FILES.map((f) => `../jobs/b/${f}`));
  });

  it('batch --dry-run ABSOLUTE-ROOT: the jobs in the table, the progress lines, JSON (with each job\'s violations) and report', async () => {
    const { text, json, html } = await both('batch', ['batch', '--dry-run', jobs]);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(text.stdout).toBe('job        outcome  fixed  task  result\n../jobs/a  done     3      -     dry run\n../jobs/b  done     3      -     dry run\n2 of 2 jobs done.\n');
    expect(text.stderr).toContain('[../jobs/a] check: probing and checking every file\n');
    const document = JSON.parse(json.stdout) as { jobs: { job: string; fixed: { path: string }[]; violations: { rule: string; subject: string }[] | null }[] };
    expect(document.jobs.map((j) => j.job)).toEqual(['../jobs/a', '../jobs/b']);
    for (const [i, name] of ['a', 'b'].entries()) {
      expect(document.jobs[i]!.fixed.map((f) => f.path)).toEqual(DEMO_FILES.map((f) => `../jobs/${name}/${f}`));
      // as run --dry-run --json names them: what the job's check found, by rule id
      expect(document.jobs[i]!.violations!.map((v) => [v.rule, v.subject])).toEqual([
        ['image.aspect_ratio', `../jobs/${name}/banner.png`],
        ['video.format', `../jobs/${name}/clip.webm`],
        ['video.codec', `../jobs/${name}/clip.webm`],
        ['video.fps', `../jobs/${name}/clip.webm`],
        ['audio.format', `../jobs/${name}/music.flac`],
      ]);
    }
    expect(htmlJobLabels(html)).toEqual(['../jobs/a', '../jobs/b']);
  });

  it('check resolves its relative PATH arguments against the command\'s folder, not the process\'s', async () => {
    const run = await cli(['check', 'jobs/a/banner.png'], { cwd: base, env });
    expect(run.stdout.split('\n')[0]).toBe('✗ jobs/a/banner.png  image · PNG 3000×1000 · 41.78 KB');
    expect(run.code).toBe(1);
    const missing = await cli(['check', join(base, 'nowhere.mp4')], { cwd: here, env });
    expect(missing.stderr).toBe('seedance-preflight: ../nowhere.mp4 does not exist\n');
    expect(missing.code).toBe(2);
  });
});
