import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { makeClip, sha256 } from '../helpers/make-media.js';
import { cli } from '../helpers/run-cli.js';
import { HOST_TAG } from '../../src/shared/temp-file.js';

let dir: string;
let cleanup: () => Promise<void>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-cli-fix-'));
  // probe and fix caches in the temp folder: tests never touch ~/.cache
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
  await copyDemo(join(dir, 'shoot'));
});
afterAll(() => cleanup());

/** A copy of the demo job in the temp folder, where every command runs: outputs name paths relative to it. */
const DEMO = ['shoot/banner.png', 'shoot/clip.webm', 'shoot/music.flac'];
const inDir = (path: string) => sha256(join(dir, path));

/** Copies of committed media in DIR/folder (their absolute paths): commands run in DIR name them folder/NAME. */
async function copies(folder: string, names: string[]): Promise<string[]> {
  await mkdir(join(dir, folder), { recursive: true });
  return Promise.all(names.map(async (name) => (await copyFile(fixture(name), join(dir, folder, name)), join(dir, folder, name))));
}

describe('fix (human output)', () => {
  it('fixes the demo folder, writes request.json, leaves the originals as they were; a second run reuses every output', async () => {
    const hashes = await Promise.all(DEMO.map(inDir));
    const out = join(dir, 'demo');
    const run = await cli(['fix', 'shoot', '--out', out], { env, cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      '→ shoot/banner.png → demo/banner.png  convert',
      '    image.aspect_ratio           pad 3000×1000 → 3000×1200',
      '→ shoot/clip.webm → demo/clip.mp4  re-encode',
      '    video.format                 container WEBM → MP4',
      '    video.codec                  re-encode vp9 → H.264',
      '    video.fps                    frame rate 15 → 24 fps',
      '→ shoot/music.flac → demo/music.mp3  re-encode',
      '    audio.format                 FLAC → MP3',
      '✓ request demo/request.json',
      'Fixed: 3 files (2 re-encoded, 0 remuxed, 1 converted); every output passes check.',
      '',
    ]);
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', 'banner.png', 'clip.mp4', 'music.mp3', 'request.json']);
    const request = JSON.parse(await readFile(join(out, 'request.json'), 'utf8')) as Record<string, unknown>;
    expect([request.image_urls, request.video_urls, request.audio_urls]).toEqual([['banner.png'], ['clip.mp4'], ['music.mp3']]);
    expect(await Promise.all(DEMO.map(inDir))).toEqual(hashes);

    const check = await cli(['check', '--request', join(out, 'request.json')], { env });
    expect(check.code).toBe(0);

    const again = await cli(['fix', 'shoot', '--out', join(dir, 'demo-again')], { env, cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n').filter((line) => line.startsWith('→'))).toEqual([
      '→ shoot/banner.png → demo-again/banner.png  convert (reused from the fix cache)',
      '→ shoot/clip.webm → demo-again/clip.mp4  re-encode (reused from the fix cache)',
      '→ shoot/music.flac → demo-again/music.mp3  re-encode (reused from the fix cache)',
    ]);
    for (const name of ['banner.png', 'clip.mp4', 'music.mp3']) expect(await sha256(join(dir, 'demo-again', name))).toBe(await sha256(join(out, name)));
  });

  it('--dry-run prints the plan and writes nothing: the out folder is not even created', async () => {
    const out = join(dir, 'dry');
    const run = await cli(['fix', 'shoot', '--out', out, '--dry-run', '--fit', 'crop'], { env, cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      '→ shoot/banner.png  convert',
      '    image.aspect_ratio           crop to 2500×1000, 3000×1000 → 2500×1000',
      '→ shoot/clip.webm  re-encode',
      '    video.format                 container WEBM → MP4',
      '    video.codec                  re-encode vp9 → H.264',
      '    video.fps                    frame rate 15 → 24 fps',
      '→ shoot/music.flac  re-encode',
      '    audio.format                 FLAC → MP3',
      'Plan (dry run, nothing written): 3 files (2 re-encoded, 0 remuxed, 1 converted).',
      '',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 and names the reason for each file it cannot fix, fixing the rest', async () => {
    const out = join(dir, 'bad');
    const run = await cli(['fix', ...(await copies('bad-in', ['empty.mp4', 'truncated.jpg', 'text-named.mp4', 'fps-15.mp4'])), '--out', out], { env, cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('✗ bad-in/empty.mp4  cannot be fixed');
    expect(lines).toContain('    error   it is empty (0 bytes)');
    expect(lines).toContain('✗ bad-in/truncated.jpg  cannot be fixed');
    expect(lines).toContain('    error   it is truncated or damaged (VipsJpeg: premature end of JPEG image)');
    expect(lines).toContain('✗ bad-in/text-named.mp4  cannot be fixed');
    expect(lines).toContain('    error   its bytes are not an image, video or audio format (UTF-8 text, 20 bytes)');
    expect(lines).toContain('→ bad-in/fps-15.mp4 → bad/fps-15.mp4  re-encode');
    // one output: the summary counts what was fixed, not what was tried
    expect(lines.at(-2)).toBe('Fixed: 1 of 4 files (1 re-encoded, 0 remuxed, 0 converted); 3 could not be fixed.');
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', 'fps-15.mp4']);
  });

  it('a folder with a file it cannot fix: says which file kept request.json from being written, not that the request has errors', async () => {
    const job = join(dir, 'blocked-job');
    await mkdir(job);
    await copyFile(fixture('long-16s.mp4'), join(job, 'a.mp4'));
    await copyFile(fixture('valid-854x480-30fps.mp4'), join(job, 'b.mp4'));
    await copyFile(fixture('truncated.jpg'), join(job, 'c.jpg'));
    await writeFile(join(job, 'prompt.txt'), 'video 1, then video 2\n');
    const out = join(dir, 'blocked-out');
    const run = await cli(['fix', job, '--out', out], { env, cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('✗ blocked-job/c.jpg  cannot be fixed');
    // the sources last 19 s together, which fix would cut: not an error left in the request
    expect(lines.slice(-3)).toEqual([
      '✗ request blocked-out/request.json not written: blocked-job/c.jpg could not be fixed',
      'Fixed: 2 of 3 files (2 re-encoded, 0 remuxed, 0 converted); 1 could not be fixed; request.json was not written.',
      '',
    ]);
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', 'a.mp4', 'b.mp4']);

    const json = await cli(['fix', job, '--out', out, '--json'], { env, cwd: dir });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { requests: unknown[] }).requests).toEqual([{ label: 'blocked-job', output: null, blockedBy: ['blocked-job/c.jpg'] }]);

    // a dry run shows what its plan leaves (issue 20, item 4): the file it cannot fix, by rule; the sources' 19 s are a cut it makes, not an error left
    const dry = await cli(['fix', job, '--out', join(dir, 'blocked-dry'), '--dry-run'], { env, cwd: dir });
    expect(dry.code).toBe(1);
    expect(dry.stdout.split('\n').slice(-4)).toEqual([
      '✗ blocked-job/c.jpg  cannot be fixed',
      '    error   it is truncated or damaged (VipsJpeg: premature end of JPEG image) (rule file.corrupt). To do: export or download the file again; a damaged file cannot be repaired.',
      'Plan (dry run, nothing written): 2 of 3 files (2 re-encoded, 0 remuxed, 0 converted); 1 could not be fixed.',
      '',
    ]);
  });

  it('a request whose own fields are wrong: the written request.json still has errors, and says so', async () => {
    const job = join(dir, 'bad-field');
    await mkdir(job);
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'a.jpg'));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1', image_urls: ['a.jpg'], duration: 30 }));
    const out = join(dir, 'bad-field-out');
    const run = await cli(['fix', job, '--out', out], { env, cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(-4)).toEqual([
      '✗ request bad-field-out/request.json',
      '    error   duration 30 is not a whole number of seconds from 4 to 15; allowed: 4–15 s (rule request.duration). To do: set "duration" to an integer from 4 to 15.',
      // a plain copy is not counted as fixed, as the report does not count it
      'Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check; the request still has errors.',
      '',
    ]);
  });

  it('copies files that already conform, byte for byte', async () => {
    const out = join(dir, 'copies');
    const run = await cli(['fix', ...(await copies('copies-in', ['valid-854x480-30fps.mp4', 'odd-1001x721.mp4'])), '--out', out], { env, cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ copies-in/odd-1001x721.mp4 → copies/odd-1001x721.mp4  copied as is\n');
    expect(run.stdout.split('\n').at(-2)).toBe('Fixed: 0 of 2 files (0 re-encoded, 0 remuxed, 0 converted); 2 copied as is; every output passes check.');
    expect(await sha256(join(out, 'valid-854x480-30fps.mp4'))).toBe(await sha256(fixture('valid-854x480-30fps.mp4')));
  });
});

describe('fix --json', () => {
  it('prints one JSON document: the check shape plus output, mode, actions, cached and error per file', async () => {
    const out = join(dir, 'json');
    const run = await cli(['fix', ...(await copies('json-in', ['h264-in.mkv', 'empty.mp4', 'landscape-1280x720.jpg'])), '--out', out, '--json'], { env, cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const document = JSON.parse(run.stdout) as {
      ok: boolean;
      dryRun: boolean;
      files: Array<Record<string, unknown>>;
      request: { ok: boolean; violations: unknown[] };
      requests: unknown[];
    };
    expect(Object.keys(document)).toEqual(['ok', 'dryRun', 'files', 'request', 'requests', 'interrupted']);
    expect([document.ok, document.dryRun, document.request, document.requests]).toEqual([false, false, { ok: true, violations: [] }, []]);
    for (const file of document.files) expect(Object.keys(file)).toEqual(['path', 'kind', 'ok', 'violations', 'outputViolations', 'output', 'mode', 'actions', 'cached', 'error', 'interrupted', 'notStarted']);
    const [mkv, empty, jpg] = document.files;
    expect(mkv).toMatchObject({
      path: 'json-in/h264-in.mkv',
      kind: 'video',
      ok: true,
      output: 'json/h264-in.mp4',
      mode: 'remux',
      actions: [{ rule: 'video.format', what: 'container MKV → MP4', before: 'mkv', after: 'mp4' }],
      cached: false,
      error: null,
    });
    expect((mkv!.violations as Array<{ rule: string }>).map((v) => v.rule)).toEqual(['video.format']);
    // each violation as check --json documents it, its sentence rendered here
    const [violation] = mkv!.violations as Array<Record<string, unknown>>;
    expect(Object.keys(violation!)).toEqual(['rule', 'severity', 'subject', 'limit', 'actual', 'message', 'fix', 'fixable', 'source']);
    expect(violation!.subject).toBe('json-in/h264-in.mkv');
    expect(violation!.message).toBe(`json-in/h264-in.mkv: container is MKV; allowed: one of mp4, mov (rule video.format). Fix: remux into MP4 without re-encoding (seedance-preflight fix does this).`);
    expect(empty).toMatchObject({ path: 'json-in/empty.mp4', kind: null, ok: false, output: null, mode: 'unfixable', actions: [], cached: false, error: 'it is empty (0 bytes)' });
    expect(jpg).toMatchObject({ kind: 'image', ok: true, output: 'json/landscape-1280x720.jpg', mode: 'copy', actions: [], violations: [], error: null });
  });

  it('--dry-run --json has output null everywhere and dryRun true', async () => {
    const run = await cli(['fix', fixture('fps-120.mp4'), '--out', join(dir, 'json-dry'), '--json', '--dry-run'], { env });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { dryRun: boolean; files: Array<{ output: unknown; mode: string }> };
    expect(document.dryRun).toBe(true);
    expect(document.files.map((f) => [f.output, f.mode])).toEqual([[null, 'reencode']]);
    expect(existsSync(join(dir, 'json-dry'))).toBe(false);
  });
});

describe('fix usage errors (exit 2)', () => {
  it('needs --out', async () => {
    const run = await cli(['fix', fixture('fps-15.mp4')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: fix needs --out DIR: the originals are never overwritten\n');
    expect(run.stdout).toBe('');
  });

  it('needs a path or --request', async () => {
    const run = await cli(['fix', '--out', join(dir, 'nothing')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: fix needs PATH… or --request FILE (see seedance-preflight fix --help)\n');
  });

  it('names a path that does not exist, and still fixes the rest', async () => {
    const missing = join(dir, 'missing.mp4');
    const out = join(dir, 'missing-out');
    const run = await cli(['fix', missing, fixture('valid-3s.wav'), '--out', out], { env, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: missing.mp4 does not exist\n');
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', 'valid-3s.wav']);
  });

  it('refuses an unknown --fit', async () => {
    const run = await cli(['fix', fixture('fps-15.mp4'), '--out', join(dir, 'fit'), '--fit', 'stretch'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: --fit must be pad or crop, not "stretch"\n');
  });
});

describe('fix interrupted', () => {
  it('Ctrl-C during an encode exits 130, says the file was stopped, and leaves neither a file under a final name nor a partial file', async () => {
    const source = await makeClip(dir, 'slow-10s.mp4', { width: 854, height: 480, fps: 15, seconds: 10 });
    const out = join(dir, 'interrupted');
    // a real process: the signal must reach the CLI as it reaches it from a terminal
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'fix', source, '--out', out, '--no-cache'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let partial: string | undefined;
    for (let i = 0; i < 400 && !partial; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      partial = existsSync(out) ? readdirSync(out).find((name) => name.endsWith('.partial.mp4')) : undefined;
    }
    expect(partial).toMatch(new RegExp(`^\\.slow-10s\\.spf-${HOST_TAG}-${child.pid}-[0-9a-f]{8}\\.partial\\.mp4$`));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout.split('\n').slice(-3)).toEqual(['    interrupted SIGINT stopped it part-way; nothing written', 'Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); interrupted: 1 of 1 file not fixed (1 stopped); run again (with --no-cache the finished ones are encoded again).', '']);
    expect(stderr).not.toContain('cancelled');
    expect(await readdir(out)).toEqual([]);
  });
});
