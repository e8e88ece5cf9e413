import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DECODE_PIXEL_LIMIT } from '../probe/image-decoders.js';
import { loadSharp } from '../probe/image-probe.js';
import { runTool } from '../probe/binaries.js';
import type { MediaInfo } from '../probe/media-info.js';
import { frameTimes, imageFallbackArgs, MAIN_LONG_SIDE, MAX_THUMBNAIL_BYTES, videoThumbnailArgs, waveformArgs } from './thumbnail-args.js';

/** Thumbnail files written in one folder: main.jpg, and a video's frame-N.jpg. */
export interface RenderedThumbnails {
  kind: MediaInfo['kind'];
  main: string;
  frames: string[];
  frameTimes: number[];
}

/** A thumbnail pass stops after this long: the decode is bounded in time as well as in pixels. */
const RENDER_TIMEOUT_MS = 60_000;
/** JPEG qualities tried until a thumbnail fits MAX_THUMBNAIL_BYTES. */
const SHARP_QUALITIES = [75, 60, 45, 30];

/** Renders a file's thumbnails into `dir` (which exists and is empty). Null when nothing could be drawn. */
export async function renderThumbnails(info: MediaInfo, dir: string, signal?: AbortSignal): Promise<RenderedThumbnails | null> {
  const run = (args: string[]) => runTool('ffmpeg', args, { signal, timeoutMs: RENDER_TIMEOUT_MS });
  try {
    if (info.kind === 'image') {
      // sharp shrinks JPEG and WebP while decoding them (no full-size decode); the others go through ffmpeg when sharp cannot read them
      if (!(await imageWithSharp(info.path, join(dir, 'main.jpg')))) await run(imageFallbackArgs(info.path, dir));
    } else if (info.kind === 'video') {
      await run(videoThumbnailArgs(info.path, info.duration, dir));
    } else {
      await run(waveformArgs(info.path, dir));
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    return null; // a file ffmpeg cannot draw gets a card without a picture, never a failed report
  }
  const names = new Set(await readdir(dir));
  const frames = [1, 2, 3, 4].map((n) => `frame-${n}.jpg`).filter((name) => names.has(name));
  const main = names.has('main.jpg') ? 'main.jpg' : frames[0];
  if (!main) return null;
  for (const name of [main, ...frames]) await keepUnderCap(join(dir, name));
  const times = info.kind === 'video' ? frameTimes(info.duration) : [];
  return { kind: info.kind, main, frames, frameTimes: frames.map((name) => times[Number(name.slice(6, 7)) - 1] ?? 0) };
}

async function imageWithSharp(input: string, output: string): Promise<boolean> {
  const sharp = await loadSharp();
  try {
    // rotate() applies the EXIF orientation; the first page only (GIF, multi-page TIFF); decoding bounded like the probe's
    await sharp(input, { limitInputPixels: DECODE_PIXEL_LIMIT, pages: 1, failOn: 'none' })
      .rotate()
      .resize(MAIN_LONG_SIDE, MAIN_LONG_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: SHARP_QUALITIES[0] })
      .toFile(output);
    return true;
  } catch {
    return false;
  }
}

/** Re-encodes a thumbnail at lower qualities until it is under the byte cap (busy, noisy pictures). */
async function keepUnderCap(path: string): Promise<void> {
  if ((await stat(path)).size <= MAX_THUMBNAIL_BYTES) return;
  const sharp = await loadSharp();
  const source = await sharp(path).toBuffer();
  for (const quality of SHARP_QUALITIES.slice(1)) {
    const { size } = await sharp(source).jpeg({ quality }).toFile(path);
    if (size <= MAX_THUMBNAIL_BYTES) return;
  }
  await sharp(source).resize(MAIN_LONG_SIDE / 2).jpeg({ quality: 30 }).toFile(path);
}
