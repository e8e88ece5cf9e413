import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { fixFile } from '../../src/normalize/fix-file.js';
import type { VideoPlan } from '../../src/normalize/fix-plan.js';
import { fixTargets, type FixedFileReport } from '../../src/pipeline/fix-targets.js';
import { toolBinary } from '../../src/probe/binaries.js';
import type { VideoInfo } from '../../src/probe/media-info.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { DEBIAN_FFMPEG, ffmpeg, ffprobeStreams, greyThumbnail, makeClip, meanDifference } from '../helpers/make-media.js';
import { tonemapFilters } from '../../src/normalize/ffmpeg-args.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-fix-traits-')));
afterAll(() => cleanup());

let runs = 0;
/** Fixes one file (or a request) into a fresh folder; the output must probe and pass check. */
async function fixOne(paths: string[]): Promise<{ file: FixedFileReport; info: VideoInfo }> {
  const outcome = await fixTargets({ paths, outDir: join(dir, `out-${++runs}`), profile: SEED_PROFILE });
  const file = outcome.jobs[0]!.files[0]!;
  expect(file.error).toBeNull();
  expect(outcome.ok).toBe(true);
  const probe = await probeFile(file.output!);
  if (!probe.ok || probe.info.kind !== 'video') throw new Error('the output is not a video');
  expect(checkMedia(probe.info, SEED_PROFILE).filter((v) => v.severity === 'error')).toEqual([]);
  return { file, info: probe.info };
}

const rules = (file: FixedFileReport) => file.actions.map((a) => a.rule);
const colours = (stream: Record<string, unknown>) => [stream.pix_fmt, stream.color_primaries, stream.color_transfer, stream.color_space];

describe('fix: HDR is tone-mapped to SDR BT.709 and tagged', () => {
  it.each([
    ['hdr-hlg-640x360.mp4', 'arib-std-b67'],
    ['hdr-pq-640x360.mp4', 'smpte2084'],
  ])('%s', async (name, transfer) => {
    const source = fixture(name);
    const { file, info } = await fixOne([source]);
    expect(file.mode).toBe('reencode');
    expect(file.actions.map((a) => [a.rule, a.what])).toEqual([
      ['video.pixels', 'scale up 640×360 → 854×480'],
      ['video.hdr', `tone-map ${name.includes('hlg') ? 'HLG' : 'PQ'} (bt2020) → SDR BT.709`],
    ]);
    expect([info.videoCodec, info.color.hdr, info.color.bitDepth]).toEqual(['h264', null, 8]);
    expect(colours((await ffprobeStreams(file.output!))[0]!)).toEqual(['yuv420p', 'bt709', 'bt709', 'bt709']);
    // against a reference frame tone-mapped with the same curve, and the washed-out 8-bit passthrough the fix used to write
    const frame = (name: string, filter: string) => ffmpeg(['-i', `file:${source}`, '-frames:v', '1', '-vf', `${filter},scale=854:480`, '-c:v', 'libx264', '-crf', '1', `file:${join(dir, name)}`]).then(() => join(dir, name));
    const reference = await greyThumbnail(await frame(`tonemapped-${name}`, tonemapFilters({ primaries: 'bt2020', transfer, matrix: 'bt2020nc' }).join(',')), 32, 18);
    const passthrough = await greyThumbnail(await frame(`passthrough-${name}`, 'format=yuv420p'), 32, 18);
    const ours = await greyThumbnail(file.output!, 32, 18);
    expect(meanDifference(ours, reference)).toBeLessThan(3);
    expect(meanDifference(passthrough, reference)).toBeGreaterThan(15);
  });
});

describe('fix: RGB sources', () => {
  it('a VP9 WebM in RGB (gbrp, matrix gbr) becomes 4:2:0 H.264 tagged with the matrix it was converted with', async () => {
    // libvpx-vp9 keeps mandelbrot's RGB: the pixel format and colour space phones never write, but screen recorders do
    const source = join(dir, 'rgb-vp9.webm');
    await ffmpeg(['-f', 'lavfi', '-i', 'mandelbrot=size=1280x720:rate=30,trim=duration=1', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-pix_fmt', 'gbrp', `file:${source}`]);
    expect(colours((await ffprobeStreams(source))[0]!)).toEqual(['gbrp', undefined, undefined, 'gbr']);
    const { file } = await fixOne([source]);
    expect(file.mode).toBe('reencode');
    expect(colours((await ffprobeStreams(file.output!))[0]!)).toEqual(['yuv420p', 'bt709', 'bt709', 'smpte170m']);
  });
});

describe('fix: pixels as displayed', () => {
  it('anamorphic 640×360 at SAR 2:1 (shown 1280×360, 32:9) comes out with square pixels, padded to 2.5', async () => {
    const { file, info } = await fixOne([fixture('anamorphic-sar2-640x360.mp4')]);
    expect(file.actions).toEqual([{ rule: 'video.aspect_ratio', what: 'pad 1280×360 → 1280×512', before: '1280×360', after: '1280×512' }]);
    expect([info.width, info.height, info.storedWidth, info.storedHeight, info.sampleAspectRatio]).toEqual([1280, 512, 1280, 512, 1]);
    const [stream] = await ffprobeStreams(file.output!);
    expect(stream!.sample_aspect_ratio).toBe('1:1');
    // untagged SD pixels are BT.601 and stay so: tagged as such, not left for a player to guess BT.709 at 1280 wide
    expect(colours(stream!)).toEqual(['yuv420p', 'smpte170m', 'smpte170m', 'smpte170m']);
  });

  it.each([
    ['rotate90-mirror-640x360.mp4', 'rotation 90° and mirror applied to the pixels (shown portrait)', 480, 854, 18, 32],
    ['hflip-640x360.mp4', 'mirror (left to right) applied to the pixels (shown landscape)', 854, 480, 32, 18],
  ])('%s: the whole display matrix is applied, as Debian’s ffmpeg shows the source', async (name, what, width, height, columns, rows) => {
    const source = fixture(name);
    const { file, info } = await fixOne([source]);
    expect(file.actions.map((a) => a.what)).toEqual([`scale up ${height > width ? '360×640' : '640×360'} → ${width}×${height}`, what]);
    expect([info.width, info.height, info.rotation, info.mirrored]).toEqual([width, height, 0, false]);
    // Debian's ffmpeg applies mirrors in its autorotate; the bundled 2018 ffmpeg does not
    const shown = await greyThumbnail(source, columns, rows, 0, DEBIAN_FFMPEG);
    const fixed = await greyThumbnail(file.output!, columns, rows, 0, DEBIAN_FFMPEG);
    expect(meanDifference(shown, fixed)).toBeLessThan(8);
    // and not the plain rotation the fix used to write (the picture mirrored)
    const mirroredBack = shown.map((_, i) => shown[Math.floor(i / columns) * columns + (columns - 1 - (i % columns))]!);
    expect(meanDifference(mirroredBack, fixed)).toBeGreaterThan(40);
  });
});

describe('fix: time and streams', () => {
  it('a stated 1000/1 frame rate is measured as 30 fps: only the container changes', async () => {
    const source = fixture('fps-1000-stated-30-real.mkv');
    const probe = await probeFile(source);
    expect(probe.ok && probe.info.kind === 'video' && [probe.info.fps, probe.info.fpsSource, probe.info.variableFrameRate]).toEqual([30, 'packets', false]);
    const { file, info } = await fixOne([source]);
    expect([file.mode, rules(file)]).toEqual(['remux', ['video.format']]);
    // millisecond timestamps copied into MP4: the average reads 75 frames over 2.467 s
    expect([Math.round(info.fps!), info.variableFrameRate]).toEqual([30, false]);
  });

  it('a 1.875 s video track beside 2.005 s of audio is extended by its track to 2.1 s', async () => {
    const { file, info } = await fixOne([fixture('video-1.875s-audio-2.005s.mp4')]);
    expect(file.actions.map((a) => a.what)).toEqual(['extend 1.88 s → 2.1 s (last frame held, silence added)']);
    expect(info.videoDuration).toBeGreaterThanOrEqual(2.05);
    expect(Math.abs(info.containerDuration! - info.videoDuration!)).toBeLessThanOrEqual(0.1);
  });

  it('extra streams (second video, timecode tracks, cover art) are dropped: one video, one audio', async () => {
    const { file } = await fixOne([fixture('extra-streams.mp4')]);
    expect(file.mode).toBe('reencode');
    expect((await ffprobeStreams(file.output!)).map((s) => [s.codec_type, s.codec_name])).toEqual([['video', 'h264'], ['audio', 'aac']]);
  });
});

describe('fix: containers ffmpeg reads that the provider does not take', () => {
  it('a camcorder M2TS (the bundled ffprobe crashes on it) is probed through a stream copy and converted', async () => {
    const source = fixture('camcorder-h264-ac3.m2ts');
    const probe = await probeFile(source);
    expect(probe.ok && probe.info).toMatchObject({ kind: 'video', format: 'mpegts', videoCodec: 'h264', audioCodec: 'ac3', width: 854, height: 480 });
    const { file, info } = await fixOne([source]);
    expect(rules(file)).toEqual(['video.format', 'video.audio_codec']);
    expect([info.format, info.videoCodec, info.audioCodec]).toEqual(['mp4', 'h264', 'aac']);
    expect(Math.abs(info.duration! - 2.5)).toBeLessThan(0.1);
  });

  it('an MPEG-2 program stream becomes H.264 + AAC in MP4', async () => {
    const { file, info } = await fixOne([fixture('mpeg2-program-stream.mpg')]);
    expect(rules(file)).toEqual(['video.format', 'video.pixels', 'video.codec', 'video.audio_codec']);
    expect([info.format, info.videoCodec, info.audioCodec]).toEqual(['mp4', 'h264', 'aac']);
  });
});

describe('fix: what cannot be fixed says so in one line', () => {
  it('VVC: check says not fixable, and fix agrees', async () => {
    const source = fixture('vvc-no-decoder.mp4');
    const outcome = await fixTargets({ paths: [source], outDir: join(dir, 'vvc'), profile: SEED_PROFILE });
    const file = outcome.jobs[0]!.files[0]!;
    expect(file.violations.map((v) => [v.rule, v.fixable])).toEqual([['video.codec', false]]);
    expect([outcome.ok, file.mode, file.output, file.error]).toEqual([false, 'unfixable', null, 'the ffmpeg in use has no decoder for vvc: export the video again as H.264 MP4']);
  });

  it('an ffmpeg that dies with SIGSEGV: a one-line reason, no output, no crash of the tool', async () => {
    const fake = join(dir, 'segfaulting-ffmpeg');
    // answers -decoders like the real one, dies by SIGSEGV on any conversion
    await writeFile(fake, `#!/bin/sh\nfor a in "$@"; do [ "$a" = -decoders ] && exec '${toolBinary('ffmpeg', {}).path}' "$@"; done\nkill -SEGV $$\n`);
    await chmod(fake, 0o755);
    const plan: VideoPlan = {
      type: 'video', kind: 'video', source: fixture('fps-15.mp4'), extension: 'mp4', actions: [], mode: 'reencode', streams: { video: 0, audio: null },
      video: { orientation: { rotation: 0, mirrored: false }, tonemap: null, geometry: null, fps: 24, bitrateKbps: null, color: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' } },
      audio: 'none', duration: null, extendBy: 0,
    };
    process.env.FFMPEG_PATH = fake;
    try {
      const fixed = await fixFile(plan, { outputPath: join(dir, 'crash', 'out.mp4'), profile: SEED_PROFILE });
      expect(fixed).toEqual({ ok: false, output: null, cached: false, info: null, violations: [], reason: 'ffmpeg crashed (SIGSEGV) converting it: this file cannot be converted with the ffmpeg in use' });
    } finally {
      delete process.env.FFMPEG_PATH;
    }
  });
});

describe('fix: the pixel budget of the output quality', () => {
  it('a 1920×1080 reference for a 720p request (the default) is scaled into 927,408 pixels; 1080p keeps it', async () => {
    const source = await makeClip(dir, 'hd-1920x1080.mp4', { width: 1920, height: 1080, fps: 24, seconds: 2, source: 'color' });
    const request = (quality?: string) => ({ model: 'seedance-2.0-reference-to-video', prompt: 'video 1 at dusk', video_urls: [source], ...(quality && { quality }) });
    await writeFile(join(dir, 'request-720.json'), JSON.stringify(request()));
    await writeFile(join(dir, 'request-1080.json'), JSON.stringify(request('1080p')));
    const at720 = await fixTargets({ requestFile: join(dir, 'request-720.json'), outDir: join(dir, 'q720'), profile: SEED_PROFILE });
    const file = at720.jobs[0]!.files[0]!;
    expect(file.violations.map((v) => `${v.rule}:${v.severity}`)).toEqual(['video.pixels_for_quality:warning']);
    expect(file.actions).toEqual([{ rule: 'video.pixels_for_quality', what: 'scale down 1920×1080 → 1284×722', before: '1920×1080', after: '1284×722' }]);
    expect(at720.jobs[0]!.request.violations).toEqual([]);
    const at1080 = await fixTargets({ requestFile: join(dir, 'request-1080.json'), outDir: join(dir, 'q1080'), profile: SEED_PROFILE });
    expect(at1080.jobs[0]!.files[0]!.mode).toBe('copy');
  });
});
