import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { bundleReachableCli } from '../helpers/reachable-cli.js';
import { cli } from '../helpers/run-cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-cli-')));
afterAll(() => cleanup());

const noCache = ['--no-cache'];
/** The committed media: commands run there name each fixture by its file name (paths are shown relative to the command's folder). */
const MEDIA = dirname(fixture('valid-3s.wav'));

describe('check (human output)', () => {
  it('exits 0 and prints one line per conforming file and an OK summary', async () => {
    // absolute arguments, shown relative to the folder the command ran in
    const run = await cli(['check', ...noCache, fixture('valid-854x480-30fps.mp4'), fixture('landscape-1280x720.jpg'), fixture('valid-3s.wav')], { cwd: MEDIA });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      '✓ valid-854x480-30fps.mp4  video · MP4 h264 854×480 · 30 fps · 3 s · audio aac · 0.15 MB',
      '✓ landscape-1280x720.jpg  image · JPEG 1280×720 · 5.67 KB',
      '✓ valid-3s.wav  audio · WAV pcm_s16le · 3 s · 96.08 KB',
      'OK: 3 files checked: 3 ok, 0 failing; 0 errors, 0 warnings',
      '',
    ]);
    expect(run.stderr).toBe('');
  });

  it('exits 1 and lists each violation with its limit, actual value and fix', async () => {
    const run = await cli(['check', ...noCache, fixture('fps-15.mp4')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '    error   frame rate is 15 fps; allowed: 24–60 fps (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).\n',
    );
    expect(run.stdout).toContain('FAILED: 1 file checked: 0 ok, 1 failing; 1 error, 0 warnings (1 fixable: run seedance-preflight fix)\n');
  });

  it('exits 0 when only warnings are found', async () => {
    const run = await cli(['check', ...noCache, fixture('hevc.mp4')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('! ');
    expect(run.stdout).toContain('(rule video.codec)');
  });

  it('gives every bad input its own result and never crashes the run', async () => {
    const run = await cli(['check', ...noCache, fixture('empty.mp4'), fixture('truncated.jpg'), fixture('no-moov.mp4'), fixture('text-named.mp4'), fixture('valid-3s.mp3')], { cwd: MEDIA });
    expect(run.code).toBe(1);
    const rules = [...run.stdout.matchAll(/\(rule ([\w.]+)\)/g)].map((m) => m[1]);
    expect(rules).toEqual(['file.empty', 'file.corrupt', 'file.corrupt', 'file.unknown_format']);
    expect(run.stdout).toContain('✓ valid-3s.mp3  ');
  });
});

describe('check exit codes for usage errors', () => {
  it('exits 2 for a path that does not exist, and still reports the rest', async () => {
    const missing = join(dir, 'missing.mp4');
    const run = await cli(['check', ...noCache, missing, fixture('valid-3s.mp3')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: missing.mp4 does not exist\n');
    expect(run.stdout).toContain(`✗ missing.mp4  not probed\n    error   it does not exist (rule file.not_found). To do: check the path.\n`);
  });

  it('exits 2 without paths', async () => {
    const run = await cli(['check']);
    expect(run).toMatchObject({ code: 2, stderr: 'seedance-preflight: check needs PATH… or --request FILE (see seedance-preflight check --help)\n' });
  });

  it('exits 2 for an unknown flag', async () => {
    const run = await cli(['check', '--frobnicate', fixture('valid-3s.mp3')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--frobnicate'");
  });

  it('exits 2 for a missing request file', async () => {
    const path = join(dir, 'none.json');
    const run = await cli(['check', '--request', path]);
    expect(run).toMatchObject({ code: 2, stderr: `seedance-preflight: request file ${path} does not exist\n` });
  });

  it('exits 2 for an unknown profile', async () => {
    const run = await cli(['check', '--profile', 'nope', fixture('valid-3s.mp3')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('seedance-preflight: profile nope: not a built-in profile and no such file; give a JSON file or one of: seed, strict-927k\n');
  });

  it('exits 2 for a bad --concurrency', async () => {
    const run = await cli(['check', '--concurrency', '0', fixture('valid-3s.mp3')]);
    expect(run).toMatchObject({ code: 2, stderr: 'seedance-preflight: --concurrency must be a whole number of at least 1, not "0"\n' });
  });
});

describe('check --json', () => {
  it('prints exactly the documented shape for a request file with local media', async () => {
    const job = join(dir, 'job-json');
    await mkdir(job);
    await copyFile(fixture('fps-15.mp4'), join(job, 'clip.mp4'));
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'hero.jpg'));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'hero in image 1 walks like video 1, then image 2', image_urls: ['hero.jpg'], video_urls: ['clip.mp4'], duration: 20 }));
    const run = await cli(['check', '--json', ...noCache, '--request', join(job, 'request.json')], { cwd: dir });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(['schema', 'ok', 'summary', 'files', 'request', 'remote']);
    expect(doc.schema).toBe('seedance-preflight/check@2');
    expect(doc.summary).toEqual({ files: 2, urls: 0, ok: 1, failing: 1, errors: 2, warnings: 1, fixable: 1 });
    expect(doc.remote).toEqual([]);
    expect(doc.ok).toBe(false);
    expect(doc.files.map((f: { path: string; kind: string; ok: boolean }) => [f.path, f.kind, f.ok])).toEqual([
      ['job-json/hero.jpg', 'image', true],
      ['job-json/clip.mp4', 'video', false],
    ]);
    expect(doc.files[1].violations).toEqual([
      {
        rule: 'video.fps',
        severity: 'error',
        subject: 'job-json/clip.mp4',
        limit: { min: 24, max: 60, unit: 'fps' },
        actual: 15,
        message: `job-json/clip.mp4: frame rate is 15 fps; allowed: 24–60 fps (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).`,
        fix: 'raise the frame rate to 24 fps',
        fixable: true,
        source: 'docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS',
      },
    ]);
    expect(doc.request.ok).toBe(false);
    expect(doc.request.violations.map((v: { rule: string; severity: string }) => `${v.severity} ${v.rule}`)).toEqual(['error request.duration', 'warning request.prompt_reference']);
    expect(doc.request.violations[1].message).toBe(
      `job-json/request.json: the prompt mentions "image 2" but only 1 image file is given; allowed: at most 1 (rule request.prompt_reference). To do: add image 2 to image_urls or correct the prompt.`,
    );
  });

  it('reports a request file that is not JSON as a violation (exit 1)', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"model": ');
    const run = await cli(['check', '--json', '--request', path]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.request.violations).toHaveLength(1);
    expect(doc.request.violations[0].rule).toBe('request.json');
    expect(doc.request.violations[0].message).toMatch(/^.*broken\.json: the request file cannot be used: it is not valid JSON \(.+\) \(rule request\.json\)\. To do: write the request as a JSON object with the API's field names\.$/);
  });
});

describe('check on an asset folder', () => {
  it('classifies media by content, orders them naturally, takes prompt.txt, and leaves non-media out', async () => {
    const folder = join(dir, 'assets');
    await mkdir(folder);
    await copyFile(fixture('landscape-1280x720.jpg'), join(folder, '10.jpg'));
    await copyFile(fixture('png-named.jpg'), join(folder, '2.jpg'));
    await copyFile(fixture('valid-854x480-30fps.mp4'), join(folder, 'clip.bin'));
    await writeFile(join(folder, 'notes.txt'), 'remember the milk');
    await writeFile(join(folder, 'prompt.txt'), 'image 1 and image 3 dance in video 1\n');
    const run = await cli(['check', ...noCache, folder], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((l) => /^[✓✗!-] /.test(l))).toEqual([
      '! assets/2.jpg  image · PNG 640×640 · 7.63 KB',
      '✓ assets/10.jpg  image · JPEG 1280×720 · 5.67 KB',
      '! assets/clip.bin  video · MP4 h264 854×480 · 30 fps · 3 s · audio aac · 0.15 MB',
      '! request assets',
      '- assets/notes.txt  not media, left out',
    ]);
    expect(run.stdout).toContain('the prompt mentions "image 3" but only 2 image files are given');
  });

  it('applies the aggregate rules: too much video in total, audio alone', async () => {
    const folder = join(dir, 'too-long');
    await mkdir(folder);
    await copyFile(fixture('long-20s.mp3'), join(folder, 'a.mp3'));
    await copyFile(fixture('valid-3s.mp3'), join(folder, 'b.mp3'));
    const run = await cli(['check', '--json', ...noCache, '--prompt', 'music', folder]);
    const doc = JSON.parse(run.stdout);
    expect(doc.request.violations.map((v: { rule: string }) => v.rule)).toEqual(['request.audio_only', 'request.audio_total_duration']);
    expect(doc.request.violations[1].actual).toBeCloseTo(23.09, 1);
  });
});

describe('check --junit', () => {
  it('writes one test case per file and rule, failures for errors', async () => {
    const report = join(dir, 'report.xml');
    const run = await cli(['check', ...noCache, '--junit', report, fixture('fps-15.mp4'), fixture('valid-3s.mp3')], { cwd: MEDIA });
    expect(run.code).toBe(1);
    const xml = await readFile(report, 'utf8');
    const cases = [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]!.split('/').pop()} ${m[2]}`);
    expect(cases).toContain('fps-15.mp4 video.fps');
    expect(cases).toContain('valid-3s.mp3 audio.duration');
    expect(cases.filter((c) => c.startsWith('fps-15.mp4'))).toHaveLength(14);
    expect(cases.filter((c) => c.startsWith('valid-3s.mp3'))).toHaveLength(6);
    expect([...xml.matchAll(/<failure /g)]).toHaveLength(1);
    expect(xml).toContain('<testcase classname="fps-15.mp4" name="video.fps">');
    expect(xml).toContain('<failure message="fps-15.mp4: frame rate is 15 fps; allowed: 24–60 fps (rule video.fps).');
  });
});

describe('check --profile', () => {
  it('holds media to the overrides of a profile file', async () => {
    const profile = join(dir, 'strict.json');
    await writeFile(profile, JSON.stringify({ name: 'tight', video: { pixels: { min: 100_000, max: 400_000 } } }));
    const run = await cli(['check', '--json', ...noCache, '--profile', profile, fixture('valid-854x480-30fps.mp4')]);
    expect(run.code).toBe(1);
    const [violation] = JSON.parse(run.stdout).files[0].violations;
    expect(violation).toMatchObject({ rule: 'video.pixels', actual: 409_920, limit: { min: 100_000, max: 400_000, unit: 'pixels' }, source: `profile file ${profile}` });
  });
});

describe('check --remote', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hero.png') res.writeHead(206, { 'content-type': 'image/png' }).end('x');
      else if (req.url === '/page.mp4') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('GETs each URL and reports unreachable ones and wrong content types', async () => {
    const path = join(dir, 'remote.json');
    await writeFile(path, JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'p', image_urls: [`${base}/hero.png`], video_urls: [`${base}/page.mp4`, `${base}/gone.mp4`] }));
    const run = await cli(['check', '--json', '--remote', '--request', path], { cwd: dir });
    expect(run.code).toBe(1);
    const messages = JSON.parse(run.stdout).request.violations.map((v: { rule: string; message: string }) => `${v.rule}: ${v.message}`);
    // the two that answer are read too: neither says how large it is, so neither is judged by the file rules (a warning each)
    const unsized = 'could not be read (the server does not say how large the file is (no Content-Range or Content-Length)), so the file rules were not applied to it (rule request.url_media_unread). To do: serve it with Range support and its index at the front (MP4: -movflags +faststart), or check a local copy.';
    expect(messages).toEqual([
      `request.url_media_unread: ${base}/hero.png: image_urls[0] ${unsized}`,
      `request.url_content_type: remote.json: video_urls[0] ${base}/page.mp4 is served as text/html, not video/* (rule request.url_content_type). To do: serve it with a video/* Content-Type.`,
      `request.url_media_unread: ${base}/page.mp4: video_urls[0] ${unsized}`,
      `request.url_unreachable: remote.json: video_urls[1] ${base}/gone.mp4 is not reachable: it answered HTTP 404 (rule request.url_unreachable). To do: make the URL publicly readable (or upload the file and use its URL).`,
    ]);
  });

  it('leaves URLs alone without --remote', async () => {
    const path = join(dir, 'remote-off.json');
    await writeFile(path, JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'p', image_urls: [`${base}/gone.png`] }));
    const run = await cli(['check', '--request', path]);
    expect(run.code).toBe(0);
  });
});

describe('the seedance-preflight binary', () => {
  const bin = ['--import', 'tsx', 'src/cli/bin.ts'];

  it('runs as a process and reports its exit code', () => {
    const run = spawnSync(process.execPath, [...bin, 'check', '--no-cache', fixture('fps-120.mp4')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('frame rate is 120 fps; allowed: 24–60 fps (rule video.fps). Fix: lower the frame rate to 60 fps');
  });

  // as root, chmod cannot make a file unreadable: run the check as the unprivileged user instead. That user may not
  // enter the checkout (under /root, mode 0700), so it runs a bundle of the command line from a folder it can reach
  it.runIf(process.getuid?.() === 0)('reports a file its user may not read (run as nobody)', async (context) => {
    const nobody = { uid: 65534, gid: 65534 };
    const node = spawnSync(process.execPath, ['-e', '0'], nobody);
    if (node.status !== 0) context.skip(`nobody cannot run ${process.execPath} (${node.error?.message ?? node.stderr}): it would need a node it can reach`);
    const { dir: locked, cleanup: done } = await tempDir('sp-perm-');
    try {
      const { chmod } = await import('node:fs/promises');
      await chmod(locked, 0o755);
      const bin = await bundleReachableCli(locked);
      const path = join(locked, 'secret.mp4');
      await copyFile(fixture('valid-854x480-30fps.mp4'), path);
      await chmod(path, 0o600);
      const run = spawnSync(process.execPath, [bin, 'check', '--no-cache', path], { encoding: 'utf8', ...nobody, cwd: locked, env: { ...process.env, HOME: '/tmp' } });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`✗ secret.mp4  not probed\n    error   permission denied: the file cannot be read by this user (rule file.unreadable).`);
      expect(run.status).toBe(1);
    } finally {
      await done();
    }
  });
});

describe('the shipped profile file and the demo folder', () => {
  it('profiles/strict-927k.json caps video pixels at 927,408', async () => {
    const run = await cli(['doctor', '--json', '--profile', 'profiles/strict-927k.json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).profile.limits['video pixels']).toBe('409,600–927,408 pixels');
  });

  it('the README demo folder fails with exactly its five fixable errors', async () => {
    const run = await cli(['check', '--json', ...noCache, 'fixtures/demo']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    const rules = doc.files.flatMap((f: { violations: Array<{ rule: string; fixable: boolean }> }) => f.violations.map((v) => `${v.rule}${v.fixable ? '' : ' (not fixable)'}`));
    expect(rules).toEqual(['image.aspect_ratio', 'video.format', 'video.codec', 'video.fps', 'audio.format']);
    expect(doc.request).toEqual({ ok: true, violations: [] });
  });
});

describe('doctor', () => {
  it('names the binaries and versions and never prints a secret', async () => {
    const secret = 'sk-live-THIS-MUST-NOT-LEAK-1234';
    // no ffmpeg on this PATH: doctor names none newer (test/cli/doctor.test.ts has that case)
    const run = await cli(['doctor'], { env: { EVOLINK_API_KEY: secret, AWS_SECRET_ACCESS_KEY: 'aws-secret-DO-NOT-PRINT', PATH: '/nonexistent' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ ffmpeg N-47683-g0e8eb07980-static \(2018\)\n {4}\/.+\/ffmpeg \(bundled\)\n✓ ffprobe N-66595-gc2b38619c0-static \(2023\)\n/);
    expect(run.stdout).toContain('profile: seed: Limits of the seed documents (docs/LIMITS.md), MB read as 10^6 bytes\n');
    expect(run.stdout).toContain('API: https://api.evolink.ai  EVOLINK_API_KEY set (hidden)  request timeout 15 s\n');
    expect(run.stdout).not.toMatch(/\d+ characters/);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain('aws-secret-DO-NOT-PRINT');
  });

  it('exits 2 when a binary cannot run', async () => {
    const run = await cli(['doctor'], { env: { FFPROBE_PATH: '/nonexistent/ffprobe' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✗ ffprobe: ffprobe could not be started: spawn /nonexistent/ffprobe ENOENT\n');
  });
});
