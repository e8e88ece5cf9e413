import { rm } from 'node:fs/promises';
import { DECODE_PIXEL_LIMIT } from '../probe/image-decoders.js';
import { loadSharp } from '../probe/image-probe.js';
import type { ImagePlan } from './fix-plan.js';
import { imageDecodeArgs } from './ffmpeg-args.js';
import { decodeHeic } from './decode-heic.js';
import { runFfmpeg } from './run-ffmpeg.js';
import { throwIfCancelled } from '../shared/cancel.js';

/**
 * sharp's fence on the pixels of the source as its header gives them. A JPEG shrinks while loading (by up to 8 per
 * side), so for it check has bounded what it decodes to (file.too_large_to_decode), not the header's size.
 */
async function inputPixelLimit(sharp: Awaited<ReturnType<typeof loadSharp>>, input: string): Promise<number> {
  const { format } = await sharp(input, { limitInputPixels: false }).metadata();
  return format === 'jpeg' ? DECODE_PIXEL_LIMIT * 64 : DECODE_PIXEL_LIMIT;
}

/** Quality steps tried in order until the output fits the size cap; WebP is the last resort (it keeps alpha). */
function encodingSteps(format: ImagePlan['format']): { format: ImagePlan['format']; quality: number }[] {
  const webp = [90, 80, 70, 60, 50].map((quality) => ({ format: 'webp' as const, quality }));
  if (format === 'jpeg') return [...[92, 85, 78, 70, 60, 50].map((quality) => ({ format: 'jpeg' as const, quality })), ...webp];
  if (format === 'png') return [{ format: 'png', quality: 100 }, ...webp];
  return webp;
}

export interface WrittenImage {
  format: ImagePlan['format'];
  quality: number;
  bytes: number;
}

/** Runs an image plan with sharp (after an ffmpeg decode for formats libvips cannot read); writes `output`. */
export async function writeImage(plan: ImagePlan, output: string, options: { signal?: AbortSignal } = {}): Promise<WrittenImage> {
  const sharp = await loadSharp();
  let input: string | { data: Buffer; raw: { width: number; height: number; channels: 4 } } = plan.source;
  const decoded = plan.decoder === 'ffmpeg' ? `${output}.decoded.png` : null;
  try {
    if (decoded) {
      await runFfmpeg(imageDecodeArgs(plan.source, decoded), { signal: options.signal, timeoutMs: 120_000 });
      input = decoded;
    }
    // libheif applies the HEIC's own rotation and mirror while decoding: the pixels come out as displayed
    if (plan.decoder === 'heic') input = await decodeHeic(plan.source, DECODE_PIXEL_LIMIT);
    const limitInputPixels = typeof input === 'string' ? await inputPixelLimit(sharp, input) : DECODE_PIXEL_LIMIT;
    for (const step of encodingSteps(plan.format)) {
      throwIfCancelled(options.signal, `converting ${plan.source}`);
      // first frame only (GIF), bounded decode: check has already refused pixel bombs, this is the second fence
      const source = typeof input === 'string' ? sharp(input, { limitInputPixels, pages: 1, failOn: 'error' }) : sharp(input.data, { raw: input.raw });
      // CMYK and other spaces become sRGB, the space every viewer assumes
      let image = source.toColourspace('srgb');
      if (plan.autoOrient) image = image.rotate();
      const g = plan.geometry;
      if (g) {
        const alpha = step.format !== 'jpeg';
        const background = alpha ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 0, g: 0, b: 0, alpha: 1 };
        image = image.resize(g.width, g.height, { fit: g.crop ? 'cover' : g.contentWidth !== g.width || g.contentHeight !== g.height ? 'contain' : 'fill', position: 'centre', background });
      }
      if (step.format === 'jpeg') image = image.flatten({ background: '#000000' }).jpeg({ quality: step.quality, chromaSubsampling: '4:2:0' });
      else if (step.format === 'png') image = image.png({ compressionLevel: 6 });
      else image = image.webp({ quality: step.quality });
      const { size: bytes } = await image.toFile(output);
      if (bytes <= plan.maxBytes * 0.98) return { format: step.format, quality: step.quality, bytes };
    }
    throw new Error(`no quality step brings it under ${plan.maxBytes.toLocaleString('en-US')} bytes`);
  } finally {
    if (decoded) await rm(decoded, { force: true });
  }
}
