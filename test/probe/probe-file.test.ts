import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../src/probe/probe-file.js';
import type { AudioInfo, ImageInfo, ProbeResult, VideoInfo } from '../../src/probe/media-info.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { writeBombPng } from '../helpers/generated-media.js';

function info<T>(result: ProbeResult): T {
  if (!result.ok) throw new Error(`expected a probe, got ${result.failure.code}: ${result.failure.detail}`);
  return result.info as T;
}

function failure(result: ProbeResult) {
  if (result.ok) throw new Error(`expected a failure, got a ${result.info.kind}`);
  return result.failure;
}

describe('probeFile on real videos', () => {
  it('reads an H.264 + AAC MP4', async () => {
    const v = info<VideoInfo>(await probeFile(fixture('valid-854x480-30fps.mp4')));
    expect(v).toMatchObject({ kind: 'video', format: 'mp4', extension: 'mp4', extensionMatches: true, width: 854, height: 480, rotation: 0, videoCodec: 'h264', pixelFormat: 'yuv420p', fps: 30, variableFrameRate: false, hasAudio: true, audioCodec: 'aac' });
    expect(v.duration).toBeCloseTo(3.0, 1);
    expect(v.sizeBytes).toBeGreaterThan(10_000);
  });

  it('tells a QuickTime MOV from an MP4 by its ftyp brand', async () => {
    expect(info<VideoInfo>(await probeFile(fixture('valid-854x480.mov')))).toMatchObject({ format: 'mov', fps: 25, width: 854, height: 480 });
  });

  it('applies the display matrix: landscape pixels rotated to portrait', async () => {
    const v = info<VideoInfo>(await probeFile(fixture('rotated-90-854x480.mp4')));
    expect({ w: v.width, h: v.height, sw: v.storedWidth, sh: v.storedHeight }).toEqual({ w: 480, h: 854, sw: 854, sh: 480 });
    // ffmpeg 5.1's autorotate shows this file turned counter-clockwise: 270° clockwise
    expect(v.rotation).toBe(270);
  });

  it('reads portrait pixels as portrait, without rotation', async () => {
    expect(info<VideoInfo>(await probeFile(fixture('portrait-480x854.mp4')))).toMatchObject({ width: 480, height: 854, rotation: 0 });
  });

  it.each([
    ['fps-15.mp4', 15],
    ['fps-120.mp4', 120],
  ])('reads the average frame rate of %s', async (name, fps) => {
    expect(info<VideoInfo>(await probeFile(fixture(name))).fps).toBe(fps);
  });

  it('flags a variable frame rate', async () => {
    const v = info<VideoInfo>(await probeFile(fixture('vfr.mp4')));
    expect(v.variableFrameRate).toBe(true);
    expect(v.fps).toBeGreaterThan(15);
    expect(v.fps).toBeLessThan(20);
  });

  it('keeps the container and stream durations apart when they disagree', async () => {
    const v = info<VideoInfo>(await probeFile(fixture('delayed-audio.mp4')));
    expect(v.containerDuration).toBeCloseTo(5, 1);
    expect(v.streamDuration).toBeCloseTo(3, 1);
  });

  it.each([
    ['h264-in.mkv', 'mkv', 'h264', 'aac'],
    ['vp9.webm', 'webm', 'vp9', 'opus'],
    ['mpeg4.avi', 'avi', 'mpeg4', null],
    ['hevc.mp4', 'mp4', 'hevc', null],
    ['prores.mov', 'mov', 'prores', null],
  ])('reads %s as %s with %s video', async (name, format, codec, audio) => {
    const v = info<VideoInfo>(await probeFile(fixture(name)));
    expect({ format: v.format, codec: v.videoCodec, audio: v.audioCodec }).toEqual({ format, codec, audio });
    expect(v.duration).toBeGreaterThan(1.9);
  });

  it('reads odd dimensions exactly', async () => {
    expect(info<VideoInfo>(await probeFile(fixture('odd-1001x721.mp4')))).toMatchObject({ width: 1001, height: 721 });
  });
});

describe('probeFile on real audio', () => {
  it.each([
    ['valid-3s.mp3', 'mp3', 'mp3', 3],
    ['valid-3s.wav', 'wav', 'pcm_s16le', 3],
    ['tone.flac', 'flac', 'flac', 3],
    ['tone.ogg', 'ogg', 'vorbis', 3],
    ['audio-only.m4a', 'm4a', 'aac', 3],
    ['long-20s.mp3', 'mp3', 'mp3', 20],
    ['short-1s.wav', 'wav', 'pcm_s16le', 1],
  ])('reads %s', async (name, format, codec, seconds) => {
    const a = info<AudioInfo>(await probeFile(fixture(name)));
    expect({ kind: a.kind, format: a.format, codec: a.audioCodec }).toEqual({ kind: 'audio', format, codec });
    expect(a.duration).toBeCloseTo(seconds, 0);
  });
});

describe('probeFile on real images', () => {
  it.each([
    ['landscape-1280x720.jpg', 'jpeg', 1280, 720, false],
    ['alpha-500x500.png', 'png', 500, 500, true],
    ['valid-800x600.webp', 'webp', 800, 600, false],
    ['image.tiff', 'tiff', 640, 480, false],
    ['image.gif', 'gif', 640, 480, true],
    ['image.avif', 'avif', 640, 480, false],
    ['image.svg', 'svg', 640, 480, true],
    ['image.bmp', 'bmp', 400, 300, false],
  ])('reads %s', async (name, format, width, height, alpha) => {
    const i = info<ImageInfo>(await probeFile(fixture(name)));
    expect({ format: i.format, width: i.width, height: i.height, hasAlpha: i.hasAlpha, orientation: i.orientation }).toEqual({ format, width, height, hasAlpha: alpha, orientation: 1 });
  });

  it('applies EXIF orientation 6: stored 640×480, displayed 480×640', async () => {
    expect(info<ImageInfo>(await probeFile(fixture('exif-orientation-6.jpg')))).toMatchObject({ width: 480, height: 640, storedWidth: 640, storedHeight: 480, orientation: 6 });
  });

  it('detects the real format of a PNG named .jpg', async () => {
    expect(info<ImageInfo>(await probeFile(fixture('png-named.jpg')))).toMatchObject({ format: 'png', extension: 'jpg', extensionMatches: false });
  });
});

describe('probeFile on bad input', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('reports a zero-byte file as empty', async () => {
    expect(failure(await probeFile(fixture('empty.mp4')))).toMatchObject({ code: 'empty', detail: 'it is empty (0 bytes)', sizeBytes: 0 });
  });

  it('reports a truncated JPEG as corrupt, not as a passing image', async () => {
    const f = failure(await probeFile(fixture('truncated.jpg')));
    expect(f.code).toBe('corrupt');
    expect(f.detail).toBe('it is truncated or damaged (VipsJpeg: premature end of JPEG image)');
  });

  it('reports an MP4 without its moov atom', async () => {
    expect(failure(await probeFile(fixture('no-moov.mp4')))).toMatchObject({
      code: 'corrupt',
      detail: 'the MP4/MOV index (moov atom) is missing: the file was not finished writing or is truncated',
      format: 'mp4',
    });
  });

  it('reports a text file named .mp4 as an unknown format', async () => {
    expect(failure(await probeFile(fixture('text-named.mp4')))).toMatchObject({
      code: 'unknown_format',
      detail: 'its bytes are not an image, video or audio format (UTF-8 text, 20 bytes)',
    });
  });

  it('reports a directory named like a file', async () => {
    const path = join(dir, 'folder.mp4');
    await mkdir(path);
    expect(failure(await probeFile(path))).toMatchObject({ code: 'not_a_file', detail: 'it is a directory, not a file' });
  });

  it('reports a symbolic link loop', async () => {
    const a = join(dir, 'loop-a.mp4');
    await symlink(join(dir, 'loop-b.mp4'), a);
    await symlink(a, join(dir, 'loop-b.mp4'));
    expect(failure(await probeFile(a))).toMatchObject({ code: 'unreadable', detail: 'it is a symbolic link that loops back on itself' });
  });

  it('reports a path that does not exist', async () => {
    expect(failure(await probeFile(join(dir, 'nope.mp4')))).toMatchObject({ code: 'not_found', detail: 'it does not exist' });
  });

  it.runIf(process.getuid?.() !== 0)('reports a file without read permission', async () => {
    const path = join(dir, 'locked.mp4');
    await copyFile(fixture('valid-854x480-30fps.mp4'), path);
    await chmod(path, 0o000);
    expect(failure(await probeFile(path))).toMatchObject({ code: 'unreadable', detail: 'permission denied: the file cannot be read by this user' });
  });

  it.each([
    'my clip (final).mp4',
    "it's \"quoted\".mp4",
    'costs $HOME $(rm -rf x).mp4',
    'ünïcødé 動画 🎬.mp4',
    '-leading-dash.mp4',
    'colon: pipe|name.mp4',
  ])('passes the name %j to ffprobe untouched', async (name) => {
    const path = join(dir, name);
    await copyFile(fixture('valid-854x480-30fps.mp4'), path);
    expect(info<VideoInfo>(await probeFile(path))).toMatchObject({ path, width: 854, height: 480, videoCodec: 'h264' });
  });

  it('bounds a 30,000 × 30,000 PNG: reads its header, never decodes it', async () => {
    const path = join(dir, 'bomb.png');
    await writeBombPng(path);
    const before = process.memoryUsage().rss;
    const i = info<ImageInfo>(await probeFile(path));
    expect({ width: i.width, height: i.height, format: i.format }).toEqual({ width: 30_000, height: 30_000, format: 'png' });
    // a decode would need 900 MB; the header read needs next to nothing
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses to decode a bomb whose end marker is missing', async () => {
    const path = join(dir, 'bomb-truncated.png');
    await writeBombPng(path);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 12));
    expect(failure(await probeFile(path))).toMatchObject({
      code: 'too_large_to_decode',
      detail: 'its end marker is missing and at 30000×30000 it is too large to decode safely',
    });
  });
});
