import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRunOutputs } from '../../src/cli/run-output-guard.js';
import { UsageError } from '../../src/cli/io.js';
import { jobInputFiles } from '../../src/pipeline/job-input-files.js';
import { tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { copyDemo } from '../helpers/sandbox-job.js';

let dir: string;
let cleanup: () => Promise<void>;
let job: string;
let folder: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-run-output-guard-'));
  job = join(dir, 'job');
  await copyDemo(job);
  // an asset folder without request.json: its prompt and media-named files are inputs, its notes are not
  folder = join(dir, 'folder');
  await mkdir(folder);
  await cp(join(job, 'banner.png'), join(folder, 'hero.png'));
  await writeFile(join(folder, 'prompt.txt'), 'a hero');
  await writeFile(join(folder, 'notes.txt'), 'mine');
});
afterAll(() => cleanup());

const refusal = (flags: Parameters<typeof guardRunOutputs>[0]) => guardRunOutputs(flags).then(() => null, (e: unknown) => e);

describe('the files a job will read, found before it runs', () => {
  it('a request: the request file and its local media; an asset folder: prompt.txt and its media-named files', async () => {
    expect(await jobInputFiles({ folder: job })).toEqual([
      { path: join(job, 'request.json'), shown: join(job, 'request.json'), role: 'the request file' },
      { path: join(job, 'banner.png'), shown: join(job, 'banner.png'), role: `image_urls[0] of ${job}/request.json` },
      { path: join(job, 'clip.webm'), shown: join(job, 'clip.webm'), role: `video_urls[0] of ${job}/request.json` },
      { path: join(job, 'music.flac'), shown: join(job, 'music.flac'), role: `audio_urls[0] of ${job}/request.json` },
    ]);
    expect(await jobInputFiles({ folder })).toEqual([
      { path: folder, shown: folder, role: 'an asset folder (every file in it is read as media)' },
      { path: join(folder, 'prompt.txt'), shown: join(folder, 'prompt.txt'), role: `the prompt of asset folder ${folder}` },
      { path: join(folder, 'hero.png'), shown: join(folder, 'hero.png'), role: `a file of asset folder ${folder}` },
    ]);
  });
});

describe('guardRunOutputs (run and batch)', () => {
  it('--report onto a request\'s media, --junit onto a prompt: a usage error naming both', async () => {
    const report = await refusal({ cwd: dir, report: 'job/clip.webm', jobs: [{ folder: job }, { folder }] });
    expect(report).toBeInstanceOf(UsageError);
    // written relative to the working folder, the input is named as the job names it
    expect((report as Error).message).toBe(`--report job/clip.webm is ${job}/clip.webm, an input of this run (video_urls[0] of ${job}/request.json): choose another path`);
    const junit = await refusal({ cwd: dir, junit: join(folder, 'prompt.txt'), jobs: [{ folder: job }, { folder }] });
    expect((junit as Error).message).toBe(`--junit ${folder}/prompt.txt is an input of this run (the prompt of asset folder ${folder}): choose another path`);
  });

  it('--work or --output that is a file: a usage error; folders holding the jobs are fine, and so is a report beside them', async () => {
    const work = await refusal({ cwd: dir, work: 'folder/notes.txt', jobs: [{ folder }] });
    expect((work as Error).message).toBe("--work folder/notes.txt is a file, not a folder: give a folder's path (it is created when missing)");
    const output = await refusal({ cwd: dir, output: 'job/request.json', jobs: [{ folder }] });
    expect((output as Error).message).toBe("--output job/request.json is a file, not a folder: give a folder's path (it is created when missing)");
    expect(await refusal({ cwd: dir, work: '.', output: 'job', report: 'folder/report.html', junit: 'folder/notes.txt', jobs: [{ folder: job }, { folder }] })).toBeNull();
  });
});

describe('run and batch guard their outputs before anything is written (the command line)', () => {
  it("--output aimed at an asset folder itself: refused (its result would be read as the job's media, a new task each run); a clip without an extension is an input", async () => {
    const own = join(dir, 'own');
    await mkdir(own);
    await cp(join(job, 'banner.png'), join(own, 'hero.png'));
    await cp(join(job, 'clip.webm'), join(own, 'clip'));
    await writeFile(join(own, 'prompt.txt'), 'a hero');
    const output = await cli(['run', 'own', '--output', 'own', '--dry-run'], { cwd: dir });
    expect({ code: output.code, stderr: output.stderr }).toEqual({ code: 2, stderr: `seedance-preflight: --output own is ${own}, an asset folder (every file in it is read as media): what is written there would be read as the job's media on the next run; choose another folder (a new folder inside it is fine)\n` });
    // --out is the flag's name (as fix --out), --output its earlier one: the message names the one given
    const out = await cli(['run', 'own', '--out', 'own', '--dry-run'], { cwd: dir });
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 2, stderr: output.stderr.replace('--output own', '--out own') });
    const both = await cli(['run', 'own', '--out', 'a', '--output', 'b', '--dry-run'], { cwd: dir });
    expect({ code: both.code, stderr: both.stderr }).toEqual({ code: 2, stderr: 'seedance-preflight: --out and --output are one flag (--output is its earlier name): give it once\n' });
    const report = await cli(['run', 'own', '--report', 'own/clip', '--dry-run'], { cwd: dir });
    expect({ code: report.code, stderr: report.stderr }).toEqual({ code: 2, stderr: `seedance-preflight: --report own/clip is ${own}/clip, an input of this run (a file of asset folder ${own}): choose another path\n` });
    expect(existsSync(join(own, '.seedance-preflight'))).toBe(false);
  });

  it('run --report onto the request, run --work onto a file, batch --junit onto a media file: exit 2, one line, nothing written', async () => {
    const before = await readFile(join(job, 'request.json'));
    const report = await cli(['run', job, '--report', join(job, 'request.json'), '--dry-run'], { cwd: dir });
    expect({ code: report.code, stdout: report.stdout }).toEqual({ code: 2, stdout: '' });
    expect(report.stderr).toBe(`seedance-preflight: --report ${job}/request.json is an input of this run (the request file): choose another path\n`);
    expect(await readFile(join(job, 'request.json'))).toEqual(before);
    const work = await cli(['run', 'folder', '--work', 'folder/notes.txt', '--dry-run'], { cwd: dir });
    expect({ code: work.code, stderr: work.stderr }).toEqual({ code: 2, stderr: "seedance-preflight: --work folder/notes.txt is a file, not a folder: give a folder's path (it is created when missing)\n" });
    const junit = await cli(['batch', dir, '--junit', 'job/banner.png', '--dry-run'], { cwd: dir });
    expect({ code: junit.code, stderr: junit.stderr }).toEqual({ code: 2, stderr: `seedance-preflight: --junit job/banner.png is ${job}/banner.png, an input of this run (image_urls[0] of ${job}/request.json): choose another path\n` });
    // nothing of either job was touched: no work folder was made
    expect(existsSync(join(job, '.seedance-preflight'))).toBe(false);
    expect(existsSync(join(folder, '.seedance-preflight'))).toBe(false);
  });

  it('--request-timeout: on every command that calls the API; a queued batch refuses it (its workers call the API)', async () => {
    for (const command of ['run', 'batch', 'submit', 'worker', 'status', 'wait']) {
      expect((await cli([command, '--help'])).stdout).toContain('--request-timeout <seconds>');
    }
    const queued = await cli(['batch', dir, '--queue', 'redis://127.0.0.1:1', '--request-timeout', '5'], { cwd: dir });
    expect({ code: queued.code, stderr: queued.stderr }).toEqual({ code: 2, stderr: 'seedance-preflight: --request-timeout does not go with --queue: give it to each seedance-preflight worker\n' });
    // the encodes run on the workers too
    const encodes = await cli(['batch', dir, '--queue', 'redis://127.0.0.1:1', '--encode-timeout', '120'], { cwd: dir });
    expect({ code: encodes.code, stderr: encodes.stderr }).toEqual({ code: 2, stderr: 'seedance-preflight: --encode-timeout does not go with --queue: give it to each seedance-preflight worker\n' });
  });
});
