import { describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { planFix, type PlanOptions } from '../../src/normalize/plan-fix.js';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, image } from '../helpers/media-info.js';

const OPTIONS: PlanOptions = { fit: 'pad', audioFormat: 'mp3' };

function plan(info: MediaInfo) {
  return planFix({ ok: true, info }, checkMedia(info, SEED_PROFILE), SEED_PROFILE, OPTIONS);
}

describe('planFix: images by decoder', () => {
  it.each([
    ['heic', 'heic'],
    ['psd', 'ffmpeg'],
    ['jp2', 'ffmpeg'],
    ['bmp', 'ffmpeg'],
    ['tiff', 'sharp'],
  ] as const)('%s is converted to JPEG, decoded by %s', (format, decoder) => {
    expect(plan(image({ path: `a.${format}`, format, extension: format }))).toMatchObject({ type: 'image', format: 'jpeg', extension: 'jpg', decoder });
  });

  it('JPEG XL: unfixable, with the reason check gave', () => {
    expect(plan(image({ path: 'a.jxl', format: 'jxl', extension: 'jxl' }))).toEqual({ type: 'unfixable', mode: 'unfixable', source: 'a.jxl', kind: 'image', extension: 'jxl', actions: [], reason: 'not fixable: no decoder for jpegxl here: export it as JPEG or PNG (rule image.format)' });
  });

  it('a PSD whose trial decode failed: unfixable', () => {
    expect(plan(image({ path: 'a.psd', format: 'psd', extension: 'psd', decodeError: 'Not enough data for rle scanline' }))).toMatchObject({ type: 'unfixable', reason: 'not fixable: the PSD decoder here cannot read it (Not enough data for rle scanline): export it as JPEG or PNG (rule image.format)' });
  });

  it('a 16,000 × 9,000 WebP: unfixable (decoded whole, past 100 MP); a 20,000 × 14,000 JPEG: scaled to 6,000 × 4,200', () => {
    expect(plan(image({ format: 'webp', extension: 'webp', width: 16_000, height: 9_000, storedWidth: 16_000, storedHeight: 9_000 }))).toMatchObject({ type: 'unfixable', reason: 'not fixable: export the image again at most 6,000 px a side (rule file.too_large_to_decode)' });
    expect(plan(image({ width: 20_000, height: 14_000, storedWidth: 20_000, storedHeight: 14_000 }))).toMatchObject({ type: 'image', format: 'jpeg', decoder: 'sharp', geometry: { width: 6000, height: 4200 } });
  });

  it('a CMYK JPEG that breaks nothing else is re-encoded for its colours', () => {
    const p = plan(image({ colorSpace: 'cmyk' }));
    expect(p).toMatchObject({ type: 'image', format: 'jpeg', geometry: null });
    expect(p.actions).toEqual([{ rule: 'image.color_space', what: 'colours CMYK → sRGB', before: 'cmyk', after: 'srgb' }]);
  });
});

describe('planFix: audio', () => {
  it('too short: extended 0.1 s past the minimum, as trims stop 0.1 s under the maximum', () => {
    expect(plan(audio({ duration: 1.73, containerDuration: 1.73, streamDuration: 1.73 }))).toMatchObject({ type: 'audio', codec: 'mp3', duration: 2.1, extendBy: 0.37 });
  });

  it('no samples: unfixable, never 2 s of silence', () => {
    expect(plan(audio({ path: 'a.wav', format: 'wav', extension: 'wav', audioCodec: 'pcm_s16le', duration: 0, containerDuration: 0, streamDuration: 0 }))).toMatchObject({ type: 'unfixable', reason: 'not fixable: nothing to extend: export or record the audio again (rule audio.duration)' });
  });

  it.each([
    ['a GSM WAV becomes PCM WAV', { path: 'a.wav', format: 'wav', extension: 'wav', audioCodec: 'gsm_ms' }, { codec: 'pcm_s16le', extension: 'wav' }, 'gsm_ms in WAV → PCM WAV'],
    ['MPEG layer II in a .mp3 becomes MP3', { audioCodec: 'mp2' }, { codec: 'mp3', extension: 'mp3', bitrateKbps: 192 }, 'mp2 → MP3'],
  ] as const)('%s', (_name, fields, expected, what) => {
    const p = plan(audio(fields));
    expect(p).toMatchObject({ type: 'audio', ...expected });
    expect(p.actions.map((a) => a.what)).toEqual([what]);
  });

  it('a conforming PCM WAV and an MP3 are kept', () => {
    expect(plan(audio({ path: 'a.wav', format: 'wav', extension: 'wav', audioCodec: 'pcm_s24le' })).type).toBe('keep');
    expect(plan(audio()).type).toBe('keep');
  });
});
