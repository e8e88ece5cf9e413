import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, link, lstat, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_MANIFEST_NAME } from '../../src/normalize/output-manifest.js';
import { HOST_TAG, STALE_TEMPORARY_MS } from '../../src/shared/temp-file.js';
import { tempDir } from '../helpers/fixtures.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { sha256 } from '../helpers/make-media.js';
import { cli } from '../helpers/run-cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let env: NodeJS.ProcessEnv;
/** A copy of the demo job (request.json naming banner.png, clip.webm, music.flac), and the sha256 of each of its files. */
let job: string;
let hashes: Record<string, string>;

async function jobHashes(): Promise<Record<string, string>> {
  const names = (await readdir(job)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await sha256(join(job, name))] as const)));
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-cli-output-guard-'));
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
  job = join(dir, 'job');
  await copyDemo(job);
  hashes = await jobHashes();
  expect(Object.keys(hashes)).toEqual(['banner.png', 'clip.webm', 'music.flac', 'request.json']);
});
afterAll(() => cleanup());

/** Exit 2, one line naming both paths, nothing on stdout, and not a byte of the job changed. */
async function expectRefused(args: string[], line: string): Promise<void> {
  const run = await cli(args, { env });
  expect(run).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${line}\n` });
  expect(await jobHashes()).toEqual(hashes);
}

describe('check: --report and --junit never land on an input', () => {
  it('--report onto an image of the request: exit 2, the image unchanged, no thumbnail folder made', async () => {
    await expectRefused(['check', job, '--report', join(job, 'banner.png')], `--report ${job}/banner.png is an input of this run (image_urls[0] of ${job}/request.json): choose another path`);
    expect(existsSync(join(job, 'banner.png.assets'))).toBe(false);
  });

  it('--junit onto the request file', async () => {
    await expectRefused(['check', job, '--junit', join(job, 'request.json')], `--junit ${job}/request.json is an input of this run (the request file): choose another path`);
  });

  it('--junit onto a hard link of the request file, --report through a symlink to the image', async () => {
    await link(join(job, 'request.json'), join(dir, 'hard.json'));
    await symlink(join(job, 'banner.png'), join(dir, 'link.png'));
    await expectRefused(['check', job, '--junit', join(dir, 'hard.json')], `--junit ${dir}/hard.json is a hard link to ${job}/request.json, an input of this run (the request file): choose another path`);
    await expectRefused(['check', job, '--report', join(dir, 'link.png')], `--report ${dir}/link.png leads to ${job}/banner.png, an input of this run (image_urls[0] of ${job}/request.json): choose another path`);
    expect(await sha256(join(dir, 'hard.json'))).toBe(hashes['request.json']);
  });

  it('--junit and --report on one file', async () => {
    const run = await cli(['check', job, '--junit', join(dir, 'same.html'), '--report', join(dir, 'same.html')], { env });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --report ${dir}/same.html is also --junit ${dir}/same.html: give each output its own path\n` });
    expect(existsSync(join(dir, 'same.html'))).toBe(false);
  });

  it('--junit beside the inputs, in the job folder, is fine (and so is running it again)', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await cli(['check', job, '--junit', join(job, 'check.xml')], { env });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      expect(await readFile(join(job, 'check.xml'), 'utf8')).toMatch(/^<\?xml/);
    }
    await import('node:fs/promises').then((fs) => fs.rm(join(job, 'check.xml')));
  });
});

describe('fix: --out never writes over an input or a file fix did not write', () => {
  it('fix DIR --out DIR would write DIR/request.json over the request: exit 2 before any encode, the folder as it was', async () => {
    await expectRefused(['fix', job, '--out', job], `--out ${job} would write over ${job}/request.json, an input of this run (the request file): choose another --out folder, one that holds no inputs (e.g. a new folder inside it)`);
    expect((await readdir(job)).sort()).toEqual(['banner.png', 'clip.webm', 'music.flac', 'request.json']);
  });

  it('--report of fix onto an input: exit 2 before any encode (the --out folder is not even made)', async () => {
    await expectRefused(['fix', job, '--out', join(dir, 'never'), '--report', join(job, 'music.flac')], `--report ${job}/music.flac is an input of this run (audio_urls[0] of ${job}/request.json): choose another path`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('--out a file: exit 2 in one line, the file unchanged', async () => {
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const run = await cli(['fix', join(job, 'music.flac'), '--out', join(dir, 'notes.txt')], { env });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --out ${dir}/notes.txt is a file, not a folder: give a folder's path (it is created when missing)\n` });
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a user\'s userdir/clip.mp4 is never replaced by the fixed copy of clip.webm: exit 2 before any encode, naming the file', async () => {
    const userdir = join(dir, 'userdir');
    await mkdir(userdir);
    await writeFile(join(userdir, 'clip.mp4'), 'a video of my own');
    const run = await cli(['fix', join(job, 'clip.webm'), '--out', userdir], { env });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --out ${userdir}: ${userdir}/clip.mp4 exists and seedance-preflight did not write it (the fixed copy of ${job}/clip.webm would replace it): move it away or choose a new --out folder\n` });
    expect(await readFile(join(userdir, 'clip.mp4'), 'utf8')).toBe('a video of my own');
    expect(await readdir(userdir)).toEqual(['clip.mp4']);
  });

  it('a manifest that is a link (to a file listing the user\'s clip.mp4 exactly) or a FIFO is not trusted: the file is refused, without a hang', async () => {
    const linked = join(dir, 'linked-manifest');
    await mkdir(linked);
    await writeFile(join(linked, 'clip.mp4'), 'a video of my own');
    const info = await stat(join(linked, 'clip.mp4'));
    // a manifest that would vouch for the user's file, were it read through the link
    await writeFile(join(dir, 'planted-manifest.json'), JSON.stringify({ files: { 'clip.mp4': { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino } } }));
    await symlink(join(dir, 'planted-manifest.json'), join(linked, OUTPUT_MANIFEST_NAME));
    const viaLink = await cli(['fix', join(job, 'clip.webm'), '--out', linked], { env });
    expect(viaLink).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --out ${linked}: ${linked}/clip.mp4 exists and seedance-preflight did not write it (the fixed copy of ${job}/clip.webm would replace it): move it away or choose a new --out folder\n` });
    expect(await readFile(join(linked, 'clip.mp4'), 'utf8')).toBe('a video of my own');
    expect((await lstat(join(linked, OUTPUT_MANIFEST_NAME))).isSymbolicLink()).toBe(true);

    const piped = join(dir, 'fifo-manifest');
    await mkdir(piped);
    await writeFile(join(piped, 'clip.mp4'), 'a video of my own');
    execFileSync('mkfifo', [join(piped, OUTPUT_MANIFEST_NAME)]);
    const viaFifo = await cli(['fix', join(job, 'clip.webm'), '--out', piped], { env });
    expect(viaFifo).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --out ${piped}: ${piped}/clip.mp4 exists and seedance-preflight did not write it (the fixed copy of ${job}/clip.webm would replace it): move it away or choose a new --out folder\n` });
    expect(await readFile(join(piped, 'clip.mp4'), 'utf8')).toBe('a video of my own');
    expect(await jobHashes()).toEqual(hashes);
  });

  it('fixing into its own --out again works (the files are in its manifest); a file changed there since is refused', async () => {
    const out = join(dir, 'fixed');
    const first = await cli(['fix', job, '--out', out], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MANIFEST_NAME, 'banner.png', 'clip.mp4', 'music.mp3', 'request.json']);
    const manifest = JSON.parse(await readFile(join(out, OUTPUT_MANIFEST_NAME), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toEqual(['banner.png', 'clip.mp4', 'music.mp3', 'request.json']);

    const second = await cli(['fix', job, '--out', out], { env });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    await writeFile(join(out, 'music.mp3'), 'edited by hand');
    const third = await cli(['fix', job, '--out', out], { env });
    expect(third).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: --out ${out}: ${out}/music.mp3 changed since seedance-preflight wrote it (the fixed copy of ${job}/music.flac would replace it): move it away or choose a new --out folder\n` });
    expect(await readFile(join(out, 'music.mp3'), 'utf8')).toBe('edited by hand');
    expect(await jobHashes()).toEqual(hashes);
  });

  it('a user\'s ".x.0123abcd.partial/" folder and ".y.0123abcd.partial" file in --out survive; a dead writer\'s temporary of this host is swept', async () => {
    const out = join(dir, 'swept');
    await mkdir(join(out, '.x.0123abcd.partial'), { recursive: true });
    await writeFile(join(out, '.x.0123abcd.partial', 'backup.txt'), 'mine');
    await writeFile(join(out, '.y.0123abcd.partial'), 'mine too');
    const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;
    await utimes(join(out, '.x.0123abcd.partial'), old, old);
    await utimes(join(out, '.y.0123abcd.partial'), old, old);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(join(out, `.music.spf-${HOST_TAG}-${child.pid}-0123abcd.partial.mp3`), 'half an encode of a killed run');

    const run = await cli(['fix', join(job, 'music.flac'), '--out', out], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', '.x.0123abcd.partial', '.y.0123abcd.partial', 'music.mp3']);
    expect(await readFile(join(out, '.x.0123abcd.partial', 'backup.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(out, '.y.0123abcd.partial'), 'utf8')).toBe('mine too');
  });

  it('a 250-byte file name fixes fine (the temporary\'s stem is shortened, never its marker or extension)', async () => {
    const long = join(dir, 'long');
    await mkdir(long);
    const name = `${'é'.repeat(122)}.flac`;
    expect(Buffer.byteLength(name)).toBe(249);
    await cp(join(job, 'music.flac'), join(long, name));
    const out = join(dir, 'long-out');
    const run = await cli(['fix', join(long, name), '--out', out], { env: { ...env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache-long') } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MANIFEST_NAME, `${'é'.repeat(122)}.mp3`]);
  });
});
