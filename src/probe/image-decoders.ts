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
 * Pixels held in memory when decoding an image to fit `maxSide`: libvips shrinks JPEG by 2, 4 or 8 while decoding.
 * Every other format is decoded whole first; WebP too, as measured with this sharp (a 16,000 × 9,000 WebP scaled to
 * 6,000 px peaked at 733 MB, where a 20,000 × 14,000 JPEG peaked at 208 MB).
 */
export function decodedPixels(format: MediaFormat, width: number, height: number, maxSide: number): number {
  if (format !== 'jpeg') return width * height;
  const scale = Math.max(width, height) / maxSide;
  const shrink = [8, 4, 2].find((factor) => factor <= scale) ?? 1;
  return Math.ceil(width / shrink) * Math.ceil(height / shrink);
}
