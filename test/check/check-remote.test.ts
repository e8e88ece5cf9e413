import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { ffmpeg } from '../helpers/make-media.js';
import { cli } from '../helpers/run-cli.js';
import { startMediaServer, type MediaServer } from '../probe/remote/media-server.js';
import { makeRemoteMedia } from '../probe/remote/remote-media.js';

let dir: string;
let cleanup: () => Promise<void>;
let server: MediaServer;
let media: Awaited<ReturnType<typeof makeRemoteMedia>>;
let env: Record<string, string>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-check-remote-'));
  media = await makeRemoteMedia(dir);
  server = await startMediaServer(dir);
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
}, 120_000);
afterAll(async () => {
  await server.close();
  await cleanup();
});

async function request(name: string, fields: Record<string, unknown>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ model: REFERENCE_MODEL, prompt: 'The hero walks.', ...fields }));
  return path;
}

type JsonViolation = { rule: string; severity: string; subject: string; problem?: string; message: string; fixable: boolean };

describe('check --remote holds a media URL to the file rules of a local file', () => {
  it('a .webm served as video/webm fails with video.format, as the same file does locally (not fixable: it is not a local file)', async () => {
    await copyFile(join(dir, media.webm), join(dir, 'local.webm'));
    const remote = await cli(['check', '--remote', '--json', '--request', await request('webm.json', { video_urls: [`${server.base}/${media.webm}`] })], { env, cwd: dir });
    const local = await cli(['check', '--json', join(dir, 'local.webm')], { env, cwd: dir });
    expect([remote.code, local.code]).toEqual([1, 1]);
    const url = `${server.base}/${media.webm}`;
    const remoteDoc = JSON.parse(remote.stdout);
    const localDoc = JSON.parse(local.stdout);
    const byUrl = (remoteDoc.request.violations as JsonViolation[]).filter((v) => v.subject === url);
    const mine = (localDoc.files[0].violations as JsonViolation[]);
    expect(byUrl.map((v) => [v.rule, v.severity, v.fixable])).toEqual(mine.map((v) => [v.rule, v.severity, false]));
    expect(byUrl.map((v) => v.rule)).toEqual(['video.format', 'video.codec']);
    expect(byUrl[0]!.message).toBe(`${url}: container is WEBM; allowed: one of mp4, mov (rule video.format). To do: download it, fix the copy (convert to MP4 (H.264 + AAC)) and serve or upload that instead.`);
    expect(remoteDoc.summary).toEqual({ files: 0, urls: 1, ok: 0, failing: 1, errors: 2, warnings: 0, fixable: 0 });
    expect(remoteDoc.remote).toEqual([
      {
        url,
        field: 'video_urls',
        index: 0,
        kind: 'video',
        ok: false,
        facts: { ...localDoc.files[0].facts, fps: 30 },
        read: { bytes: localDoc.files[0].facts.bytes, requests: expect.any(Number), sizeBytes: localDoc.files[0].facts.bytes, rangeIgnored: false },
        note: null,
      },
    ]);
    expect(localDoc.files[0].facts).toMatchObject({ container: 'webm', videoCodec: 'vp9', audioCodec: null, width: 854, height: 480, duration: 3 });
  });

  it('conforming URLs pass, each shown with what was measured and what reading it cost', async () => {
    const path = await request('good.json', { image_urls: [`${server.base}/${media.png}`], video_urls: [`${server.base}/${media.mp4Front}`], audio_urls: [`${server.base}/${media.wav}`] });
    const run = await cli(['check', '--remote', '--request', path], { env, cwd: dir });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^✓ ${server.base}/still\\.png  image · PNG 640×480 · [\\d.]+ KB \\(URL: read [\\d.]+ KB of [\\d.]+ KB in 1 request\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^✓ ${server.base}/index-front\\.mp4  video · MP4 h264 854×480 · 30 fps · 3 s · audio aac · 0\\.\\d+ MB \\(URL: read [\\d.]+ KB of 0\\.\\d+ MB in \\d requests?\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^✓ ${server.base}/tone\\.wav  audio · WAV pcm_s16le · 3 s · 0\\.26 MB \\(URL: read [\\d.]+ KB of 0\\.26 MB in \\d requests?\\)$`));
    expect(lines.slice(3)).toEqual(['OK: 0 files and 3 URLs checked: 3 ok, 0 failing; 0 errors, 0 warnings', '']);
    expect(run.code).toBe(0);
  });

  it('their facts count in the request: an MP3 given as an image is request.media_kind, as a local one is', async () => {
    const path = await request('kinds.json', { image_urls: [`${server.base}/${media.mp3}`], video_urls: [`${server.base}/${media.mp4End}`] });
    const run = await cli(['check', '--remote', '--json', '--request', path], { env, cwd: dir });
    const rules = (JSON.parse(run.stdout).request.violations as JsonViolation[]).map((v) => `${v.severity} ${v.rule}`);
    expect(rules).toEqual(['error request.url_content_type', 'error request.media_kind']);
    expect(run.code).toBe(1);
  });

  it('a server that ignores Range serves a small file whole, read once; bytes that are no media fail as a local file does', async () => {
    const path = await request('hang.json', { video_urls: [`${server.base}/norange/${media.mp4End}`] });
    // the whole 285 KB file fits the 4 MiB budget: read once, whole, and judged
    const whole = await cli(['check', '--remote', '--json', '--request', path], { env, cwd: dir });
    expect(JSON.parse(whole.stdout).remote[0].read).toMatchObject({ requests: 1, rangeIgnored: true });
    expect(whole.code).toBe(0);
    const notes = join(dir, 'notes.mp4');
    await writeFile(notes, 'not a video');
    const bad = await cli(['check', '--remote', '--request', await request('notes.json', { video_urls: [`${server.base}/notes.mp4`] })], { env, cwd: dir });
    expect(bad.stdout.split('\n')).toEqual([
      `✗ ${server.base}/notes.mp4  no media facts (URL: read 0.01 KB of 0.01 KB in 1 request)`,
      '    error   its first bytes are not an image, video or audio format (rule file.unknown_format). To do: replace it with an image (JPEG, PNG, WebP), a video (MP4, MOV) or audio (WAV, MP3).',
      'FAILED: 0 files and 1 URL checked: 0 ok, 1 failing; 1 error, 0 warnings',
      '',
    ]);
    expect(bad.code).toBe(1);
  });

  it('a header past the 4 MiB budget is request.url_media_unread, a warning: exit 0, and 1 with --strict', async () => {
    // lossless frames: over 4 MiB, index at the end; served by a server that ignores Range, so only the first 4 MiB come
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', `file:${join(dir, 'big.mp4')}`]);
    const url = `${server.base}/norange/big.mp4`;
    const path = await request('big.json', { video_urls: [url] });
    const plain = await cli(['check', '--remote', '--request', path], { env, cwd: dir });
    expect(plain.stdout.split('\n')).toEqual([
      `! ${url}  no media facts (URL: read 4.19 MB of ${plain.stdout.match(/of ([\d.]+ MB)/)![1]} in 1 request)`,
      '    warning video_urls[0] could not be read (the server ignores Range requests and the header is not within the first 4 MiB), so the file rules were not applied to it (rule request.url_media_unread). To do: serve it with Range support and its index at the front (MP4: -movflags +faststart), or check a local copy.',
      'OK: 0 files and 1 URL checked: 1 ok, 0 failing; 0 errors, 1 warning',
      '',
    ]);
    expect(plain.code).toBe(0);
    const strict = await cli(['check', '--remote', '--strict', '--request', path], { env, cwd: dir });
    expect(strict.stdout.split('\n').at(-2)).toBe('FAILED (--strict): 0 files and 1 URL checked: 0 ok, 1 failing; 0 errors, 1 warning');
    expect(strict.code).toBe(1);
  }, 60_000);

  it('without --remote the URLs are not read, and the text says so: run reads them', async () => {
    const path = await request('unread.json', { video_urls: [`${server.base}/${media.webm}`], audio_urls: [`${server.base}/${media.mp3}`] });
    const before = server.log.length;
    const run = await cli(['check', '--request', path], { env, cwd: dir });
    expect(run.stdout).toBe('- 2 media URLs not read: pass --remote to hold them to the file rules, as run does\nOK: 0 files checked: 0 ok, 0 failing; 0 errors, 0 warnings\n');
    expect(run.code).toBe(0);
    expect(server.log.length).toBe(before);
  });

  it('credentials in a URL are never printed nor sent: the entry is refused as it is loaded', async () => {
    const secret = 'pa55word-never-shown';
    const before = server.log.length;
    const run = await cli(['check', '--remote', '--json', '--request', await request('creds.json', { video_urls: [`${server.base.replace('http://', `http://user:${secret}@`)}/${media.mp4Front}`] })], { env, cwd: dir });
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(JSON.parse(run.stdout).request.violations.map((v: JsonViolation) => v.rule)).toEqual(['request.media_url']);
    expect(server.log.length).toBe(before);
  });
});
