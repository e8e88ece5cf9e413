import { fileArg } from '../shared/spawn.js';

/** Longest side of a main thumbnail (image, poster frame, waveform width), in pixels: the issue's bound. */
export const MAIN_LONG_SIDE = 320;
/** Longest side of each frame of a video's strip. */
const FRAME_LONG_SIDE = 160;
const STRIP_FRAMES = 4;
/** Each thumbnail stays under this many bytes: the issue's bound. */
export const MAX_THUMBNAIL_BYTES = 30_000;
/** Up to this length a video is read once from the start (cheaper than four seeks into short GOPs); past it, four seeks. */
const SEQUENTIAL_SECONDS = 30;
/** Longest stretch of audio drawn as a waveform: bounds the decode of long recordings. */
const WAVEFORM_MAX_SECONDS = 600;

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
/** JPEG quality of ffmpeg's MJPEG encoder (2 best … 31 worst): small files, clean enough at 160–320 px. */
const JPEG_Q = '5';

/** Pure: when each strip frame is taken: the middles of four equal parts of the video. */
export function frameTimes(duration: number | null): number[] {
  const d = duration !== null && duration > 0 ? duration : 1;
  return Array.from({ length: STRIP_FRAMES }, (_, i) => Math.round(((2 * i + 1) * d * 1000) / (2 * STRIP_FRAMES)) / 1000);
}

/** Square pixels, then fit inside a box of `side` keeping the aspect ratio. */
function fit(side: number): string {
  return `scale=trunc(iw*sar/2)*2:ih,setsar=1,scale=${side}:${side}:force_original_aspect_ratio=decrease`;
}

/**
 * Pure: one ffmpeg pass writing a video's poster (main.jpg, the second strip frame at 320 px) and its strip (frame-1…4.jpg).
 * The decoder applies the display rotation, so frames come out as the video is shown.
 */
export function videoThumbnailArgs(input: string, duration: number | null, dir: string): string[] {
  const times = frameTimes(duration);
  const outputs = (labels: string[]) => [
    ...labels.flatMap((label, i) => ['-map', `[f${i}]`, '-frames:v', '1', '-q:v', JPEG_Q, '-f', 'image2', fileArg(`${dir}/frame-${i + 1}.jpg`)]),
    '-map', '[p]', '-frames:v', '1', '-q:v', JPEG_Q, '-f', 'image2', fileArg(`${dir}/main.jpg`),
  ];
  if (duration !== null && duration > SEQUENTIAL_SECONDS) {
    const inputs = times.flatMap((t) => ['-ss', String(t), '-an', '-sn', '-dn', '-i', fileArg(input)]);
    const graph = [
      ...times.map((_, i) => (i === 1 ? `[1:v:0]split=2[s1][m]` : `[${i}:v:0]null[s${i}]`)),
      ...times.map((_, i) => `[s${i}]${fit(FRAME_LONG_SIDE)}[f${i}]`),
      `[m]${fit(MAIN_LONG_SIDE)}[p]`,
    ].join(';');
    return [...COMMON, ...inputs, '-filter_complex', graph, ...outputs(times.map((_, i) => `f${i}`))];
  }
  // one decode from the start: each branch keeps the first frame at or after its time (the poster shares the second)
  const graph = [
    `[0:v:0]split=${STRIP_FRAMES}${times.map((_, i) => `[s${i}]`).join('')}`,
    ...times.map((t, i) => `[s${i}]trim=start=${t},select=eq(n\\,0)${i === 1 ? `,split=2[t${i}][m]` : `[t${i}]`}`),
    ...times.map((_, i) => `[t${i}]${fit(FRAME_LONG_SIDE)}[f${i}]`),
    `[m]${fit(MAIN_LONG_SIDE)}[p]`,
  ].join(';');
  return [...COMMON, '-an', '-sn', '-dn', '-i', fileArg(input), '-filter_complex', graph, ...outputs(times.map((_, i) => `f${i}`))];
}

/** Pure: an audio file's waveform (main.jpg, 320×80), drawn from at most the first ten minutes. */
export function waveformArgs(input: string, dir: string): string[] {
  return [
    ...COMMON, '-t', String(WAVEFORM_MAX_SECONDS), '-vn', '-sn', '-dn', '-i', fileArg(input),
    // drawn over a light ground: showwavespic's own background is transparent, which JPEG would turn black
    '-filter_complex', `[0:a:0]aformat=channel_layouts=mono,showwavespic=s=${MAIN_LONG_SIDE}x80:colors=0x3b6fd6[w];color=c=0xe8edf4:s=${MAIN_LONG_SIDE}x80[g];[g][w]overlay=format=auto`,
    '-frames:v', '1', '-q:v', JPEG_Q, '-f', 'image2', fileArg(`${dir}/main.jpg`),
  ];
}

/** Pure: the first frame of an image sharp cannot open (BMP and the like), fitted into the main thumbnail. */
export function imageFallbackArgs(input: string, dir: string): string[] {
  return [...COMMON, '-i', fileArg(input), '-frames:v', '1', '-vf', fit(MAIN_LONG_SIDE), '-q:v', JPEG_Q, '-f', 'image2', fileArg(`${dir}/main.jpg`)];
}
