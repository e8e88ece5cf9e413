import { describe, expect, it } from 'vitest';
import { DECODE_PIXEL_LIMIT, decodedPixels, imageDecoderFor } from '../../src/probe/image-decoders.js';
import type { MediaFormat } from '../../src/probe/media-info.js';

describe('imageDecoderFor', () => {
  it.each([
    ['jpeg', 'sharp'], ['png', 'sharp'], ['webp', 'sharp'], ['gif', 'sharp'], ['tiff', 'sharp'], ['avif', 'sharp'], ['svg', 'sharp'],
    ['heic', 'heic'], ['bmp', 'ffmpeg'], ['psd', 'ffmpeg'], ['jp2', 'ffmpeg'], ['jxl', null], ['mp4', null],
  ] as Array<[MediaFormat, string | null]>)('%s → %s', (format, decoder) => {
    expect(imageDecoderFor(format)).toBe(decoder);
  });
});

describe('decodedPixels: what fix holds in memory to bring an image within 6,000 px a side', () => {
  it.each([
    // JPEG: shrunk by the largest of 8, 4, 2 that does not go under the target
    ['jpeg', 20_000, 14_000, 10_000 * 7_000],
    ['jpeg', 48_000, 30_000, 6_000 * 3_750],
    ['jpeg', 100_000, 100_000, 12_500 * 12_500],
    ['jpeg', 11_999, 9_000, 11_999 * 9_000], // scale 1.99: no shrink
    ['jpeg', 6_000, 4_000, 24_000_000],
    // everything else is decoded whole (WebP too: measured, the prebuilt sharp does not shrink it while loading)
    ['webp', 16_000, 9_000, 144_000_000],
    ['png', 30_000, 30_000, 900_000_000],
  ] as Array<[MediaFormat, number, number, number]>)('%s %i×%i → %i', (format, width, height, pixels) => {
    expect(decodedPixels(format, width, height, 6000)).toBe(pixels);
  });

  it('bounds decoding at 100 MP', () => {
    expect(DECODE_PIXEL_LIMIT).toBe(100_000_000);
  });
});
