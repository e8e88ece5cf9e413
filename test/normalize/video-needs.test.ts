import { describe, expect, it } from 'vitest';
import { planFix } from '../../src/normalize/plan-fix.js';
import { videoNeeds, type VideoNeeds } from '../../src/normalize/video-needs.js';
import type { VideoInfo } from '../../src/probe/media-info.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { video } from '../helpers/media-info.js';

const HLG = { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, hdr: 'hlg' as const };
const needs = (overrides: Partial<VideoInfo>, pixelBudget?: number) => videoNeeds(video(overrides), SEED_PROFILE, { fit: 'pad', pixelBudget });

/** The needs that make a re-encode or a remux, as one short line each: what a table can compare. */
function summary(n: VideoNeeds): string[] {
  const out: string[] = [];
  if (n.unfixable) out.push(`unfixable: ${n.unfixable}`);
  if (n.container) out.push(`container ${n.container.from} → mp4`);
  if (n.codec) out.push(`codec ${n.codec.from} → h264`);
  if (n.frame) out.push(`${n.frame.rule}: ${n.frame.from.width}×${n.frame.from.height} → ${n.frame.geometry.width}×${n.frame.geometry.height}`);
  if (n.fps) out.push(`${n.fps.rule}: ${n.fps.from} → ${n.fps.to} fps`);
  if (n.time) out.push(`${n.time.rule}: ${n.time.from} → ${n.time.to} s`);
  if (n.bitrate) out.push(`bitrate ${n.bitrate.kbps} kb/s`);
  if (n.audio) out.push(`audio ${n.audio.from} → aac`);
  if (n.durationMetadata) out.push(`duration metadata ${n.durationMetadata.container} / ${n.durationMetadata.track}`);
  return out;
}

describe('videoNeeds: read from MediaInfo and the profile, never from rule ids', () => {
  it.each([
    ['conforming', {}, []],
    ['MKV', { format: 'mkv' }, ['container mkv → mp4']],
    ['MPEG-TS from a camcorder, AC-3 audio', { format: 'mpegts', audioCodec: 'ac3' }, ['container mpegts → mp4', 'audio ac3 → aac']],
    ['ProRes', { videoCodec: 'prores' }, ['codec prores → h264']],
    ['anamorphic 640×360 at SAR 2 (shown 1280×360)', { width: 1280, height: 360, storedWidth: 640, storedHeight: 360, sampleAspectRatio: 2 }, ['video.aspect_ratio: 1280×360 → 1280×512']],
    ['mirrored portrait 360×640 (too few pixels)', { width: 360, height: 640, storedWidth: 640, storedHeight: 360, rotation: 90, mirrored: true }, ['video.pixels: 360×640 → 480×854']],
    ['stated 1000 fps', { fps: 1000 }, ['video.fps: 1000 → 60 fps']],
    ['VFR at 16.9 fps', { fps: 16.897, variableFrameRate: true }, ['video.fps: 16.897 → 24 fps']],
    ['VFR at 29.97', { fps: 29.97, variableFrameRate: true }, ['video.vfr: 29.97 → 29.97 fps']],
    ['1.875 s of pictures, 2.005 s of audio', { duration: 2.005, containerDuration: 2.005, streamDuration: 2.005, videoDuration: 1.875 }, ['video.duration: 1.88 → 2.1 s', 'duration metadata 2.005 / 1.875']],
    ['20 s', { duration: 20, containerDuration: 20, streamDuration: 20, videoDuration: 20 }, ['video.duration: 20 → 14.9 s']],
    ['60 MB over 10 s', { sizeBytes: 60_000_000, duration: 10, containerDuration: 10, streamDuration: 10, videoDuration: 10 }, ['bitrate 35872 kb/s']],
    ['VVC, no decoder, 15 fps', { videoCodec: 'vvc', videoDecodable: false, fps: 15 }, ['unfixable: the ffmpeg in use has no decoder for vvc: export the video again as H.264 MP4', 'codec vvc → h264', 'video.fps: 15 → 24 fps']],
    ['HEVC HDR that conforms: nothing (HDR alone is a warning)', { videoCodec: 'hevc', color: HLG }, []],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(summary(needs(overrides as Partial<VideoInfo>))).toEqual(expected);
  });

  it('1080p frames fit the seed range, not the 720p budget', () => {
    expect(summary(needs({ width: 1920, height: 1080 }))).toEqual([]);
    expect(summary(needs({ width: 1920, height: 1080 }, 927_408))).toEqual(['video.pixels_for_quality: 1920×1080 → 1284×722']);
  });

  it.each([
    ['untagged SD is BT.601', { storedWidth: 720, storedHeight: 480, width: 720, height: 480 }, { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m' }],
    ['untagged HD is BT.709', { storedWidth: 1280, storedHeight: 720, width: 1280, height: 720 }, { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' }],
    ['tagged BT.470BG SD keeps its tags', { color: { primaries: 'bt470bg', transfer: 'smpte170m', matrix: 'bt470bg', range: 'tv', bitDepth: 8, hdr: null } }, { primaries: 'bt470bg', transfer: 'smpte170m', matrix: 'bt470bg' }],
    ['HLG becomes BT.709', { color: HLG }, { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' }],
    ['RGB (VP9 gbrp, matrix gbr) HD: the matrix swscale converts with (BT.601), the rest as tagged or guessed', { width: 1280, height: 720, storedWidth: 1280, storedHeight: 720, color: { primaries: null, transfer: null, matrix: 'gbr', range: 'pc', bitDepth: 8, hdr: null } }, { primaries: 'bt709', transfer: 'bt709', matrix: 'smpte170m' }],
  ] as const)('output colour: %s', (_name, overrides, expected) => {
    expect(needs(overrides as Partial<VideoInfo>).color).toEqual(expected);
  });

  it('HDR sources are tone-mapped from their own tags', () => {
    expect(needs({ color: HLG }).tonemap).toEqual({ primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc' });
    expect(needs({ color: { ...HLG, transfer: null, primaries: null, matrix: null, hdr: 'dolby-vision' } }).tonemap).toEqual({ primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc' });
    expect(needs({}).tonemap).toBeNull();
  });
});

describe('planFix: what a re-encode bakes in', () => {
  const plan = (overrides: Partial<VideoInfo>) => planFix({ ok: true, info: video(overrides) }, [], SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });

  it('a 640×360 HLG clip: scaled up, tone-mapped, tagged BT.709', () => {
    const p = plan({ width: 640, height: 360, storedWidth: 640, storedHeight: 360, videoCodec: 'hevc', color: HLG, pixelFormat: 'yuv420p10le' });
    expect(p).toMatchObject({ mode: 'reencode', video: { tonemap: { transfer: 'arib-std-b67' }, color: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' }, geometry: { width: 854, height: 480 } } });
    expect(p.actions.map((a) => [a.rule, a.what])).toEqual([
      ['video.pixels', 'scale up 640×360 → 854×480'],
      ['video.hdr', 'tone-map HLG (bt2020) → SDR BT.709'],
    ]);
  });

  it('rotate + mirror: the whole matrix goes into the plan', () => {
    const p = plan({ width: 360, height: 640, storedWidth: 640, storedHeight: 360, rotation: 90, mirrored: true });
    expect(p).toMatchObject({ video: { orientation: { rotation: 90, mirrored: true }, geometry: { width: 480, height: 854 } } });
    expect(p.actions.map((a) => a.what)).toEqual(['scale up 360×640 → 480×854', 'rotation 90° and mirror applied to the pixels (shown portrait)']);
  });

  it('an anamorphic frame re-encoded for another reason comes out with square pixels at its displayed size', () => {
    const p = plan({ width: 1000, height: 480, storedWidth: 500, storedHeight: 480, sampleAspectRatio: 2, fps: 15 });
    expect(p).toMatchObject({ video: { geometry: { width: 1000, height: 480, contentWidth: 1000, contentHeight: 480, crop: null }, fps: 24 } });
    expect(p.actions.map((a) => a.what)).toEqual(['frame rate 15 → 24 fps', 'pixels made square (sample aspect ratio 2 → 1)']);
  });

  it('a re-encode keeps the presented duration; a remux leaves it alone', () => {
    expect(plan({ fps: 15, containerDuration: 4.24, duration: 4.67, streamDuration: 4.67, videoDuration: 4.24 })).toMatchObject({ mode: 'reencode', duration: 4.24 });
    expect(plan({ format: 'mkv' })).toMatchObject({ mode: 'remux', duration: null });
  });

  it('streams are kept by index: cover art or timecode never take their place', () => {
    expect(plan({ format: 'mkv', videoStreamIndex: 2, audioStreamIndex: 4, extraStreams: 3 })).toMatchObject({ streams: { video: 2, audio: 4 } });
  });

  it('no decoder: unfixable, with the reason check gave', () => {
    expect(plan({ videoCodec: 'vvc', videoDecodable: false })).toEqual({
      type: 'unfixable', source: 'clip.mp4', kind: 'video', extension: 'mp4', actions: [], mode: 'unfixable',
      reason: 'the ffmpeg in use has no decoder for vvc: export the video again as H.264 MP4',
    });
  });
});

// the plan helper's counterexample (a 2 s Matroska clip with AAC, seed 310262540): remuxed, its video track came out at 1.999 s
describe('a Matroska track within a frame of the minimum is extended: its length is the container\'s or a rounded tag', () => {
  const at = (format: VideoInfo['format'], seconds: number, fps: number) => summary(needs({ format, fps, duration: seconds, containerDuration: seconds, streamDuration: seconds, videoDuration: seconds }));
  it.each([
    ['mkv', 2.023, 24, ['container mkv → mp4', 'video.duration: 2.02 → 2.1 s']],
    ['webm', 2.03, 30, ['container webm → mp4', 'video.duration: 2.03 → 2.1 s']],
    ['webm', 2.04, 30, ['container webm → mp4']],
    ['mkv', 2.05, 24, ['container mkv → mp4']],
    ['mp4', 2.023, 24, []],
  ] as const)('%s lasting %s s at %s fps', (format, seconds, fps, expected) => {
    expect(at(format, seconds, fps)).toEqual(expected);
  });
});
