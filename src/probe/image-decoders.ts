import type { MediaFormat } from './media-info.js';

/** What decodes an image format when it must be converted: sharp (libvips), heic-decode (libheif in WebAssembly), the bundled ffmpeg. */
export type ImageDecoder = 'sharp' | 'heic' | 'ffmpeg';

/**
 * The decoder for each image format, or null when nothing here decodes it. The prebuilt sharp has no HEVC (so no
 * HEIC), no JPEG 2000, no PSD and no JPEG XL; the bundled 2018 ffmpeg decodes BMP, PSD (uncompressed) and JPEG 2000.
 */
const DECODERS: Partial<Record<MediaFormat, ImageDecoder | null>> = {
  jpeg: 'sharp', png: 'sharp', webp: 'sharp', gif: 'sharp', tiff: 'sharp', avif: 'sharp', svg: 'sharp',
  heic: 'heic',
  bmp: 'ffmpeg', psd: 'ffmpeg', jp2: 'ffmpeg',
  jxl: null,
};

export function imageDecoderFor(format: MediaFormat): ImageDecoder | null {
  return DECODERS[format] ?? null;
}

/** Decoding stops at this many pixels (a decompression bomb stays bounded in memory). */
export const DECODE_PIXEL_LIMIT = 100_000_000;

/**
 * Pixels held in memory when decoding an image to fit `maxSide`: libvips shrinks JPEG by 2, 4 or 8 and WebP by any
 * factor while decoding; every other format is decoded whole first.
 */
export function decodedPixels(format: MediaFormat, width: number, height: number, maxSide: number): number {
  const scale = Math.max(1, Math.max(width, height) / maxSide);
  if (format === 'jpeg') {
    const shrink = [8, 4, 2].find((factor) => factor <= scale) ?? 1;
    return Math.ceil(width / shrink) * Math.ceil(height / shrink);
  }
  if (format === 'webp') return Math.ceil(width / scale) * Math.ceil(height / scale);
  return width * height;
}
