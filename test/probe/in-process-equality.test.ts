/**
 * The safety net of the in-process reader: over every fixture (committed, demo and the media the test helpers generate)
 * both paths must give the same MediaInfo (durations and frame rates within 0.01, everything else exact) and the same
 * violations under every built-in profile. The files the in-process reader declines are listed with their reasons, so a
 * reader that silently hands everything to ffprobe fails here.
 */
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia, checkProbeFailure } from '../../src/check/file-rules.js';
import { describeProblem } from '../../src/check/describe-problem.js';
import type { ProbeResult } from '../../src/probe/media-info.js';
import { probeFile, type ProbeRoute } from '../../src/probe/probe-file.js';
import { BUILTIN_PROFILES } from '../../src/spec/builtin-profiles.js';
import { tempDir } from '../helpers/fixtures.js';
import { committedFixtures } from '../helpers/fixture-manifest.js';
import { writeBombPng, writeFlatJpeg, writeFlatWebp } from '../helpers/generated-media.js';
import { ffmpeg, makeClip, makeNoiseClip, makeRawVideoMov, makeRotated4k, makeTone } from '../helpers/make-media.js';

// from the manifest, not a listing: the README's demo leaves output/ and .seedance-preflight/ in fixtures/demo
const committed = committedFixtures().filter((f) => !f.name.endsWith('.json')).map((f) => f.path);

/** Fields compared within a tolerance (seconds, frames per second); everything else must be equal. */
const TOLERANCE: Readonly<Record<string, number>> = {
  duration: 0.01, containerDuration: 0.01, streamDuration: 0.01, videoDuration: 0.01, audioDuration: 0.01, headerDuration: 0.01, fps: 0.01,
};

/** Every field where the two results differ, named "file: field: ffprobe X, in-process Y". */
function differences(name: string, ffprobe: ProbeResult, inProcess: ProbeResult): string[] {
  const a: Record<string, unknown> = ffprobe.ok ? { ...ffprobe.info } : { failure: ffprobe.failure };
  const b: Record<string, unknown> = inProcess.ok ? { ...inProcess.info } : { failure: inProcess.failure };
  const found: string[] = [];
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [a[field], b[field]];
    const close = typeof x === 'number' && typeof y === 'number' && TOLERANCE[field] !== undefined && Math.abs(x - y) <= TOLERANCE[field]!;
    if (!close && JSON.stringify(x) !== JSON.stringify(y)) found.push(`${name}: ${field}: ffprobe ${JSON.stringify(x)}, in-process ${JSON.stringify(y)}`);
  }
  // the same fields in the same order, so JSON written from either (the report, the cache) reads the same
  const order = (value: Record<string, unknown>) => JSON.stringify(Object.keys(value).concat(Object.keys((value.color as object | undefined) ?? {})));
  if (found.length === 0 && order(a) !== order(b)) found.push(`${name}: field order: ffprobe ${order(a)}, in-process ${order(b)}`);
  return found;
}

/** The violations every built-in profile finds, as the CLI would describe them. */
function violations(result: ProbeResult): string[] {
  return Object.entries(BUILTIN_PROFILES).flatMap(([profile, limits]) =>
    (result.ok ? checkMedia(result.info, limits) : [checkProbeFailure(result.failure)]).map((v) => `${profile}: ${v.severity} ${describeProblem(v)}`),
  );
}

let generated: string[] = [];
let cleanup: () => Promise<void>;
/** Filled once for all assertions: every difference found, and the reader each file took. */
const found: string[] = [];
const routes = new Map<string, ProbeRoute>();
beforeAll(async () => {
  const made = await tempDir('sp-in-process-');
  cleanup = made.cleanup;
  const dir = made.dir;
  const image = async (name: string, write: (path: string) => Promise<void>) => {
    await write(join(dir, name));
    return join(dir, name);
  };
  // what makeClip cannot ask for: B-frames (an edit list shifted by reordering), full range, colour tags, 10-bit
  const x264 = async (name: string, args: string[]) => {
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=30:duration=3', ...args, `file:${join(dir, name)}`]);
    return join(dir, name);
  };
  // the shapes the other tests generate (smaller where only the shape matters), and the containers makeClip and makeTone offer
  const remux = async (source: string, name: string, args: string[]) => {
    await ffmpeg(['-i', `file:${source}`, '-c', 'copy', ...args, `file:${join(dir, name)}`]);
    return join(dir, name);
  };
  generated = (await Promise.all([
    makeClip(dir, 'hd-1920x1080.mp4', { width: 1920, height: 1080, fps: 24, seconds: 2, source: 'color' }),
    makeClip(dir, 'long-20s.mp4', { width: 854, height: 480, fps: 24, seconds: 20, audio: true, source: 'color' }),
    makeClip(dir, 'odd-1001x721-15fps.mp4', { width: 1001, height: 721, fps: 15, seconds: 2, pixelFormat: 'yuv444p' }),
    makeClip(dir, 'short-1s-audio.mp4', { width: 854, height: 480, fps: 30, seconds: 1, audio: true }),
    makeClip(dir, 'tall-400x1200.mp4', { width: 400, height: 1200, fps: 30, seconds: 2.5 }),
    makeClip(dir, 'audio-in.mov', { width: 854, height: 480, fps: 25, seconds: 2, audio: true, container: 'mov' }),
    makeClip(dir, 'audio-in.mkv', { width: 854, height: 480, fps: 25, seconds: 2, audio: true, container: 'matroska' }),
    makeClip(dir, 'yuv422p.mp4', { width: 640, height: 480, fps: 30, seconds: 1, pixelFormat: 'yuv422p' }),
    x264('bframes.mp4', ['-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx264', '-preset', 'fast', '-crf', '35', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
    x264('bframes-opus.mkv', ['-f', 'lavfi', '-i', 'sine=duration=3', '-r', '30000/1001', '-c:v', 'libx264', '-preset', 'fast', '-crf', '35', '-c:a', 'libopus', '-f', 'matroska']),
    x264('full-range.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuvj420p']),
    x264('bt709-tagged.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']),
    x264('10-bit.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p10le']),
    x264('timecode.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p', '-timecode', '01:00:00:00']),
    x264('timecode-audio.mov', ['-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-timecode', '01:00:00:00', '-f', 'mov']),
    x264('vui-and-colr-bt709.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv', '-movflags', '+write_colr']).then(async (tagged) => [
      tagged,
      // stream copies: the colr box then says what the SPS does not (or says otherwise)
      await remux(tagged, 'vui-bt709-colr-bt601.mp4', ['-color_primaries', 'smpte170m', '-color_trc', 'smpte170m', '-colorspace', 'smpte170m', '-movflags', '+write_colr']),
    ]),
    x264('plain-for-colr.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p']).then(async (plain) => {
      const full = await remux(plain, 'colr-only-bt601-full.mp4', ['-color_primaries', 'smpte170m', '-color_trc', 'smpte170m', '-colorspace', 'smpte170m', '-color_range', 'pc', '-movflags', '+write_colr']);
      return [
        await remux(plain, 'colr-only-bt709.mp4', ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-movflags', '+write_colr']),
        full,
        // Matroska's Colour element stands where the SPS says nothing, as the colr box does
        await remux(full, 'colour-only-bt601-full.mkv', []),
      ];
    }),
    // H.265: its decoder ignores the container's colour codes (unlike H.264's), so both kinds of tags are here
    x264('hevc-10-bit.mp4', ['-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '40', '-tag:v', 'hvc1', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error']),
    x264('hevc-sar-4-3.mp4', ['-vf', 'setsar=4/3', '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '40', '-tag:v', 'hvc1', '-x265-params', 'log-level=error']),
    x264('hevc-vui-bt709.mp4', ['-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '40', '-tag:v', 'hvc1', '-x265-params', 'log-level=error:colorprim=bt709:transfer=bt709:colormatrix=bt709']).then(async (tagged) => [
      tagged,
      await remux(tagged, 'hevc-vui-bt709.mkv', []),
    ]),
    x264('hevc-audio.mp4', ['-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '40', '-tag:v', 'hvc1', '-x265-params', 'log-level=error', '-c:a', 'aac']).then(async (plain) => [
      plain,
      await remux(plain, 'hevc-colr-only.mp4', ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-movflags', '+write_colr']),
      // ffmpeg writes a Colour element (the range) into Matroska
      await remux(plain, 'hevc-audio.mkv', []),
    ]),
    x264('vp9-bt709.webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '100k', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv']),
    makeRotated4k(dir, 1),
    makeRawVideoMov(dir, 'raw.mov', 1),
    makeNoiseClip(dir, 'noise.mp4', { width: 854, height: 480, fps: 24, seconds: 1 }),
    makeTone(dir, 'tone-8k-20s.flac', { seconds: 20, sampleRate: 8_000, codec: ['-c:a', 'flac'], format: 'flac' }),
    makeTone(dir, 'big-8ch.wav', { seconds: 2, sampleRate: 48_000, channels: 8, codec: ['-c:a', 'pcm_f32le'], format: 'wav' }),
    makeTone(dir, 'stereo.wav', { seconds: 3, channels: 2, codec: ['-c:a', 'pcm_s24le'], format: 'wav' }),
    makeTone(dir, 'u8.wav', { seconds: 2, sampleRate: 8_000, codec: ['-c:a', 'pcm_u8'], format: 'wav' }),
    makeTone(dir, 'cbr-128k.mp3', { seconds: 5, codec: ['-c:a', 'libmp3lame', '-b:a', '128k'], format: 'mp3' }),
    makeTone(dir, 'vbr.mp3', { seconds: 5, sampleRate: 22_050, codec: ['-c:a', 'libmp3lame', '-q:a', '6'], format: 'mp3' }),
    makeTone(dir, 'tone.m4a', { seconds: 4, codec: ['-c:a', 'aac', '-b:a', '64k'], format: 'ipod' }),
    makeTone(dir, 'tone.opus', { seconds: 3, sampleRate: 48_000, codec: ['-c:a', 'libopus'], format: 'ogg' }),
    makeTone(dir, 'tone-vorbis.ogg', { seconds: 4, codec: ['-c:a', 'libvorbis'], format: 'ogg' }),
    makeTone(dir, 'tone.adts', { seconds: 3, codec: ['-c:a', 'aac'], format: 'adts' }),
    image('flat-20000x14000.jpg', (path) => writeFlatJpeg(path, 20_000, 14_000)),
    image('flat-16000x9000.webp', (path) => writeFlatWebp(path, 16_000, 9_000)),
    image('bomb.png', (path) => writeBombPng(path)),
  ])).flat();
  for (const path of [...committed, ...generated]) {
    const name = basename(path);
    const ffprobe = await probeFile(path, { reader: 'ffprobe' });
    const inProcess = await probeFile(path, { onRoute: (route) => routes.set(name, route) });
    found.push(...differences(name, ffprobe, inProcess));
    const [before, after] = [violations(ffprobe), violations(inProcess)];
    if (JSON.stringify(before) !== JSON.stringify(after)) found.push(`${name}: violations: ffprobe ${JSON.stringify(before)}, in-process ${JSON.stringify(after)}`);
  }
}, 300_000);
afterAll(() => cleanup());

describe('in-process probing against ffprobe, over every fixture', () => {
  it('gives the same MediaInfo and the same violations for every file, naming the file and field where they differ', () => {
    expect(found).toEqual([]);
    expect(committed.length + generated.length).toBe(122);
  });

  it('declines exactly these files, each for its recorded reason', () => {
    const declined = Object.fromEntries([...routes].filter(([, r]) => r.reader === 'ffprobe').map(([name, r]) => [name, `${r.fallback!.code}: ${r.fallback!.detail}`]));
    expect(declined).toEqual(EXPECTED_FALLBACKS);
  });

  it('reads every other video and audio file in-process', () => {
    const read = [...routes].filter(([, r]) => r.reader === 'in-process').map(([name]) => name).sort();
    expect(read).toEqual(EXPECTED_IN_PROCESS);
  });
});

/** Each declined file and why; the reasons are the reader's own words (doctor and the bench count them by code). */
const EXPECTED_FALLBACKS: Record<string, string> = {
  'adpcm.wav': 'codec: WAV format tag 2 (ADPCM, GSM, MP3 and other compressed WAVs are read by ffprobe)',
  'camcorder-h264-ac3.m2ts': "container: MPEGTS: its timing (PTS from the first packet of each stream) is not reproduced in-process",
  'camcorder.mts': "container: MPEGTS: its timing (PTS from the first packet of each stream) is not reproduced in-process",
  'clip.ts': "container: MPEGTS: its timing (PTS from the first packet of each stream) is not reproduced in-process",
  'dvd.mpg': 'container: MPEGPS: not read by the toolkit',
  'extra-streams.mp4': 'trait: cover art (ffprobe lists it as a stream)',
  'fps-1000-stated-30-real.mkv': 'trait: a stated rate of 1000 fps (a timebase, not a frame rate): the packets are measured',
  'gsm.wav': 'codec: WAV format tag 49 (ADPCM, GSM, MP3 and other compressed WAVs are read by ffprobe)',
  'hdr-hlg-640x360.mp4': 'trait: transfer code 18 (HDR or rare colour tags are read by ffprobe)',
  'hdr-pq-640x360.mp4': 'trait: transfer code 16 (HDR or rare colour tags are read by ffprobe)',
  'id3-adts-16s.aac': 'estimated-duration: AAC: ADTS holds no length: ffprobe estimates it and counts the packets',
  'mp2-named.mp3': 'estimated-duration: MP2 without a Xing/Info frame count: ffprobe estimates the length from the bitrate',
  'mp3-in.wav': 'codec: WAV format tag 85 (ADPCM, GSM, MP3 and other compressed WAVs are read by ffprobe)',
  'mpeg2-program-stream.mpg': 'container: MPEGPS: not read by the toolkit',
  'mpeg4.avi': 'container: AVI: not read by the toolkit',
  'no-moov.mp4': 'maybe-truncated: the last box runs 50109 bytes past the end of the file',
  'no-samples.wav': 'trait: an empty data chunk: ffprobe states no length and the packets are counted',
  'noise.mp4': 'codec: video sample entry mp4v (H.264 and H.265 are read in-process)',
  'prores.mov': 'codec: video sample entry apco (H.264 and H.265 are read in-process)',
  'raw.mov': 'codec: video sample entry 2vuy (H.264 and H.265 are read in-process)',
  'rf64.wav': 'container: RF64: not read by the toolkit',
  'short-1.73s.eac3': 'container: AC3: not read by the toolkit',
  'text-named.mp4': 'container: its first bytes name no format',
  'tone.adts': 'estimated-duration: AAC: ADTS holds no length: ffprobe estimates it and counts the packets',
  'tone.aiff': 'container: AIFF: not read by the toolkit',
  'tone.wv': 'container: WAVPACK: not read by the toolkit',
  'truncated-247s.mp3': 'maybe-truncated: the frame count states 247.066 s, the frames hold 0.366 s',
  'vfr.mp4': 'trait: sample durations vary (3 runs): ffprobe guesses the base rate and the packets are measured',
  'vvc-no-decoder.mp4': 'codec: video sample entry vvc1 (H.264 and H.265 are read in-process)',
  'zero-padded.mp3': 'container: its first bytes name no format',
};
const EXPECTED_IN_PROCESS: string[] = [
  '10-bit.mp4',
  'alaw.wav',
  'anamorphic-sar2-640x360.mp4',
  'audio-in.mkv',
  'audio-in.mov',
  'audio-only.m4a',
  'bframes-opus.mkv',
  'bframes.mp4',
  'big-8ch.wav',
  'bt709-tagged.mp4',
  'cbr-128k.mp3',
  'clip.webm',
  'colour-only-bt601-full.mkv',
  'colr-only-bt601-full.mp4',
  'colr-only-bt709.mp4',
  'delayed-audio.mp4',
  'fps-120.mp4',
  'fps-15.mp4',
  'full-range.mp4',
  'h264-in.mkv',
  'hd-1920x1080.mp4',
  'hevc-10-bit.mp4',
  'hevc-audio.mkv',
  'hevc-audio.mp4',
  'hevc-colr-only.mp4',
  'hevc-sar-4-3.mp4',
  'hevc-vui-bt709.mkv',
  'hevc-vui-bt709.mp4',
  'hevc.mp4',
  'hflip-640x360.mp4',
  'long-16s.mp4',
  'long-20s.mp3',
  'long-20s.mp4',
  'music.flac',
  'odd-1001x721-15fps.mp4',
  'odd-1001x721.mp4',
  'portrait-480x854.mp4',
  'rotate90-mirror-640x360.mp4',
  'rotated-3840x2160.mp4',
  'rotated-90-854x480.mp4',
  'short-1s-audio.mp4',
  'short-1s.mp4',
  'short-1s.wav',
  'small-640x360.mp4',
  'stereo.wav',
  'tall-400x1200.mp4',
  'timecode-audio.mov',
  'timecode.mp4',
  'tiny-200x200-2s.mp4',
  'tone-8k-20s.flac',
  'tone-vorbis.ogg',
  'tone.flac',
  'tone.m4a',
  'tone.ogg',
  'tone.opus',
  'u8.wav',
  'valid-3s.mp3',
  'valid-3s.wav',
  'valid-854x480-30fps.mp4',
  'valid-854x480.mov',
  'vbr.mp3',
  'video-1.875s-audio-2.005s.mp4',
  'vp9-bt709.webm',
  'vp9.webm',
  'vui-and-colr-bt709.mp4',
  'vui-bt709-colr-bt601.mp4',
  'wide-1280x400.mp4',
  'yuv422p.mp4',
];
