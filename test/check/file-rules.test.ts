import { describe, it, expect } from 'vitest';
import { checkMedia, checkProbeFailure, checkVideoForQuality } from '../../src/check/file-rules.js';
import { RULES, rulesForKind, type RuleId } from '../../src/check/rule-catalog.js';
import type { ProbeProblemCode, VideoInfo, ImageInfo, AudioInfo } from '../../src/probe/media-info.js';
import type { Profile } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { renderViolation } from '../../src/text/violation-text.js';
import { BUILTIN_PROFILES } from '../../src/spec/builtin-profiles.js';
import { audio, failure, ids, image, video } from '../helpers/media-info.js';

const seed = SEED_PROFILE;

/** Seed limits with pixels and aspect ratio opened up, so the side rule can be seen alone. */
function sidesOnly(): Profile {
  const profile = structuredClone(SEED_PROFILE);
  profile.video.pixels.value = { min: 1, max: 1e12 };
  profile.video.aspectRatio.value = { min: 0.0001, max: 10_000 };
  return profile;
}

describe('checkMedia: video boundaries (seed profile)', () => {
  const cases: Array<[string, Partial<VideoInfo>, string[]]> = [
    ['a conforming 854×480 H.264 MP4', {}, []],
    // frame rate 24–60
    ['fps 24', { fps: 24 }, []],
    ['fps 23.9', { fps: 23.9 }, ['video.fps:error']],
    ['fps 60', { fps: 60 }, []],
    ['fps 60.1', { fps: 60.1 }, ['video.fps:error']],
    ['fps 29.97 (30000/1001)', { fps: 30000 / 1001 }, []],
    ['fps unknown', { fps: null }, ['video.fps:warning']],
    // pixels 409,600–2,086,876
    ['640×640 = 409,600 pixels', { width: 640, height: 640 }, []],
    ['639×641 = 409,599 pixels', { width: 639, height: 641 }, ['video.pixels:error']],
    ['2206×946 = 2,086,876 pixels', { width: 2206, height: 946 }, []],
    ['946×2206 = 2,086,876 pixels (portrait)', { width: 946, height: 2206 }, []],
    // 2,086,877 = 13 × 229 × 701: no factorisation keeps the ratio within 0.4–2.5
    ['2977×701 = 2,086,877 pixels', { width: 2977, height: 701 }, ['video.aspect_ratio:error', 'video.pixels:error']],
    ['2207×946 = 2,087,822 pixels', { width: 2207, height: 946 }, ['video.pixels:error']],
    // no short-side rule: the documents' own table calls 1440×1440 and 1664×1248 1080p
    ['1080×1920', { width: 1080, height: 1920 }, []],
    ['1440×1440 (1:1 1080p output size)', { width: 1440, height: 1440 }, []],
    ['1664×1248 (4:3 1080p output size)', { width: 1664, height: 1248 }, []],
    // anamorphic: judged as displayed
    ['640×360 stored at SAR 2:1, shown 1280×360', { width: 1280, height: 360, storedWidth: 640, storedHeight: 360, sampleAspectRatio: 2 }, ['video.aspect_ratio:error']],
    // HDR: a warning
    ['HLG 10-bit BT.2020', { color: { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, hdr: 'hlg' } }, ['video.hdr:warning']],
    // no decoder: nothing that needs decoding is fixable
    ['VVC with no decoder', { videoCodec: 'vvc', videoDecodable: false }, ['video.codec:error']],
    // aspect ratio 0.4–2.5
    ['800×2000 = 0.4', { width: 800, height: 2000 }, []],
    ['799×2000 = 0.3995', { width: 799, height: 2000 }, ['video.aspect_ratio:error']],
    ['2000×800 = 2.5', { width: 2000, height: 800 }, []],
    ['2001×800 = 2.50125', { width: 2001, height: 800 }, ['video.aspect_ratio:error']],
    // side 300–6000 cannot break alone under the seed pixel and ratio ranges
    ['299×748: side, ratio and pixels', { width: 299, height: 748 }, ['video.dimensions:error', 'video.aspect_ratio:error', 'video.pixels:error']],
    // duration 2–15 s
    ['2 s', { duration: 2, containerDuration: 2, streamDuration: 2, videoDuration: 2 }, []],
    ['1.99 s', { duration: 1.99, containerDuration: 1.99, streamDuration: 1.99, videoDuration: 1.99 }, ['video.duration:error']],
    ['15 s', { duration: 15, containerDuration: 15, streamDuration: 15, videoDuration: 15 }, []],
    ['15.01 s', { duration: 15.01, containerDuration: 15.01, streamDuration: 15.01, videoDuration: 15.01 }, ['video.duration:error']],
    ['container 15.2 s, video track 15 s', { duration: 15.2, containerDuration: 15.2, streamDuration: 15, videoDuration: 15 }, ['video.duration:error', 'video.duration_mismatch:warning']],
    ['container 3 s, video track 1.5 s', { duration: 3, containerDuration: 3, streamDuration: 1.5, videoDuration: 1.5 }, ['video.duration:error', 'video.duration_mismatch:warning']],
    ['video track 1.875 s beside 2.005 s of audio', { duration: 2.005, containerDuration: 2.005, streamDuration: 2.005, videoDuration: 1.875, audioDuration: 2.005 }, ['video.duration:error', 'video.duration_mismatch:warning']],
    ['duration unknown', { duration: null, containerDuration: null, streamDuration: null, videoDuration: null }, ['video.duration:warning']],
    ['only the stream duration known', { duration: 3, containerDuration: null, streamDuration: 3 }, []],
    // mismatch > 0.1 s, container against the video track
    ['durations 3.1 / 3.0 (exactly 0.1 apart)', { duration: 3.1, containerDuration: 3.1, streamDuration: 3, videoDuration: 3 }, []],
    ['durations 3.0 / 3.101', { duration: 3.101, containerDuration: 3, streamDuration: 3.101, videoDuration: 3.101 }, ['video.duration_mismatch:warning']],
    ['audio 0.5 s longer than the video track', { duration: 3.5, containerDuration: 3.5, streamDuration: 3.5, videoDuration: 3, audioDuration: 3.5 }, ['video.duration_mismatch:warning']],
    // size ≤ 50 MB, MB = 10^6
    ['50,000,000 bytes', { sizeBytes: 50_000_000 }, []],
    ['50,000,001 bytes', { sizeBytes: 50_000_001 }, ['video.size:error']],
    // codecs and containers
    ['HEVC in MP4', { videoCodec: 'hevc' }, ['video.codec:warning']],
    ['ProRes in MOV', { format: 'mov', extension: 'mov', videoCodec: 'prores', audioCodec: null, hasAudio: false }, ['video.codec:error']],
    ['H.264 + AAC in MKV', { format: 'mkv', extension: 'mkv' }, ['video.format:error']],
    ['VP9 + Opus in WebM', { format: 'webm', extension: 'webm', videoCodec: 'vp9', audioCodec: 'opus' }, ['video.format:error', 'video.codec:error', 'video.audio_codec:warning']],
    ['H.264 + PCM audio in MOV', { format: 'mov', extension: 'mov', audioCodec: 'pcm_s16le' }, ['video.audio_codec:warning']],
    ['MP3 audio track', { audioCodec: 'mp3' }, []],
    ['no audio track', { audioCodec: null, hasAudio: false }, []],
    ['variable frame rate', { variableFrameRate: true }, ['video.vfr:warning']],
    ['VFR with an average of 17 fps', { variableFrameRate: true, fps: 375 / 22 }, ['video.fps:error', 'video.vfr:warning']],
    // extension vs content
    ['MP4 bytes named .mov', { extension: 'mov', extensionMatches: false }, ['file.extension_mismatch:warning']],
    ['MOV bytes named .mp4', { format: 'mov', extension: 'mp4', extensionMatches: false }, ['file.extension_mismatch:warning']],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(ids(checkMedia(video(overrides), seed))).toEqual(expected);
  });

  it('judges the displayed size of a rotated video, not the stored one', () => {
    // stored 1280×400 (ratio 3.2) turned by 90°: displayed 400×1280 (ratio 0.3125)
    const rotated = video({ storedWidth: 1280, storedHeight: 400, width: 400, height: 1280, rotation: 90 });
    const [violation, ...rest] = checkMedia(rotated, seed);
    expect(rest).toEqual([]); // 400 × 1280 = 512,000 pixels
    expect(violation).toMatchObject({ rule: 'video.aspect_ratio', actual: 0.313 });
    expect(violation!.problem).toBe(
      'aspect ratio (width / height) is 0.31 (400×1280)',
    );
    // portrait 480×854 stored as 854×480 with rotation 90 passes like any 854×480
    expect(checkMedia(video({ width: 480, height: 854, storedWidth: 854, storedHeight: 480, rotation: 90 }), seed)).toEqual([]);
  });

  it('the side rule at 300 and 6000 px, alone when the other ranges are opened', () => {
    const profile = sidesOnly();
    const check = (width: number, height: number) => ids(checkMedia(video({ width, height }), profile));
    expect(check(300, 300)).toEqual([]);
    expect(check(299, 300)).toEqual(['video.dimensions:error']);
    expect(check(300, 299)).toEqual(['video.dimensions:error']);
    expect(check(6000, 6000)).toEqual([]);
    expect(check(6001, 6000)).toEqual(['video.dimensions:error']);
    expect(check(6001, 6001)).toEqual(['video.dimensions:error', 'video.dimensions:error']);
    const [v] = checkMedia(video({ width: 480, height: 6001 }), profile);
    expect(v).toEqual({
      rule: 'video.dimensions',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { min: 300, max: 6000, unit: 'px' },
      actual: 6001,
      problem: 'video height is 6,001 px (480×6001 as displayed)',
      fix: 'scale down so the height is at most 6000 px, keeping the aspect ratio',
      fixable: true,
      source: SEED_PROFILE.video.side.source,
    });
  });

  it('uses the strict-927k pixel cap when that profile is chosen', () => {
    const strict = BUILTIN_PROFILES['strict-927k']!;
    expect(ids(checkMedia(video({ width: 834, height: 1112 }), strict))).toEqual([]);
    const [v] = checkMedia(video({ width: 835, height: 1112 }), strict);
    expect(v).toMatchObject({ rule: 'video.pixels', actual: 928_520, limit: { min: 409_600, max: 927_408, unit: 'pixels' }, fix: 'scale down, keeping the aspect ratio' });
    expect(v!.problem).toBe('frame is 835×1112 = 928,520 pixels');
  });

  it('the exact violation for each video rule', () => {
    const one = (overrides: Partial<VideoInfo>, subject?: string) => {
      const out = checkMedia(video(overrides), seed, subject);
      expect(out).toHaveLength(1);
      return out[0]!;
    };
    expect(one({ fps: 23.9 })).toEqual({
      rule: 'video.fps',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { min: 24, max: 60, unit: 'fps' },
      actual: 23.9,
      problem: 'frame rate is 23.9 fps',
      fix: 'raise the frame rate to 24 fps',
      fixable: true,
      source: SEED_PROFILE.video.fps.source,
    });
    expect(one({ fps: 60.1 })).toMatchObject({ actual: 60.1, fix: 'lower the frame rate to 60 fps' });
    expect(one({ fps: 1000 / 41.7 })).toMatchObject({ actual: 23.981 }); // rounded to three places
    expect(one({ fps: 23.9996 })).toMatchObject({ actual: 23.999 }); // not 24, which is allowed
    expect(one({ fps: 60.0004 })).toMatchObject({ actual: 60.001 }); // not 60
    expect(one({ fps: null })).toEqual({
      rule: 'video.fps',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: { min: 24, max: 60, unit: 'fps' },
      actual: null,
      problem: 'frame rate cannot be determined',
      fix: 're-encode at a constant 24–60 fps',
      fixable: true,
      source: SEED_PROFILE.video.fps.source,
    });

    const pixels = one({ width: 639, height: 641 }, 'media/a.mp4');
    expect(pixels).toEqual({
      rule: 'video.pixels',
      severity: 'error',
      subject: 'media/a.mp4',
      limit: { min: 409_600, max: 2_086_876, unit: 'pixels' },
      actual: 409_599,
      problem: 'frame is 639×641 = 409,599 pixels',
      fix: 'scale up, keeping the aspect ratio',
      fixable: true,
      source: SEED_PROFILE.video.pixels.source,
    });
    expect(one({ width: 2207, height: 946 })).toMatchObject({ actual: 2_087_822, fix: 'scale down, keeping the aspect ratio' });


    expect(one({ width: 2100, height: 800 })).toEqual({
      rule: 'video.aspect_ratio',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { min: 0.4, max: 2.5, unit: 'ratio' },
      actual: 2.625,
      problem: 'aspect ratio (width / height) is 2.63 (2100×800)',
      fix: 'pad to the nearest allowed ratio (or crop with --fit crop)',
      fixable: true,
      source: SEED_PROFILE.video.aspectRatio.source,
    });
    // actual never rounds onto the range it broke: 799 / 2000 = 0.3995 reads 0.399, not 0.4
    expect(one({ width: 799, height: 2000 })).toMatchObject({ actual: 0.399 });
    expect(one({ width: 2001, height: 800 })).toMatchObject({ actual: 2.501 });

    expect(one({ duration: 1.5, containerDuration: 1.5, streamDuration: 1.5, videoDuration: 1.5 })).toEqual({
      rule: 'video.duration',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { min: 2, max: 15, unit: 's' },
      actual: 1.5,
      problem: 'lasts 1.5 s',
      fix: 'extend to 2.1 s (freeze the last frame, pad audio with silence)',
      fixable: true,
      source: SEED_PROFILE.video.duration.source,
    });
    expect(one({ duration: 16, containerDuration: 16, streamDuration: 16, videoDuration: 16 })).toMatchObject({
      actual: 16,
      problem: 'lasts 16 s',
      fix: 'trim to 15 s',
    });
    expect(one({ duration: 15.0004, containerDuration: 15.0004, streamDuration: 15.0004, videoDuration: 15.0004 })).toMatchObject({ actual: 15.001 });
    expect(one({ duration: 1.9996, containerDuration: 1.9996, streamDuration: 1.9996, videoDuration: 1.9996 })).toMatchObject({ actual: 1.999 });
    expect(one({ duration: null, containerDuration: null, streamDuration: null, videoDuration: null })).toEqual({
      rule: 'video.duration',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: { min: 2, max: 15, unit: 's' },
      actual: null,
      problem: 'duration cannot be determined',
      fix: 'remux to rebuild the duration metadata',
      fixable: true,
      source: SEED_PROFILE.video.duration.source,
    });

    expect(one({ duration: 5, containerDuration: 5, streamDuration: 3.02, videoDuration: 3.02 })).toEqual({
      rule: 'video.duration_mismatch',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: { max: 0.1, unit: 's' },
      actual: 1.98,
      problem: 'container says 5 s but the video track lasts 3.02 s, so the provider may misread its length',
      fix: 'remux to rebuild the duration metadata',
      fixable: true,
      source: SEED_PROFILE.video.durationTolerance.source,
    });

    expect(one({ sizeBytes: 50_000_001 })).toEqual({
      rule: 'video.size',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { max: 50_000_000, unit: 'bytes' },
      bytesPerMB: 1_000_000,
      actual: 50_000_001,
      problem: 'file is 50 MB (50,000,001 bytes; 1 MB = 1,000,000 bytes)',
      fix: 're-encode at a bitrate that fits the cap',
      fixable: true,
      source: SEED_PROFILE.video.maxBytes.source,
    });

    expect(one({ videoCodec: 'hevc' })).toEqual({
      rule: 'video.codec',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: { oneOf: ['h264', 'hevc'], unit: 'value' },
      actual: 'hevc',
      problem: 'video codec is HEVC, accepted but less safe than H.264',
      fix: 're-encode to H.264 if the provider rejects it',
      fixable: true,
      source: SEED_PROFILE.video.riskyCodecs.source,
    });
    expect(one({ format: 'mov', extension: 'mov', videoCodec: 'prores', audioCodec: null })).toEqual({
      rule: 'video.codec',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { oneOf: ['h264', 'hevc'], unit: 'value' },
      actual: 'prores',
      problem: 'video codec is prores, which the provider may not decode',
      fix: 're-encode to H.264',
      fixable: true,
      source: SEED_PROFILE.video.codecs.source,
    });
    expect(one({ audioCodec: 'opus' })).toEqual({
      rule: 'video.audio_codec',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: { oneOf: ['aac', 'mp3'], unit: 'value' },
      actual: 'opus',
      problem: 'audio track codec is opus',
      fix: 're-encode the audio track to AAC',
      fixable: true,
      source: SEED_PROFILE.video.audioCodecs.source,
    });
    expect(one({ format: 'mkv', extension: 'mkv' })).toEqual({
      rule: 'video.format',
      severity: 'error',
      subject: 'clip.mp4',
      limit: { oneOf: ['mp4', 'mov'], unit: 'value' },
      actual: 'mkv',
      problem: 'container is MKV',
      fix: 'remux into MP4 without re-encoding',
      fixable: true,
      source: SEED_PROFILE.video.formats.source,
    });
    // an H.264 AVI without audio can be remuxed too; a wrong codec or audio track cannot
    expect(one({ format: 'avi', extension: 'avi', audioCodec: null }).fix).toBe('remux into MP4 without re-encoding');
    expect(checkMedia(video({ format: 'avi', extension: 'avi', videoCodec: 'mpeg4', audioCodec: null }), seed).map((v) => [v.rule, v.fix])).toEqual([
      ['video.format', 'convert to MP4 (H.264 + AAC)'],
      ['video.codec', 're-encode to H.264'],
    ]);
    expect(checkMedia(video({ format: 'mkv', extension: 'mkv', audioCodec: 'opus' }), seed).map((v) => [v.rule, v.fix])).toEqual([
      ['video.format', 'convert to MP4 (H.264 + AAC)'],
      ['video.audio_codec', 're-encode the audio track to AAC'],
    ]);

    expect(one({ variableFrameRate: true })).toEqual({
      rule: 'video.vfr',
      severity: 'warning',
      subject: 'clip.mp4',
      limit: null,
      actual: 'variable',
      problem: 'frame rate varies (variable frame rate); some decoders misjudge its duration',
      fix: 're-encode at a constant frame rate',
      fixable: true,
      source: 'docs/LIMITS.md#video.vfr; reading "Frame rate": the average frame rate is judged; a variable frame rate is a warning',
    });
  });

  it('reads MB as 2^20 bytes when the profile says so', () => {
    const binary = structuredClone(SEED_PROFILE);
    binary.bytesPerMB.value = 1_048_576;
    binary.video.maxBytes.value = 50 * 1_048_576;
    expect(checkMedia(video({ sizeBytes: 52_428_800 }), binary)).toEqual([]);
    const [v] = checkMedia(video({ sizeBytes: 52_428_801 }), binary);
    expect(v).toMatchObject({ limit: { max: 52_428_800, unit: 'bytes' }, bytesPerMB: 1_048_576, problem: 'file is 50 MB (52,428,801 bytes; 1 MB = 1,048,576 bytes)' });
  });
});

describe('checkMedia: image boundaries (seed profile)', () => {
  const cases: Array<[string, Partial<ImageInfo>, string[]]> = [
    ['a conforming 1280×720 JPEG', {}, []],
    ['PNG', { format: 'png', extension: 'png' }, []],
    ['WebP', { format: 'webp', extension: 'webp' }, []],
    ['PNG with alpha', { format: 'png', extension: 'png', hasAlpha: true }, []],
    ['GIF', { format: 'gif', extension: 'gif' }, ['image.format:error']],
    ['BMP', { format: 'bmp', extension: 'bmp' }, ['image.format:error']],
    ['TIFF', { format: 'tiff', extension: 'tif' }, ['image.format:error']],
    ['AVIF', { format: 'avif', extension: 'avif' }, ['image.format:error']],
    ['HEIC', { format: 'heic', extension: 'heic' }, ['image.format:error']],
    ['SVG', { format: 'svg', extension: 'svg' }, ['image.format:error']],
    // sides 300–6000
    ['300×300', { width: 300, height: 300 }, []],
    ['299×300', { width: 299, height: 300 }, ['image.dimensions:error']],
    ['300×299', { width: 300, height: 299 }, ['image.dimensions:error']],
    ['200×200', { width: 200, height: 200 }, ['image.dimensions:error', 'image.dimensions:error']],
    ['6000×6000', { width: 6000, height: 6000 }, []],
    ['6001×6000', { width: 6001, height: 6000 }, ['image.dimensions:error']],
    ['6000×6001', { width: 6000, height: 6001 }, ['image.dimensions:error']],
    // aspect ratio 0.4–2.5
    ['400×1000 = 0.4', { width: 400, height: 1000 }, []],
    ['399×1000 = 0.399', { width: 399, height: 1000 }, ['image.aspect_ratio:error']],
    ['2500×1000 = 2.5', { width: 2500, height: 1000 }, []],
    ['2501×1000 = 2.501', { width: 2501, height: 1000 }, ['image.aspect_ratio:error']],
    ['3000×1000 = 3', { width: 3000, height: 1000 }, ['image.aspect_ratio:error']],
    ['6001×300: side and ratio', { width: 6001, height: 300 }, ['image.dimensions:error', 'image.aspect_ratio:error']],
    // size ≤ 30 MB, MB = 10^6
    ['30,000,000 bytes', { sizeBytes: 30_000_000 }, []],
    ['30,000,001 bytes', { sizeBytes: 30_000_001 }, ['image.size:error']],
    // extension
    ['PNG bytes named .jpg', { format: 'png', extension: 'jpg', extensionMatches: false }, ['file.extension_mismatch:warning']],
    ['JPEG with no extension', { extension: '', extensionMatches: false }, ['file.extension_mismatch:warning']],
    ['GIF named .png', { format: 'gif', extension: 'png', extensionMatches: false }, ['file.extension_mismatch:warning', 'image.format:error']],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(ids(checkMedia(image(overrides), seed))).toEqual(expected);
  });

  it('judges the displayed (EXIF-oriented) size', () => {
    // stored 400×299 with orientation 6: displayed 299×400
    const [v] = checkMedia(image({ storedWidth: 400, storedHeight: 299, width: 299, height: 400, orientation: 6 }), seed);
    expect(v).toMatchObject({ rule: 'image.dimensions', actual: 299 });
    expect(v!.problem).toBe('image width is 299 px (299×400 as displayed)');
  });

  it('the exact violation for each image rule', () => {
    const [format] = checkMedia(image({ format: 'gif', extension: 'gif' }), seed);
    expect(format).toEqual({
      rule: 'image.format',
      severity: 'error',
      subject: 'photo.jpg',
      limit: { oneOf: ['jpeg', 'png', 'webp'], unit: 'value' },
      actual: 'gif',
      problem: 'format is GIF',
      fix: 'convert to JPEG',
      fixable: true,
      source: SEED_PROFILE.image.formats.source,
    });
    expect(checkMedia(image({ format: 'tiff', extension: 'tiff', hasAlpha: true }), seed)[0]!.fix).toBe('convert to PNG (it has an alpha channel)');

    const [side] = checkMedia(image({ width: 6001, height: 6000 }), seed);
    expect(side).toEqual({
      rule: 'image.dimensions',
      severity: 'error',
      subject: 'photo.jpg',
      limit: { min: 300, max: 6000, unit: 'px' },
      actual: 6001,
      problem: 'image width is 6,001 px (6001×6000 as displayed)',
      fix: 'scale down so the width is at most 6000 px, keeping the aspect ratio',
      fixable: true,
      source: SEED_PROFILE.image.side.source,
    });

    const [ratio] = checkMedia(image({ width: 390, height: 1000 }), seed);
    expect(ratio).toEqual({
      rule: 'image.aspect_ratio',
      severity: 'error',
      subject: 'photo.jpg',
      limit: { min: 0.4, max: 2.5, unit: 'ratio' },
      actual: 0.39,
      problem: 'aspect ratio (width / height) is 0.39 (390×1000)',
      fix: 'pad to the nearest allowed ratio (or crop with --fit crop)',
      fixable: true,
      source: SEED_PROFILE.image.aspectRatio.source,
    });
    expect(checkMedia(image({ width: 2501, height: 1000 }), seed)[0]!.actual).toBe(2.501);

    const [size] = checkMedia(image({ sizeBytes: 31_500_000 }), seed);
    expect(size).toEqual({
      rule: 'image.size',
      severity: 'error',
      subject: 'photo.jpg',
      limit: { max: 30_000_000, unit: 'bytes' },
      bytesPerMB: 1_000_000,
      actual: 31_500_000,
      problem: 'file is 31.5 MB (31,500,000 bytes; 1 MB = 1,000,000 bytes)',
      fix: 'recompress the image under the cap',
      fixable: true,
      source: SEED_PROFILE.image.maxBytes.source,
    });

    const [mismatch] = checkMedia(image({ path: 'png-named.jpg', format: 'png', extension: 'jpg', extensionMatches: false }), seed);
    expect(mismatch).toEqual({
      rule: 'file.extension_mismatch',
      severity: 'warning',
      subject: 'png-named.jpg',
      limit: null,
      actual: '.jpg',
      problem: 'the name ends in .jpg but the bytes are PNG',
      fix: 'write the copy as .png',
      fixable: true,
      source: 'docs/LIMITS.md#file.extension_mismatch; reading "Extension vs content": the documents list formats by extension; the bytes decide, the copy takes their extension',
    });
    const [none] = checkMedia(image({ path: 'photo', extension: '', extensionMatches: false }), seed);
    expect(none).toMatchObject({ actual: '(none)', fix: 'write the copy as .jpg' });
    expect(none!.problem).toBe('the name ends in no extension but the bytes are JPEG');
  });
});

describe('checkMedia: audio boundaries (seed profile)', () => {
  const cases: Array<[string, Partial<AudioInfo>, string[]]> = [
    ['a conforming MP3', {}, []],
    ['WAV', { format: 'wav', extension: 'wav', audioCodec: 'pcm_s16le' }, []],
    ['FLAC', { format: 'flac', extension: 'flac', audioCodec: 'flac' }, ['audio.format:error']],
    ['Ogg', { format: 'ogg', extension: 'ogg', audioCodec: 'vorbis' }, ['audio.format:error']],
    ['M4A', { format: 'm4a', extension: 'm4a', audioCodec: 'aac' }, ['audio.format:error']],
    ['AAC (ADTS)', { format: 'aac', extension: 'aac', audioCodec: 'aac' }, ['audio.format:error']],
    ['2 s', { duration: 2, containerDuration: 2, streamDuration: 2 }, []],
    ['1.99 s', { duration: 1.99, containerDuration: 1.99, streamDuration: 1.99 }, ['audio.duration:error']],
    ['15 s', { duration: 15, containerDuration: 15, streamDuration: 15 }, []],
    ['15.01 s', { duration: 15.01, containerDuration: 15.01, streamDuration: 15.01 }, ['audio.duration:error']],
    ['duration unknown', { duration: null, containerDuration: null, streamDuration: null }, ['audio.duration:warning']],
    ['container 3.3 s, stream 3 s', { duration: 3.3, containerDuration: 3.3, streamDuration: 3 }, ['audio.duration_mismatch:warning']],
    ['15,000,000 bytes', { sizeBytes: 15_000_000 }, []],
    ['15,000,001 bytes', { sizeBytes: 15_000_001 }, ['audio.size:error']],
    ['MP3 named .wav', { extension: 'wav', extensionMatches: false }, ['file.extension_mismatch:warning']],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(ids(checkMedia(audio(overrides), seed))).toEqual(expected);
  });

  it('the exact violation for each audio rule', () => {
    expect(checkMedia(audio({ path: 'tone.flac', format: 'flac', extension: 'flac', audioCodec: 'flac' }), seed)).toEqual([
      {
        rule: 'audio.format',
        severity: 'error',
        subject: 'tone.flac',
        limit: { oneOf: ['wav', 'mp3'], unit: 'value' },
        actual: 'flac',
        problem: 'format is FLAC',
        fix: 'convert to MP3',
        fixable: true,
        source: SEED_PROFILE.audio.formats.source,
      },
    ]);
    expect(checkMedia(audio({ duration: 20, containerDuration: 20, streamDuration: 20 }), seed)).toEqual([
      {
        rule: 'audio.duration',
        severity: 'error',
        subject: 'tone.mp3',
        limit: { min: 2, max: 15, unit: 's' },
        actual: 20,
        problem: 'lasts 20 s',
        fix: 'trim to 15 s',
        fixable: true,
        source: SEED_PROFILE.audio.duration.source,
      },
    ]);
    expect(checkMedia(audio({ sizeBytes: 15_000_001 }), seed)).toEqual([
      {
        rule: 'audio.size',
        severity: 'error',
        subject: 'tone.mp3',
        limit: { max: 15_000_000, unit: 'bytes' },
        bytesPerMB: 1_000_000,
        actual: 15_000_001,
        problem: 'file is 15 MB (15,000,001 bytes; 1 MB = 1,000,000 bytes)',
        fix: 're-encode as MP3 at a bitrate that fits the cap',
        fixable: true,
        source: SEED_PROFILE.audio.maxBytes.source,
      },
    ]);
    expect(checkMedia(audio({ duration: 3.3, containerDuration: 3.3, streamDuration: 3 }), seed)).toEqual([
      {
        rule: 'audio.duration_mismatch',
        severity: 'warning',
        subject: 'tone.mp3',
        limit: { max: 0.1, unit: 's' },
        actual: 0.3,
        problem: 'container says 3.3 s but the longest stream lasts 3 s, so the provider may misread its length',
        fix: 'remux to rebuild the duration metadata',
        fixable: true,
        source: SEED_PROFILE.video.durationTolerance.source,
      },
    ]);
  });
});

describe('checkProbeFailure', () => {
  const cases: Array<[ProbeProblemCode, RuleId, string]> = [
    ['not_found', 'file.not_found', 'check the path'],
    ['not_a_file', 'file.not_a_file', 'point at a media file'],
    ['unreadable', 'file.unreadable', 'make the file readable (permissions) or replace the link with the file'],
    ['empty', 'file.empty', 'export the media again'],
    ['unknown_format', 'file.unknown_format', 'replace it with an image (JPEG, PNG, WebP), a video (MP4, MOV) or audio (WAV, MP3)'],
    ['corrupt', 'file.corrupt', 'export or download the file again; a damaged file cannot be repaired'],
    ['too_large_to_decode', 'file.too_large_to_decode', 'export the image again at a smaller size'],
  ];
  it.each(cases)('%s → %s', (code, rule, fix) => {
    expect(checkProbeFailure(failure({ code, detail: 'what went wrong' }))).toEqual({
      rule,
      severity: 'error',
      subject: 'broken.mp4',
      limit: null,
      actual: code,
      problem: `what went wrong`,
      fix,
      fixable: false,
      source: `docs/LIMITS.md#${rule}; ${rule === 'file.too_large_to_decode' ? 'seedance-preflight: decoding is bounded so a decompression bomb cannot exhaust memory' : 'seedance-preflight: a file the provider would fail to read (the documents accept readable images, videos and audio only)'}`,
    });
  });

  it('uses the subject it is given', () => {
    expect(checkProbeFailure(failure(), 'shown/as.mp4').problem).toBe('it is truncated');
  });
});

describe('rulesForKind', () => {
  it('lists the kind\'s rules and the extension rule, in catalog order', () => {
    expect(rulesForKind('image')).toEqual(['file.extension_mismatch', 'image.format', 'image.dimensions', 'image.aspect_ratio', 'image.size', 'image.color_space']);
    expect(rulesForKind('audio')).toEqual(['file.extension_mismatch', 'audio.format', 'audio.codec', 'audio.duration', 'audio.duration_mismatch', 'audio.size']);
    expect(rulesForKind('video')).toEqual([
      'file.extension_mismatch', 'video.format', 'video.codec', 'video.audio_codec', 'video.dimensions',
      'video.aspect_ratio', 'video.pixels', 'video.pixels_for_quality', 'video.hdr', 'video.duration', 'video.duration_mismatch', 'video.size', 'video.fps', 'video.vfr',
    ]);
  });

  it('every rule in the catalog has a scope that matches its id prefix', () => {
    for (const [id, { scope }] of Object.entries(RULES)) expect(id.startsWith(`${scope}.`)).toBe(true);
  });
});

describe('checkMedia: video traits of real cameras and muxers', () => {
  const only = (overrides: Partial<VideoInfo>) => checkMedia(video(overrides), seed);

  it('HDR is a warning naming the transfer, bit depth and primaries', () => {
    const [v] = only({ color: { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, hdr: 'hlg' } });
    expect(v).toMatchObject({ rule: 'video.hdr', severity: 'warning', actual: 'hlg', fixable: true });
    expect(renderViolation(v!)).toBe('clip.mp4: video is HDR (HLG, 10-bit bt2020); shown as SDR it looks washed out (rule video.hdr). Fix: whenever fix re-encodes it, it tone-maps to SDR BT.709 (seedance-preflight fix does this).');
  });

  it('a codec with no decoder here: not fixable, and nothing that needs decoding is either', () => {
    const violations = only({ videoCodec: 'vvc', videoDecodable: false, fps: 15, format: 'mkv', extension: 'mkv' });
    expect(violations.map((v) => [v.rule, v.fixable])).toEqual([['video.format', false], ['video.codec', false], ['video.fps', false]]);
    expect(renderViolation(violations[1]!)).toBe('clip.mp4: video codec is vvc, which the provider may not decode; allowed: one of h264, hevc (rule video.codec). To do: not fixable here: the ffmpeg in use has no decoder for vvc; export the video again as H.264 MP4.');
  });

  it('H.264 in MKV with no decoder for it still remuxes (no decoding needed)', () => {
    expect(only({ format: 'mkv', extension: 'mkv', videoDecodable: false }).map((v) => [v.rule, v.fixable])).toEqual([['video.format', true]]);
  });

  it('MPEG-TS is named as such', () => {
    expect(only({ format: 'mpegts', extension: 'm2ts', audioCodec: 'ac3' }).map((v) => renderViolation(v))).toEqual([
      'clip.mp4: container is MPEG-TS; allowed: one of mp4, mov (rule video.format). Fix: convert to MP4 (H.264 + AAC) (seedance-preflight fix does this).',
      'clip.mp4: audio track codec is ac3; allowed: one of aac, mp3 (rule video.audio_codec). Fix: re-encode the audio track to AAC (seedance-preflight fix does this).',
    ]);
  });

  it('a video track shorter than its audio fails video.duration by the track', () => {
    const violations = only({ duration: 2.005, containerDuration: 2.005, streamDuration: 2.005, videoDuration: 1.875, audioDuration: 2.005 });
    expect(renderViolation(violations[0]!)).toBe('clip.mp4: its video track lasts 1.88 s; allowed: 2–15 s (rule video.duration). Fix: extend to 2.1 s (freeze the last frame, pad audio with silence) (seedance-preflight fix does this).');
    expect(violations[1]).toMatchObject({ rule: 'video.duration_mismatch', actual: 0.13 });
  });

  it('an anamorphic frame names its stored size', () => {
    const [v] = only({ width: 1280, height: 300, storedWidth: 640, storedHeight: 300, sampleAspectRatio: 2, fps: 30 }).filter((x) => x.rule === 'video.pixels');
    expect(renderViolation(v!)).toBe('clip.mp4: frame is 1280×300 (stored 640×300, pixels 2× as wide as tall) = 384,000 pixels; allowed: 409,600–2,086,876 pixels (rule video.pixels). Fix: scale up, keeping the aspect ratio (seedance-preflight fix does this).');
  });
});

describe('checkVideoForQuality: the pixel budget of the output quality', () => {
  const big = video({ width: 1920, height: 1080, storedWidth: 1920, storedHeight: 1080 });
  it.each([
    [undefined, ['video.pixels_for_quality:warning']],
    ['480p', ['video.pixels_for_quality:warning']],
    ['720p', ['video.pixels_for_quality:warning']],
    ['1080p', []],
    ['4k', []],
  ] as const)('quality %s', (quality, expected) => {
    expect(ids(checkVideoForQuality(big, quality, seed))).toEqual(expected);
  });

  it('834×1112 = 927,408 is inside; the warning says what the default quality uses', () => {
    expect(checkVideoForQuality(video({ width: 834, height: 1112 }), undefined, seed)).toEqual([]);
    expect(renderViolation(checkVideoForQuality(big, undefined, seed)[0]!)).toBe('clip.mp4: frame is 1920×1080 = 2,073,600 pixels, more than 720p (the default quality) output uses; allowed: at most 927,408 pixels (rule video.pixels_for_quality). Fix: scale down into the budget, keeping the aspect ratio (seedance-preflight fix does this).');
  });
});
