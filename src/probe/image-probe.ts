import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { displayedSize, type ImageInfo } from './media-info.js';
import type { FileFacts } from './ffprobe-parse.js';
import { DECODE_PIXEL_LIMIT } from './image-decoders.js';
import { heicSize } from './heic-file.js';
import { parseJxlHeader } from './jxl-header.js';

/** A JPEG XL header sits in the first bytes, behind at most a few container boxes. */
const JXL_HEADER_BYTES = 65_536;

export type ImageProbe =
  | { ok: true; info: ImageInfo }
  | { ok: false; code: 'corrupt' | 'too_large_to_decode' | 'unsupported'; detail: string };

type Sharp = (typeof import('sharp'))['default'];
const requireHere = createRequire(import.meta.url);
let sharpModule: Promise<Sharp> | undefined;
/**
 * sharp is loaded on first use, so a fully cached check never pays for it; through require, because its
 * CommonJS build loads in about half the time of its ES module build (~60 ms instead of ~130 ms measured).
 */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= new Promise<Sharp>((resolve) => resolve(requireHere('sharp') as Sharp));
  return sharpModule;
}

/** Reads an image's header with sharp; decodes it only when its end marker is missing. */
export async function probeImage(facts: FileFacts): Promise<ImageProbe> {
  if (facts.format === 'jxl') return probeJxl(facts);
  if (facts.format === 'heic') return probeHeic(facts);
  const sharp = await loadSharp();
  let meta: import('sharp').Metadata;
  try {
    meta = await sharp(facts.path, { limitInputPixels: false }).metadata();
  } catch (error) {
    return { ok: false, code: 'unsupported', detail: sharpMessage(error) };
  }
  const storedWidth = meta.width ?? 0;
  const storedHeight = meta.height ?? 0;
  if (storedWidth <= 0 || storedHeight <= 0) return { ok: false, code: 'corrupt', detail: 'the image header gives no size' };

  if (!(await hasCompleteTrailer(facts))) {
    const pixels = storedWidth * storedHeight;
    if (pixels > DECODE_PIXEL_LIMIT) {
      return {
        ok: false,
        code: 'too_large_to_decode',
        detail: `its end marker is missing and at ${storedWidth}×${storedHeight} it is too large to decode safely`,
      };
    }
    try {
      // shrink-on-load keeps this cheap, yet every byte of the compressed data is read
      await sharp(facts.path, { failOn: 'truncated', limitInputPixels: DECODE_PIXEL_LIMIT })
        .resize(32, 32, { fit: 'inside' })
        .raw()
        .toBuffer();
    } catch (error) {
      return { ok: false, code: 'corrupt', detail: `it is truncated or damaged (${sharpMessage(error)})` };
    }
  }

  return { ok: true, info: { ...facts, ...imageFacts(meta, storedWidth, storedHeight) } };
}

/** An image's facts from sharp's header reading (a local file, or the first bytes of a URL): sizes as displayed. */
export function imageFacts(meta: import('sharp').Metadata, storedWidth: number, storedHeight: number): Omit<ImageInfo, 'path' | 'format' | 'extension' | 'extensionMatches' | 'sizeBytes'> {
  const orientation = meta.orientation ?? 1;
  return {
    kind: 'image',
    ...displayedSize(storedWidth, storedHeight, orientation >= 5 && orientation <= 8),
    storedWidth,
    storedHeight,
    orientation,
    hasAlpha: meta.hasAlpha ?? false,
    frames: meta.pages ?? 1,
    colorSpace: meta.space ?? null,
  };
}

/**
 * HEIC: sized by heic-decode, which decodes it in fix (the prebuilt sharp has no HEVC decoder). libheif gives the
 * displayed size with irot/imir applied, so orientation is 1: the EXIF orientation beside it must not turn it again.
 */
async function probeHeic(facts: FileFacts): Promise<ImageProbe> {
  let size: { width: number; height: number } | null;
  try {
    size = await heicSize(facts.path);
  } catch (error) {
    return { ok: false, code: 'corrupt', detail: `libheif cannot read it (${sharpMessage(error)})` };
  }
  if (!size || size.width <= 0 || size.height <= 0) return { ok: false, code: 'corrupt', detail: 'it holds no image' };
  return { ok: true, info: { ...facts, kind: 'image', ...size, storedWidth: size.width, storedHeight: size.height, orientation: 1, hasAlpha: false, frames: 1, colorSpace: null } };
}

/** JPEG XL: neither sharp nor ffmpeg here reads it, so its size comes from our own header reader. */
async function probeJxl(facts: FileFacts): Promise<ImageProbe> {
  const head = Buffer.alloc(Math.min(JXL_HEADER_BYTES, facts.sizeBytes));
  const handle = await open(facts.path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const header = parseJxlHeader(head);
  if (!header) return { ok: false, code: 'corrupt', detail: 'its JPEG XL header cannot be read' };
  const quarterTurn = header.orientation >= 5;
  return {
    ok: true,
    info: { ...facts, kind: 'image', ...displayedSize(header.width, header.height, quarterTurn), storedWidth: header.width, storedHeight: header.height, orientation: header.orientation, hasAlpha: false, frames: 1, colorSpace: null },
  };
}

const TRAILER_BYTES = 16;

/** True when the file ends the way its format must end (JPEG EOI, PNG IEND, GIF trailer, WebP RIFF size). */
async function hasCompleteTrailer(facts: FileFacts): Promise<boolean> {
  if (!['jpeg', 'png', 'gif', 'webp'].includes(facts.format)) return true;
  const tail = Buffer.alloc(Math.min(TRAILER_BYTES, facts.sizeBytes));
  const head = Buffer.alloc(8);
  const handle = await open(facts.path, 'r');
  try {
    await handle.read(tail, 0, tail.length, facts.sizeBytes - tail.length);
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  return trailerIsComplete(facts.format, head, tail, facts.sizeBytes);
}

/** Pure: does this tail close a file of this format? */
export function trailerIsComplete(format: string, head: Buffer, tail: Buffer, sizeBytes: number): boolean {
  switch (format) {
    case 'jpeg':
      // some cameras pad after EOI; a missing EOI anywhere in the tail means a decode must prove it
      return tail.includes(Buffer.from([0xff, 0xd9]));
    case 'png':
      return tail.subarray(-8).equals(Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]));
    case 'gif':
      return tail[tail.length - 1] === 0x3b;
    case 'webp': {
      const riffSize = head.readUInt32LE(4);
      return riffSize + 8 === sizeBytes || riffSize + 9 === sizeBytes;
    }
    default:
      return true;
  }
}

function sharpMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
