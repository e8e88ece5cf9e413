/**
 * The check bench's folder: 200 mixed media files (about ten distinct sources, each copied under many names), made once
 * in the temporary folder and reused while it still holds exactly that many. Shared by bench/check.bench.ts and
 * bench/report.bench.ts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolBinary } from '../src/probe/binaries.js';

export const mediaDir = join(tmpdir(), 'seedance-bench-check-200');

const ffmpeg = (...args: string[]) => execFileSync(toolBinary('ffmpeg').path, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
const testsrc = (size: string, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`];
const tone = (seconds: number, rate = 44100) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p'];
const vp9 = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'];
const aac = ['-c:a', 'aac', '-b:a', '64k'];

/** ~10 distinct sources; each is copied under many names (copies are distinct files to the cache: own path and inode). */
const sources: { ext: string; prefix: string; copies: number; make: (path: string) => Promise<unknown> | unknown }[] = [
  { prefix: 'clip', ext: 'mp4', copies: 25, make: (p) => ffmpeg(...testsrc('854x480', 3), ...h264, p) },
  { prefix: 'clip', ext: 'mp4', copies: 15, make: (p) => ffmpeg(...testsrc('1280x720', 5), ...tone(5), ...h264, ...aac, '-shortest', p) },
  { prefix: 'clip', ext: 'mov', copies: 15, make: (p) => ffmpeg(...testsrc('1280x720', 2), ...h264, p) },
  { prefix: 'clip', ext: 'mkv', copies: 10, make: (p) => ffmpeg(...testsrc('854x480', 6), ...tone(6), ...h264, ...aac, '-shortest', p) },
  { prefix: 'clip', ext: 'webm', copies: 15, make: (p) => ffmpeg(...testsrc('854x480', 4), ...vp9, p) },
  { prefix: 'image', ext: 'jpg', copies: 30, make: async (p) => (await solid(1920, 1080)).jpeg().toFile(p) },
  { prefix: 'image', ext: 'png', copies: 20, make: async (p) => (await solid(800, 1200)).png().toFile(p) },
  { prefix: 'image', ext: 'png', copies: 10, make: async (p) => (await solid(200, 200)).png().toFile(p) }, // too small: a violation
  { prefix: 'image', ext: 'webp', copies: 20, make: async (p) => (await solid(1024, 1024)).webp().toFile(p) },
  { prefix: 'audio', ext: 'mp3', copies: 25, make: (p) => ffmpeg(...tone(4), '-c:a', 'libmp3lame', '-b:a', '64k', p) },
  { prefix: 'audio', ext: 'wav', copies: 15, make: (p) => ffmpeg(...tone(3, 16000), '-c:a', 'pcm_s16le', p) },
];
export const TOTAL = sources.reduce((n, s) => n + s.copies, 0);

// sharp is imported only to generate: a bench process without libvips loaded forks ffprobe a little faster in the baseline
async function solid(width: number, height: number) {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width, height, channels: 3, background: { r: (width * 7) % 256, g: 160, b: (height * 3) % 256 } } });
}

/** The 200 files, made once and reused while the folder still holds exactly that many. */
export async function ensureMedia(): Promise<string[]> {
  if (!existsSync(mediaDir) || readdirSync(mediaDir).length !== TOTAL) {
    rmSync(mediaDir, { recursive: true, force: true });
    mkdirSync(mediaDir, { recursive: true });
    const counters = new Map<string, number>();
    for (const [i, source] of sources.entries()) {
      const original = join(mediaDir, `.source-${i}.${source.ext}`);
      await source.make(original);
      for (let c = 0; c < source.copies; c++) {
        const n = (counters.get(source.prefix) ?? 0) + 1;
        counters.set(source.prefix, n);
        copyFileSync(original, join(mediaDir, `${source.prefix}-${n}.${source.ext}`));
      }
      rmSync(original);
    }
  }
  // natural order, so the command line reads clip-1, clip-2, … clip-10
  return readdirSync(mediaDir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => join(mediaDir, name));
}

