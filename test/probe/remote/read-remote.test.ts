import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clampRange, REMOTE_CHUNK_BYTES } from '../../../src/probe/remote/budget-fetch.js';
import { readRemote } from '../../../src/probe/remote/read-remote.js';
import { probeFile } from '../../../src/probe/probe-file.js';
import type { MediaInfo } from '../../../src/probe/media-info.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { ffmpeg } from '../../helpers/make-media.js';
import { startMediaServer, type MediaServer } from './media-server.js';
import { makeRemoteMedia } from './remote-media.js';

let dir: string;
let cleanup: () => Promise<void>;
let server: MediaServer;
let media: Awaited<ReturnType<typeof makeRemoteMedia>>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-read-remote-'));
  media = await makeRemoteMedia(dir);
  await writeFile(join(dir, 'notes.mp4'), 'these are notes, not a video\n'.repeat(10));
  server = await startMediaServer(dir);
}, 120_000);
afterAll(async () => {
  await server.close();
  await cleanup();
});

/** The facts the rules read, as both probes give them (frame rates to the thousandth: Matroska stamps are in ms). */
function facts(info: MediaInfo): Record<string, unknown> {
  const { kind, format, sizeBytes, extensionMatches } = info;
  if (info.kind === 'image') return { kind, format, sizeBytes, extensionMatches, width: info.width, height: info.height, orientation: info.orientation, hasAlpha: info.hasAlpha, frames: info.frames };
  if (info.kind === 'audio') return { kind, format, sizeBytes, extensionMatches, audioCodec: info.audioCodec, duration: info.duration, containerDuration: info.containerDuration, sampleRate: info.sampleRate, channels: info.channels };
  return {
    kind, format, sizeBytes, extensionMatches, width: info.width, height: info.height, rotation: info.rotation, mirrored: info.mirrored, videoCodec: info.videoCodec, audioCodec: info.audioCodec,
    fps: info.fps === null ? null : Math.round(info.fps * 1000) / 1000, variableFrameRate: info.variableFrameRate, duration: info.duration, videoDuration: info.videoDuration, audioDuration: info.audioDuration, hasAudio: info.hasAudio, extraStreams: info.extraStreams,
  };
}

describe('readRemote: a media URL read by ranges gives the facts the local probe gives', () => {
  it.each(['mp4End', 'mp4Front', 'mov', 'webm', 'mp3', 'wav', 'png'] as const)('%s', async (key) => {
    const name = media[key];
    const remote = await readRemote(`${server.base}/${name}`);
    const local = await probeFile(join(dir, name));
    if (!remote.ok || !local.ok) throw new Error(`not read: ${JSON.stringify(remote)} ${JSON.stringify(local)}`);
    expect(facts(remote.info)).toEqual(facts(local.info));
    expect(remote.info.path).toBe(`${server.base}/${name}`);
    expect(remote.missing).toEqual([]);
    expect(remote.stats.sizeBytes).toBe(local.info.sizeBytes);
    expect(remote.stats.rangeIgnored).toBe(false);
  });

  it('an MP4 with its index at the front is read from its first two ranges at most, not whole', async () => {
    const remote = await readRemote(`${server.base}/${media.mp4Front}`);
    expect(remote.ok).toBe(true);
    expect(remote.stats.bytesRead).toBeLessThanOrEqual(2 * REMOTE_CHUNK_BYTES);
    expect(remote.stats.bytesRead).toBeLessThan(remote.stats.sizeBytes!);
    // every request asked for a bounded range, none for the rest of the file
    const ranges = server.log.filter((r) => r.path === `/${media.mp4Front}`).map((r) => r.range);
    for (const range of ranges) expect(range).toMatch(/^bytes=\d+-\d+$/);
  });

  it('stops at the byte budget when the index is past it, and says so', async () => {
    const remote = await readRemote(`${server.base}/${media.mp4End}`, { budget: 128 * 1024 });
    expect(remote).toMatchObject({ ok: false, reason: 'its header is not within the first 128 KiB read' });
    expect(remote.stats.bytesRead).toBe(128 * 1024);
  });

  it('a server that ignores Range: a small file is read once, whole; a larger one up to the budget only', async () => {
    const png = await readRemote(`${server.base}/norange/${media.png}`);
    expect(png.ok && png.info.kind === 'image' && png.info.width).toBe(640);
    expect(png.stats).toMatchObject({ rangeIgnored: true, requests: 1 });
    const mp4 = await readRemote(`${server.base}/norange/${media.mp4End}`, { budget: 128 * 1024 });
    expect(mp4).toMatchObject({ ok: false, reason: 'the server ignores Range requests and the header is not within the first 128 KiB' });
    expect(mp4.stats).toMatchObject({ bytesRead: 128 * 1024, requests: 1, rangeIgnored: true });
  });

  it('an MP3 whose ID3 tag (cover art) outgrows the first range is still an MP3: its format is read behind the tag', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', `file:${join(dir, 'cover.png')}`]);
    await ffmpeg(['-i', `file:${join(dir, media.mp3)}`, '-i', `file:${join(dir, 'cover.png')}`, '-map', '0', '-map', '1', '-c', 'copy', '-id3v2_version', '3', '-disposition:v', 'attached_pic', `file:${join(dir, 'tagged.mp3')}`]);
    const remote = await readRemote(`${server.base}/tagged.mp3`);
    const local = await probeFile(join(dir, 'tagged.mp3'));
    if (!remote.ok || !local.ok) throw new Error(`not read: ${JSON.stringify(remote)}`);
    expect(facts(remote.info)).toEqual(facts(local.info));
    expect(remote.info.sizeBytes).toBeGreaterThan(REMOTE_CHUNK_BYTES);
  });

  it('a JPEG whose size sits behind large metadata (two 60 KB comments) is read with one more range', async () => {
    const jpeg = await readFile(fixture('landscape-1280x720.jpg'));
    // a COM segment: FF FE, a 2-byte length that counts itself, then the bytes
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0xea, 0x62]), Buffer.alloc(60_000 - 2, 0x20)]);
    await writeFile(join(dir, 'commented.jpg'), Buffer.concat([jpeg.subarray(0, 2), comment, comment, jpeg.subarray(2)]));
    const remote = await readRemote(`${server.base}/commented.jpg`);
    const local = await probeFile(join(dir, 'commented.jpg'));
    if (!remote.ok || !local.ok) throw new Error(`not read: ${JSON.stringify(remote)}`);
    expect(facts(remote.info)).toEqual(facts(local.info));
    expect(facts(remote.info)).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
    expect(remote.stats.requests).toBe(2);
  });

  it('follows redirects', async () => {
    const remote = await readRemote(`${server.base}/redirect/${media.webm}`);
    expect(remote.ok && [remote.info.format, remote.info.kind]).toEqual(['webm', 'video']);
  });

  it('gives up at the deadline on a server that never answers', async () => {
    const remote = await readRemote(`${server.base}/hang/clip.mp4`, { timeoutMs: 300 });
    expect(remote).toMatchObject({ ok: false, reason: 'no complete header within 0.3 s' });
  });

  it('bytes that are no media are a verdict (notMedia), not a failure to read', async () => {
    const remote = await readRemote(`${server.base}/notes.mp4`);
    expect(remote).toMatchObject({ ok: false, notMedia: true, reason: 'its first bytes are not an image, video or audio format' });
  });

  it('never sends a URL with a user or password', async () => {
    const before = server.log.length;
    const remote = await readRemote(`${server.base.replace('http://', 'http://user:s3cret@')}/${media.webm}`);
    expect(remote).toMatchObject({ ok: false, reason: 'it carries a user or password, so it was not read' });
    expect(server.log.length).toBe(before);
  });
});

describe('clampRange: every Range the reader sends is bounded to one chunk', () => {
  it.each([
    ['bytes=0-', 'bytes=0-65535'],
    ['bytes=100-', 'bytes=100-65635'],
    ['bytes=0-1023', 'bytes=0-1023'],
    ['bytes=10-999999', 'bytes=10-65545'],
    ['items=0-5', null],
    [null, null],
  ])('%s → %s', (range, expected) => {
    expect(clampRange(range, 65_536)).toBe(expected);
  });

  it('keeps the start, never asks past the requested end, and never more than a chunk (property)', () => {
    fc.assert(
      fc.property(fc.nat(1e12), fc.option(fc.nat(1e9), { nil: undefined }), fc.integer({ min: 1, max: 1 << 24 }), (start, span, chunk) => {
        const asked = span === undefined ? `bytes=${start}-` : `bytes=${start}-${start + span}`;
        const [from, to] = clampRange(asked, chunk)!.slice('bytes='.length).split('-').map(Number) as [number, number];
        expect(from).toBe(start);
        expect(to - from + 1).toBeLessThanOrEqual(chunk);
        if (span !== undefined) expect(to).toBeLessThanOrEqual(start + span);
      }),
    );
  });
});
