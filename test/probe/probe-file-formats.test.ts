import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioInfo, ImageInfo, ProbeResult, VideoInfo } from '../../src/probe/media-info.js';
import { id3TagEnd } from '../../src/probe/detect-format.js';
import { probeFile, sniffFile } from '../../src/probe/probe-file.js';
import { runProcess } from '../../src/shared/spawn.js';
import { fixture, tempDir } from '../helpers/fixtures.js';

/** Debian's ffprobe (a 2023 build, not the tool's own): an independent reading of a file's streams. */
async function debianStreams(path: string): Promise<Array<[string, string]>> {
  const { stdout } = await runProcess('/usr/bin/ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', `file:${path}`]);
  return (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string }> }).streams.map((s) => [s.codec_type, s.codec_name]);
}

function info<T>(result: ProbeResult): T {
  if (!result.ok) throw new Error(`expected a probe, got ${result.failure.code}: ${result.failure.detail}`);
  return result.info as T;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-probe-formats-')));
afterAll(() => cleanup());

describe('probeFile: audio that used to be misread or called "not media"', () => {
  it('reads ID3-tagged ADTS as AAC (not MP3), and counts its packets: the bitrate estimate says 9.17 s, it plays 16.07 s', async () => {
    const a = info<AudioInfo>(await probeFile(fixture('id3-adts-16s.aac')));
    expect({ kind: a.kind, format: a.format, codec: a.audioCodec, source: a.durationSource }).toEqual({ kind: 'audio', format: 'aac', codec: 'aac', source: 'measured' });
    // 692 packets × 1024 samples / 44,100 Hz
    expect(a.duration).toBe(16.068209);
    expect([a.containerDuration, a.streamDuration]).toEqual([16.068209, 16.068209]);
    expect(a.headerDuration).toBe(9.170025);
  });

  it('reads past an ID3 tag longer than the sniffed bytes (cover art): ADTS behind 20 KB of tag is still AAC', async () => {
    const original = await readFile(fixture('id3-adts-16s.aac'));
    const audio = original.subarray(id3TagEnd(original)!);
    // an ID3v2.4 header whose synchsafe size says 20,000 bytes, filled with padding
    const size = 20_000;
    const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
    const path = join(dir, 'cover-art.aac');
    await writeFile(path, Buffer.concat([header, Buffer.alloc(size), audio]));
    // the sniff itself reads past the tag: no fallback to ffprobe's guess is needed
    const sniffed = await sniffFile(path);
    expect(sniffed.ok && sniffed.kind !== null ? [sniffed.kind, sniffed.facts.format] : sniffed).toEqual(['audio', 'aac']);
    const a = info<AudioInfo>(await probeFile(path));
    expect({ format: a.format, codec: a.audioCodec, duration: a.duration }).toEqual({ format: 'aac', codec: 'aac', duration: 16.068209 });
  });

  it('reads an MP3 behind 400 zero bytes as MP3: the sniff is unsure, ffprobe decides', async () => {
    const a = info<AudioInfo>(await probeFile(fixture('zero-padded.mp3')));
    expect({ kind: a.kind, format: a.format, codec: a.audioCodec, matches: a.extensionMatches }).toEqual({ kind: 'audio', format: 'mp3', codec: 'mp3', matches: true });
    expect(a.duration).toBeCloseTo(3.03, 2);
  });

  it('measures a cut-short MP3 whose Xing header still announces 247 s', async () => {
    const a = info<AudioInfo>(await probeFile(fixture('truncated-247s.mp3')));
    expect(a.headerDuration).toBeCloseTo(247.07, 2);
    // damaged: its lengths are what decodes, 14 whole MPEG-2 layer III frames × 576 samples / 22,050 Hz (ffprobe counts the cut 15th too)
    expect([a.duration, a.durationSource, a.damage?.kind, a.damage?.headerSays]).toEqual([0.365714, 'measured', 'truncated', 247.0661224489796]);
  });

  it('keeps the header duration of an MP3 whose count agrees with it', async () => {
    const a = info<AudioInfo>(await probeFile(fixture('valid-3s.mp3')));
    expect([a.duration, a.durationSource, a.headerDuration]).toEqual([3.030204, undefined, undefined]);
  });

  it('reads a WAV with a header and no samples as 0 s long', async () => {
    const a = info<AudioInfo>(await probeFile(fixture('no-samples.wav')));
    expect({ format: a.format, duration: a.duration, source: a.durationSource, header: a.headerDuration }).toEqual({ format: 'wav', duration: 0, source: 'measured', header: null });
  });

  it.each([
    ['tone.aiff', 'aiff', 'pcm_s16be', 3],
    ['rf64.wav', 'rf64', 'pcm_s16le', 3],
    ['tone.wv', 'wavpack', 'wavpack', 3],
    ['short-1.73s.eac3', 'ac3', 'eac3', 1.76],
    ['gsm.wav', 'wav', 'gsm_ms', 3],
    ['alaw.wav', 'wav', 'pcm_alaw', 3],
    ['adpcm.wav', 'wav', 'adpcm_ms', 3.054],
    ['mp3-in.wav', 'wav', 'mp3', 3.050113],
  ])('reads %s as %s audio holding %s', async (name, format, codec, seconds) => {
    const a = info<AudioInfo>(await probeFile(fixture(name)));
    expect({ kind: a.kind, format: a.format, codec: a.audioCodec, duration: a.duration }).toEqual({ kind: 'audio', format, codec, duration: seconds });
  });
});

describe('probeFile: video containers the provider does not take', () => {
  it.each([
    // read directly (GCONV_PATH keeps the bundled ffprobe from crashing): the container durations Debian's ffprobe gives
    ['clip.ts', 'mpegts', 'h264', 'aac', 2.221333],
    ['camcorder.mts', 'mpegts', 'h264', 'ac3', 2.205333],
    ['dvd.mpg', 'mpegps', 'mpeg2video', 'mp2', 2.210022],
  ])('reads %s as %s video (%s + %s)', async (name, format, video, audio, seconds) => {
    const v = info<VideoInfo>(await probeFile(fixture(name)));
    expect({ kind: v.kind, format: v.format, video: v.videoCodec, audio: v.audioCodec, width: v.width, height: v.height, fps: v.fps, duration: v.duration }).toEqual({ kind: 'video', format, video, audio, width: 640, height: 360, fps: 25, duration: seconds });
  });

  it('agrees with Debian ffprobe on the transport stream', async () => {
    expect(await debianStreams(fixture('camcorder.mts'))).toEqual([['video', 'h264'], ['audio', 'ac3']]);
  });
});

describe('probeFile: images the provider does not take', () => {
  it.each([
    ['layers.psd', 'psd', 200, 150],
    ['image.jp2', 'jp2', 640, 480],
  ])('reads %s as a %s image of %i×%i', async (name, format, width, height) => {
    const i = info<ImageInfo>(await probeFile(fixture(name)));
    expect({ kind: i.kind, format: i.format, width: i.width, height: i.height }).toEqual({ kind: 'image', format, width, height });
  });

  it('reads an iPhone-shaped HEIC as displayed: stored 640×480 with irot, shown 480×640', async () => {
    const i = info<ImageInfo>(await probeFile(fixture('heic-orientation-6.heic')));
    // libheif applies irot itself; the EXIF orientation 6 beside it must not turn the picture a second time
    expect({ format: i.format, width: i.width, height: i.height, orientation: i.orientation }).toEqual({ format: 'heic', width: 480, height: 640, orientation: 1 });
  });

  it('still calls a text file named .mp4 unknown after asking ffprobe', async () => {
    const path = join(dir, 'notes.mp4');
    await copyFile(fixture('text-named.mp4'), path);
    const sniffed = await sniffFile(path);
    expect(sniffed.ok ? sniffed.kind : 'failed').toBeNull(); // unsure: ffprobe is asked
    const result = await probeFile(path);
    expect(result.ok ? null : [result.failure.code, result.failure.format]).toEqual(['unknown_format', null]);
  });
});
