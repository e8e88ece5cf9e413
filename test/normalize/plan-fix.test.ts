import { describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { planFix, type PlanOptions } from '../../src/normalize/plan-fix.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, image, video } from '../helpers/media-info.js';

const OPTIONS: PlanOptions = { fit: 'pad', audioFormat: 'mp3' };

function plan(info: MediaInfo, options: Partial<PlanOptions> = {}) {
  return planFix({ ok: true, info }, checkMedia(info, SEED_PROFILE), SEED_PROFILE, { ...OPTIONS, ...options });
}

describe('planFix: videos', () => {
  it('a conforming video is kept as it is', () => {
    expect(plan(video())).toEqual({ type: 'keep', source: 'clip.mp4', kind: 'video', extension: 'mp4', actions: [], mode: 'copy' });
  });

  it('H.264 + AAC in MKV is remuxed, nothing re-encoded', () => {
    const p = plan(video({ path: 'a.mkv', format: 'mkv', extension: 'mkv' }));
    expect(p).toMatchObject({ type: 'video', mode: 'remux', video: 'copy', audio: 'copy', extension: 'mp4', duration: null });
    expect(p.actions).toEqual([{ rule: 'video.format', what: 'container MKV → MP4', before: 'mkv', after: 'mp4' }]);
  });

  it('broken duration metadata alone is a remux', () => {
    const p = plan(video({ containerDuration: 5, streamDuration: 3, duration: 5 }));
    expect(p).toMatchObject({ type: 'video', mode: 'remux', video: 'copy', audio: 'copy' });
    expect(p.actions.map((a) => a.rule)).toEqual(['video.duration_mismatch']);
  });

  it('VP9 + Opus in WebM at 15 fps: one re-encode to H.264 24 fps + AAC', () => {
    const p = plan(video({ path: 'a.webm', format: 'webm', extension: 'webm', videoCodec: 'vp9', audioCodec: 'opus', fps: 15 }));
    expect(p).toMatchObject({ type: 'video', mode: 'reencode', audio: 'aac', video: { geometry: null, fps: 24, bitrateKbps: null } });
    expect(p.actions.map((a) => [a.rule, a.what])).toEqual([
      ['video.format', 'container WEBM → MP4'],
      ['video.codec', 're-encode vp9 → H.264'],
      ['video.fps', 'frame rate 15 → 24 fps'],
      ['video.audio_codec', 'audio opus → AAC'],
    ]);
  });

  it('120 fps is lowered to 60, VFR becomes constant', () => {
    expect(plan(video({ fps: 120 }))).toMatchObject({ video: { fps: 60 } });
    expect(plan(video({ fps: 29.97, variableFrameRate: true }))).toMatchObject({ mode: 'reencode', video: { fps: 29.97 }, audio: 'copy' });
  });

  it('640×360 is scaled up to 854×480', () => {
    const p = plan(video({ width: 640, height: 360, storedWidth: 640, storedHeight: 360 }));
    expect(p).toMatchObject({ mode: 'reencode', video: { geometry: { width: 854, height: 480 } } });
    expect(p.actions[0]).toEqual({ rule: 'video.pixels', what: 'scale up 640×360 → 854×480', before: '640×360', after: '854×480' });
  });

  it('a rotated 4K phone video comes down to the pixel cap, rotation baked in under the rule that re-encodes it', () => {
    const p = plan(video({ width: 2160, height: 3840, storedWidth: 3840, storedHeight: 2160, rotation: 90 }));
    expect(p).toMatchObject({ mode: 'reencode', video: { geometry: { width: 1082, height: 1926 }, orientation: { rotation: 90, mirrored: false } } });
    expect(p.actions.map((a) => [a.rule, a.what])).toEqual([
      ['video.pixels', 'scale down 2160×3840 → 1082×1926'],
      ['video.pixels', 'rotation 90° applied to the pixels (shown portrait)'],
    ]);
  });

  it('for 720p output (a request without quality) the same clip comes down to the 927,408-pixel budget', () => {
    const p = plan(video({ width: 2160, height: 3840, storedWidth: 3840, storedHeight: 2160, rotation: 90 }), { pixelBudget: 927_408 });
    expect(p).toMatchObject({ mode: 'reencode', video: { geometry: { width: 722, height: 1284 } } });
    expect(p.actions[0]).toEqual({ rule: 'video.pixels', what: 'scale down 2160×3840 → 722×1284', before: '2160×3840', after: '722×1284' });
    const hd = plan(video({ width: 1920, height: 1080, storedWidth: 1920, storedHeight: 1080 }), { pixelBudget: 927_408 });
    expect(hd.actions).toEqual([{ rule: 'video.pixels_for_quality', what: 'scale down 1920×1080 → 1284×722', before: '1920×1080', after: '1284×722' }]);
  });

  it('an out-of-range aspect ratio is padded by default, cropped with fit crop', () => {
    const wide = video({ width: 1280, height: 400, storedWidth: 1280, storedHeight: 400 });
    expect(plan(wide).actions[0]!.what).toBe('pad 1280×400 → 1280×512');
    expect(plan(wide, { fit: 'crop' }).actions[0]!.what).toBe('crop to 1000×400, scale up 1280×400 → 1012×406');
  });

  it('too short: extended just over 2 s with the audio re-encoded (padded with silence)', () => {
    const p = plan(video({ duration: 1, containerDuration: 1, streamDuration: 1, videoDuration: 1 }));
    expect(p).toMatchObject({ mode: 'reencode', duration: 2.1, extendBy: 1.1, audio: 'aac' });
    expect(p.actions.map((a) => a.what)).toEqual(['extend 1 s → 2.1 s (last frame held, silence added)']);
  });

  it('a 1.875 s video track beside 2.005 s of audio is extended by its track, not kept', () => {
    const p = plan(video({ duration: 2.005, containerDuration: 2.005, streamDuration: 2.005, videoDuration: 1.875, audioDuration: 2.005 }));
    expect(p).toMatchObject({ mode: 'reencode', duration: 2.1, extendBy: 0.23, audio: 'aac' });
    expect(p.actions.map((a) => a.what)).toEqual(['extend 1.88 s → 2.1 s (last frame held, silence added)']);
  });

  it('too long: trimmed just under 15 s', () => {
    const p = plan(video({ duration: 20, containerDuration: 20, streamDuration: 20 }));
    expect(p).toMatchObject({ duration: 14.9, extendBy: 0 });
    expect(p.actions[0]).toEqual({ rule: 'video.duration', what: 'trim 20 s → 14.9 s (from the start)', before: 20, after: 14.9 });
  });

  it("a share of the request's 15 s trims a conforming clip, cited to the aggregate rule", () => {
    const p = plan(video({ duration: 6, containerDuration: 6, streamDuration: 6 }), { durationShare: 4.9 });
    expect(p.actions).toEqual([{ rule: 'request.video_total_duration', what: 'trim 6 s → 4.9 s (from the start)', before: 6, after: 4.9 }]);
  });

  it('over 50 MB: a bitrate from the cap with headroom, minus the audio track', () => {
    const p = plan(video({ sizeBytes: 60_000_000, duration: 10, containerDuration: 10, streamDuration: 10 }));
    // 50 MB × 0.9 × 8 bits / 10 s = 36,000 kb/s, less 128 kb/s of AAC
    expect(p).toMatchObject({ mode: 'reencode', video: { bitrateKbps: 35_872 } });
  });

  it('an odd-sized video is kept when nothing else is wrong, made even when re-encoded', () => {
    expect(plan(video({ width: 1001, height: 721, storedWidth: 1001, storedHeight: 721 })).type).toBe('keep');
    expect(plan(video({ width: 1001, height: 721, storedWidth: 1001, storedHeight: 721, fps: 15 }))).toMatchObject({ video: { geometry: { width: 1002, height: 722 } } });
  });

  it('HEVC alone is kept (a warning the provider accepts)', () => {
    expect(plan(video({ videoCodec: 'hevc' })).type).toBe('keep');
  });
});

describe('planFix: images', () => {
  it('a PNG named .jpg is copied under .png', () => {
    expect(plan(image({ path: 'x.jpg', format: 'png', extension: 'jpg', extensionMatches: false }))).toEqual({
      type: 'keep', source: 'x.jpg', kind: 'image', extension: 'png', mode: 'copy',
      actions: [{ rule: 'file.extension_mismatch', what: 'rename .jpg → .png to match the PNG bytes', before: 'jpg', after: 'png' }],
    });
  });

  it.each([
    ['bmp', false, 'jpeg', 'jpg', 'ffmpeg'],
    ['tiff', false, 'jpeg', 'jpg', 'sharp'],
    ['gif', true, 'png', 'png', 'sharp'],
    ['avif', false, 'jpeg', 'jpg', 'sharp'],
    ['svg', true, 'png', 'png', 'sharp'],
  ] as const)('%s (alpha %s) → %s', (format, hasAlpha, target, extension, decoder) => {
    expect(plan(image({ path: `x.${format}`, format, extension: format, hasAlpha }))).toMatchObject({ type: 'image', format: target, extension, decoder, geometry: null });
  });

  it('a 7000×3000 JPEG with EXIF orientation 6 is scaled to fit 6000 and turned upright', () => {
    const p = plan(image({ width: 3000, height: 7000, storedWidth: 7000, storedHeight: 3000, orientation: 6 }));
    expect(p).toMatchObject({ type: 'image', format: 'jpeg', autoOrient: true, geometry: { width: 2571, height: 6000 } });
    expect(p.actions.map((a) => a.what)).toEqual(['scale down 3000×7000 → 2571×6000', 'EXIF orientation 6 applied to the pixels']);
  });

  it('an image over 30 MB is recompressed under the cap', () => {
    const p = plan(image({ format: 'png', extension: 'png', sizeBytes: 38_000_000 }));
    expect(p).toMatchObject({ type: 'image', format: 'png', maxBytes: 30_000_000 });
    expect(p.actions).toEqual([{ rule: 'image.size', what: 'recompress to stay under 30 MB', before: 38_000_000, after: null }]);
  });
});

describe('planFix: audio', () => {
  it.each([
    ['flac', 'mp3', 'mp3'],
    ['ogg', 'mp3', 'mp3'],
    ['m4a', 'mp3', 'mp3'],
    ['flac', 'wav', 'pcm_s16le'],
  ] as const)('%s → %s', (format, audioFormat, codec) => {
    expect(plan(audio({ path: `a.${format}`, format, extension: format, audioCodec: format }), { audioFormat })).toMatchObject({ type: 'audio', codec, extension: audioFormat });
  });

  it('a 1 s WAV stays WAV, padded with silence past 2 s by a margin (2.1 s)', () => {
    expect(plan(audio({ path: 'a.wav', format: 'wav', extension: 'wav', audioCodec: 'pcm_s16le', duration: 1, containerDuration: 1, streamDuration: 1 }))).toMatchObject({ codec: 'pcm_s16le', extension: 'wav', duration: 2.1, extendBy: 1.1, bitrateKbps: null });
  });

  it('a 20 s MP3 is trimmed under 15 s', () => {
    expect(plan(audio({ duration: 20, containerDuration: 20, streamDuration: 20 }))).toMatchObject({ codec: 'mp3', duration: 14.9, bitrateKbps: 192 });
  });

  it('an oversized WAV becomes MP3', () => {
    const p = plan(audio({ path: 'a.wav', format: 'wav', extension: 'wav', audioCodec: 'pcm_f32le', sizeBytes: 18_000_000, duration: 12, containerDuration: 12, streamDuration: 12 }));
    expect(p).toMatchObject({ codec: 'mp3', extension: 'mp3', bitrateKbps: 192 });
    expect(p.actions.map((a) => a.what)).toEqual(['convert to MP3 at 192 kb/s to stay under 15 MB']);
  });

  it('a file that cannot be read is unfixable, with the probe’s reason', () => {
    const p = planFix({ ok: false, failure: { path: 'e.mp4', code: 'empty', detail: 'it is empty (0 bytes)', extension: 'mp4', sizeBytes: 0, format: null } }, [], SEED_PROFILE, OPTIONS);
    expect(p).toEqual({ type: 'unfixable', source: 'e.mp4', kind: null, extension: 'mp4', actions: [], mode: 'unfixable', reason: 'it is empty (0 bytes)' });
  });
});
