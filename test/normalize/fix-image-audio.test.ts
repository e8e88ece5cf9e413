import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { fixTargets, type FixedFileReport } from '../../src/pipeline/fix-targets.js';
import type { AudioInfo, ImageInfo, MediaInfo } from '../../src/probe/media-info.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { ffmpeg, ffprobeStreams, makeTone, sha256 } from '../helpers/make-media.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-fix-image-audio-')));
afterAll(() => cleanup());

let runs = 0;
/** Fixes one file into a fresh folder, then probes and checks the output again: it must have no errors. */
async function fixOne<T extends MediaInfo>(source: string, options: { fit?: 'pad' | 'crop'; audioFormat?: 'mp3' | 'wav' } = {}): Promise<{ file: FixedFileReport; info: T }> {
  const outcome = await fixTargets({ paths: [source], outDir: join(dir, `out-${++runs}`), profile: SEED_PROFILE, ...options });
  const file = outcome.jobs[0]!.files[0]!;
  expect(file.error).toBeNull();
  expect(outcome.ok).toBe(true);
  const probe = await probeFile(file.output!);
  if (!probe.ok) throw new Error(`output does not probe: ${probe.failure.detail}`);
  expect(checkMedia(probe.info, SEED_PROFILE).filter((v) => v.severity === 'error')).toEqual([]);
  return { file, info: probe.info as T };
}

/** The RGB(A) of one pixel of an image file, as sharp decodes it (orientation not applied). */
async function pixel(path: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(path, { pages: 1 }).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]!) <= 12);

describe('fix: image formats', () => {
  it('converts a BMP (decoded by ffmpeg) to a JPEG of the same size and colour', async () => {
    const { file, info } = await fixOne<ImageInfo>(fixture('image.bmp'));
    expect([file.mode, file.actions]).toEqual(['convert', [{ rule: 'image.format', what: 'BMP → JPEG', before: 'bmp', after: 'jpeg' }]]);
    expect(file.output!.endsWith('/image.jpg')).toBe(true);
    expect([info.format, info.width, info.height, info.orientation]).toEqual(['jpeg', 400, 300, 1]);
    expect(near(await pixel(file.output!, 200, 150), [254, 0, 0])).toBe(true);
  });

  it('converts a TIFF to a JPEG', async () => {
    const { file, info } = await fixOne<ImageInfo>(fixture('image.tiff'));
    expect(file.actions).toEqual([{ rule: 'image.format', what: 'TIFF → JPEG', before: 'tiff', after: 'jpeg' }]);
    expect([info.format, info.width, info.height]).toEqual(['jpeg', 640, 480]);
  });

  it('converts an animated GIF to a PNG of its first frame', async () => {
    const gif = join(dir, 'two-frames.gif');
    // frame 0 red, frame 1 blue
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:size=640x480:rate=5:duration=0.4', '-vf', "drawbox=x=0:y=0:w=640:h=480:color=blue:t=fill:enable='gte(n,1)'", '-f', 'gif', `file:${gif}`]);
    const probe = await probeFile(gif);
    expect(probe.ok && probe.info.kind === 'image' && probe.info.frames).toBe(2);
    const { file, info } = await fixOne<ImageInfo>(gif);
    expect(file.actions).toEqual([{ rule: 'image.format', what: 'GIF → PNG (first frame)', before: 'gif', after: 'png' }]);
    expect([info.format, info.width, info.height, info.frames]).toEqual(['png', 640, 480, 1]);
    expect(near((await pixel(file.output!, 320, 240)).slice(0, 3), [255, 0, 0])).toBe(true);
  });

  it('copies PNG bytes named .jpg under a .png name, byte for byte', async () => {
    const { file, info } = await fixOne<ImageInfo>(fixture('png-named.jpg'));
    expect([file.mode, file.actions]).toEqual(['copy', [{ rule: 'file.extension_mismatch', what: 'rename .jpg → .png to match the PNG bytes', before: 'jpg', after: 'png' }]]);
    expect(file.output!.endsWith('/png-named.png')).toBe(true);
    expect([info.format, info.extensionMatches]).toEqual(['png', true]);
    expect(await sha256(file.output!)).toBe(await sha256(fixture('png-named.jpg')));
  });

  it('converts AVIF to JPEG and SVG to PNG', async () => {
    const avif = await fixOne<ImageInfo>(fixture('image.avif'));
    expect([avif.info.format, avif.info.width, avif.info.height]).toEqual(['jpeg', 640, 480]);
    const svg = await fixOne<ImageInfo>(fixture('image.svg'));
    expect(svg.file.actions).toEqual([{ rule: 'image.format', what: 'SVG → PNG', before: 'svg', after: 'png' }]);
    expect([svg.info.format, svg.info.width, svg.info.height]).toEqual(['png', 640, 480]);
  });

  it('scales a 200×200 PNG with transparency up to 300×300 and keeps the transparency', async () => {
    const source = join(dir, 'alpha-200.png');
    await sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } }).png().toFile(source);
    const { file, info } = await fixOne<ImageInfo>(source);
    expect(file.actions).toEqual([{ rule: 'image.dimensions', what: 'scale up 200×200 → 300×300', before: '200×200', after: '300×300' }]);
    expect([info.format, info.width, info.height, info.hasAlpha]).toEqual(['png', 300, 300, true]);
    expect(near(await pixel(file.output!, 150, 150), [0, 0, 255, 128])).toBe(true);
  });
});

describe('fix: image geometry and size', () => {
  let tall: string;
  beforeAll(async () => {
    tall = join(dir, 'tall-400x1200.png');
    await sharp({ create: { width: 400, height: 1200, channels: 3, background: '#ffffff' } }).png().toFile(tall);
  });

  it('pads a 400×1200 image to ratio 0.4 (480×1200), the picture whole in the middle', async () => {
    const { file, info } = await fixOne<ImageInfo>(tall);
    expect(file.actions).toEqual([{ rule: 'image.aspect_ratio', what: 'pad 400×1200 → 480×1200', before: '400×1200', after: '480×1200' }]);
    expect([info.format, info.width, info.height]).toEqual(['png', 480, 1200]);
    // transparent bars of 40 px each side (PNG keeps alpha), white picture between them
    expect(await pixel(file.output!, 10, 600)).toEqual([0, 0, 0, 0]);
    expect(await pixel(file.output!, 470, 600)).toEqual([0, 0, 0, 0]);
    expect(await pixel(file.output!, 240, 600)).toEqual([255, 255, 255, 255]);
  });

  it('crops a 400×1200 image with --fit crop to 400×1000', async () => {
    const { file, info } = await fixOne<ImageInfo>(tall, { fit: 'crop' });
    expect(file.actions).toEqual([{ rule: 'image.aspect_ratio', what: 'crop to 400×1000, 400×1200 → 400×1000', before: '400×1200', after: '400×1000' }]);
    expect([info.width, info.height]).toEqual([400, 1000]);
  });

  it('bakes EXIF orientation 6 of a 7000×3000 JPEG into upright pixels, scaled to 6000 on the long side', async () => {
    const source = join(dir, 'exif6-7000x3000.jpg');
    // the stored top-left quarter is white; orientation 6 turns it 90° clockwise, so it is shown top-right
    await sharp({ create: { width: 7000, height: 3000, channels: 3, background: '#202020' } })
      .composite([{ input: { create: { width: 3500, height: 1500, channels: 3, background: '#ffffff' } }, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(source);
    const { file, info } = await fixOne<ImageInfo>(source);
    expect(file.actions).toEqual([
      { rule: 'image.dimensions', what: 'scale down 3000×7000 → 2571×6000', before: '3000×7000', after: '2571×6000' },
      { rule: 'image.dimensions', what: 'EXIF orientation 6 applied to the pixels', before: 6, after: 1 },
    ]);
    expect([info.format, info.storedWidth, info.storedHeight, info.orientation, info.width, info.height]).toEqual(['jpeg', 2571, 6000, 1, 2571, 6000]);
    expect(near(await pixel(file.output!, 2000, 1000), [255, 255, 255])).toBe(true);
    expect(near(await pixel(file.output!, 500, 1000), [32, 32, 32])).toBe(true);
    expect(near(await pixel(file.output!, 2000, 5000), [32, 32, 32])).toBe(true);
  });

  it('recompresses a 38 MB noise PNG under 30 MB (WebP, the last resort that keeps every pixel of the frame)', async () => {
    const source = join(dir, 'noise-3500.png');
    await sharp(randomBytes(3500 * 3500 * 3), { raw: { width: 3500, height: 3500, channels: 3 } }).png({ compressionLevel: 1 }).toFile(source);
    const before = (await stat(source)).size;
    expect(before).toBeGreaterThan(38_000_000);
    const { file, info } = await fixOne<ImageInfo>(source);
    expect(file.actions).toEqual([{ rule: 'image.size', what: 'recompress to stay under 30 MB', before, after: null }]);
    expect(file.output!.endsWith('/noise-3500.webp')).toBe(true);
    expect([info.format, info.width, info.height]).toEqual(['webp', 3500, 3500]);
    expect(info.sizeBytes).toBeLessThan(30_000_000);
  });
});

describe('fix: audio', () => {
  const expectDuration = (info: AudioInfo, seconds: number) => expect(Math.abs(info.duration! - seconds)).toBeLessThan(0.05);
  // an MP3 lasts longer than its samples by the encoder delay and the last frame's padding (~0.03–0.06 s at 44.1 kHz)
  const expectMp3Duration = (info: AudioInfo, seconds: number) => expect(info.duration! - seconds).toSatisfy((over: number) => over >= 0 && over < 0.06);

  it.each([
    ['tone.flac', 'FLAC → MP3', 'flac'],
    ['tone.ogg', 'OGG → MP3', 'ogg'],
    ['audio-only.m4a', 'M4A → MP3', 'm4a'],
  ])('converts %s to MP3, 3 s kept', async (name, what, before) => {
    const { file, info } = await fixOne<AudioInfo>(fixture(name));
    expect([file.mode, file.actions]).toEqual(['reencode', [{ rule: 'audio.format', what, before, after: 'mp3' }]]);
    expect([info.format, info.audioCodec, info.extension]).toEqual(['mp3', 'mp3', 'mp3']);
    expectMp3Duration(info, 3);
  });

  it('converts FLAC to WAV when asked (--audio-format wav)', async () => {
    const { file, info } = await fixOne<AudioInfo>(fixture('tone.flac'), { audioFormat: 'wav' });
    expect(file.actions).toEqual([{ rule: 'audio.format', what: 'FLAC → WAV', before: 'flac', after: 'wav' }]);
    expect([info.format, info.audioCodec, info.sampleRate, info.channels]).toEqual(['wav', 'pcm_s16le', 16_000, 1]);
    expectDuration(info, 3);
  });

  it('extends a 1 s WAV past 2 s with silence, with a margin: 2.1 s', async () => {
    const { file, info } = await fixOne<AudioInfo>(fixture('short-1s.wav'));
    expect(file.actions).toEqual([{ rule: 'audio.duration', what: 'extend 1 s → 2.1 s with silence', before: 1, after: 2.1 }]);
    expect([info.format, info.audioCodec, info.sampleRate]).toEqual(['wav', 'pcm_s16le', 16_000]);
    expect(info.duration).toBe(2.1);
    // the added 1.1 s is silent: 16-bit samples after 1 s are all zero
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file.output!);
    const tail = bytes.subarray(bytes.length - 16_000 * 2 * 1.1 + 400);
    expect(tail.every((b) => b === 0)).toBe(true);
  });

  it('trims a 20 s MP3 to 14.9 s', async () => {
    const { file, info } = await fixOne<AudioInfo>(fixture('long-20s.mp3'));
    expect(file.actions).toEqual([{ rule: 'audio.duration', what: 'trim 20.06 s → 14.9 s (from the start)', before: 20.06, after: 14.9 }]);
    expect(info.format).toBe('mp3');
    expectMp3Duration(info, 14.9);
  });

  it('trims a 20 s 8 kHz FLAC to an MP3 under 15 s (resampled to 44.1 kHz: 8 kHz MP3 frames would run 0.15 s over)', async () => {
    const source = await makeTone(dir, 'tone-8k-20s.flac', { seconds: 20, sampleRate: 8_000, codec: ['-c:a', 'flac'], format: 'flac' });
    const { file, info } = await fixOne<AudioInfo>(source);
    expect(file.actions.map((a) => a.what)).toEqual(['FLAC → MP3', 'trim 20 s → 14.9 s (from the start)']);
    expect(info.sampleRate).toBe(44_100);
    expectMp3Duration(info, 14.9);
  });

  it('turns an 18 MB 8-channel float WAV into a stereo MP3 under 15 MB', async () => {
    const source = await makeTone(dir, 'big-8ch.wav', { seconds: 12, sampleRate: 48_000, channels: 8, codec: ['-c:a', 'pcm_f32le'], format: 'wav' });
    const before = (await stat(source)).size;
    expect(before).toBeGreaterThan(15_000_000);
    const { file, info } = await fixOne<AudioInfo>(source);
    expect(file.actions).toEqual([{ rule: 'audio.size', what: 'convert to MP3 at 192 kb/s to stay under 15 MB', before, after: null }]);
    expect([info.format, info.channels, info.sampleRate]).toEqual(['mp3', 2, 48_000]);
    expectMp3Duration(info, 12);
    expect((await ffprobeStreams(file.output!))[0]!.bit_rate).toBe('192000');
  });
});
