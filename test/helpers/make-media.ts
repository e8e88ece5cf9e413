import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toolBinary } from '../../src/probe/binaries.js';
import { runProcess } from '../../src/shared/spawn.js';

/** Runs the bundled ffmpeg with an argument array; resolves with its stdout. */
export async function ffmpeg(args: readonly string[]): Promise<string> {
  const { stdout } = await runProcess(toolBinary('ffmpeg').path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);
  return stdout;
}

/** The bundled ffprobe's JSON view of a file's streams (raw, as ffprobe names things). */
export async function ffprobeStreams(path: string): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await runProcess(toolBinary('ffprobe').path, ['-v', 'error', '-show_streams', '-of', 'json', `file:${path}`]);
  return (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams;
}

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** A 440 Hz sine as AAC audio. */
  audio?: boolean;
  /** lavfi video source; `color` is far cheaper than `testsrc2` for long or large clips. */
  source?: 'testsrc2' | 'color';
  /** Pixel format of the H.264 stream (yuv444p allows odd sides). */
  pixelFormat?: string;
  container?: 'mp4' | 'mov' | 'matroska';
}

/** A small H.264 clip made with the bundled ffmpeg (ultrafast, low quality: cheap to make, real to decode). */
export async function makeClip(dir: string, name: string, spec: ClipSpec): Promise<string> {
  const path = join(dir, name);
  const size = `${spec.width}x${spec.height}`;
  const video = spec.source === 'color' ? `color=c=navy:size=${size}:rate=${spec.fps}:duration=${spec.seconds}` : `testsrc2=size=${size}:rate=${spec.fps}:duration=${spec.seconds}`;
  const audio = spec.audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${spec.seconds}`] : [];
  await ffmpeg([
    '-f', 'lavfi', '-i', video, ...audio,
    // lavfi sources round odd sizes to even ones; scale keeps the size asked for
    '-vf', `scale=${spec.width}:${spec.height}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', spec.pixelFormat ?? 'yuv420p',
    ...(spec.audio ? ['-c:a', 'aac', '-b:a', '48k'] : []),
    '-f', spec.container ?? 'mp4', `file:${path}`,
  ]);
  return path;
}

/**
 * A 3840×2160 clip whose stored top-left quarter is white, stream-copied with a 90° display rotation (the bundled
 * 2018 ffmpeg writes the display matrix only when stream-copying). ffprobe reads the matrix as 270° clockwise, so
 * the white quarter is displayed bottom-left of a 2160×3840 portrait frame.
 */
export async function makeRotated4k(dir: string, seconds = 2): Promise<string> {
  const plain = join(dir, 'plain-3840x2160.mp4');
  const rotated = join(dir, 'rotated-3840x2160.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', `color=c=black:size=3840x2160:rate=24:duration=${seconds},drawbox=x=0:y=0:w=1920:h=1080:color=white:t=fill`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', `file:${plain}`]);
  await ffmpeg(['-i', `file:${plain}`, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', `file:${rotated}`]);
  return rotated;
}

/** Uncompressed 854×480 4:2:2 video ('2vuy') in a MOV: 820 KB a frame, so 3 s are 59 MB of easy pixels. */
export async function makeRawVideoMov(dir: string, name: string, seconds: number, fps = 24): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=854x480:rate=${fps}:duration=${seconds}`, '-c:v', 'rawvideo', '-pix_fmt', 'uyvy422', '-f', 'mov', `file:${path}`]);
  return path;
}

/** Random pixels (read from /dev/urandom) coded as near-lossless MPEG-4: incompressible, the hardest case for a size cap. */
export async function makeNoiseClip(dir: string, name: string, spec: { width: number; height: number; fps: number; seconds: number }): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${spec.width}x${spec.height}`, '-r', String(spec.fps), '-i', '/dev/urandom', '-t', String(spec.seconds), '-c:v', 'mpeg4', '-q:v', '4', '-f', 'mp4', `file:${path}`]);
  return path;
}

/** A sine tone in any format ffmpeg writes, e.g. ['-c:a', 'flac'] with `format` 'flac'. */
export async function makeTone(dir: string, name: string, spec: { seconds: number; sampleRate?: number; channels?: number; codec: string[]; format: string }): Promise<string> {
  const path = join(dir, name);
  const source = `sine=frequency=440:sample_rate=${spec.sampleRate ?? 44_100}:duration=${spec.seconds}`;
  await ffmpeg(['-f', 'lavfi', '-i', source, ...(spec.channels ? ['-ac', String(spec.channels)] : []), ...spec.codec, '-f', spec.format, `file:${path}`]);
  return path;
}

/**
 * The first displayed frame (at `atSeconds`), scaled to columns × rows grey pixels: rotation applied by ffmpeg as a
 * player would. Compares pictures cheaply and shows where bright parts are.
 */
export async function greyThumbnail(path: string, columns: number, rows: number, atSeconds = 0, ffmpegPath = toolBinary('ffmpeg').path): Promise<number[]> {
  const { stdout } = await runProcessBinary(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-ss', String(atSeconds), '-i', `file:${path}`, '-frames:v', '1', '-vf', `scale=${columns}:${rows}:flags=area,format=gray`, '-f', 'rawvideo', 'pipe:1']);
  return [...stdout];
}

/** One line per video packet (its hash): equal lists mean the packets were copied, not re-encoded. */
export async function videoPacketHashes(path: string): Promise<string[]> {
  const text = await ffmpeg(['-i', `file:${path}`, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', 'pipe:1']);
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Mean absolute difference of two equal-length grey pictures (0 = identical, 255 = inverted). */
export function meanDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`pictures differ in size: ${a.length} vs ${b.length} pixels`);
  return a.reduce((sum, value, i) => sum + Math.abs(value - b[i]!), 0) / a.length;
}

/** Debian's ffmpeg (2023): an independent reading of display matrices (mirrors included) and colours, for checks only. */
export const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';

async function runProcessBinary(binary: string, args: readonly string[]): Promise<{ stdout: Buffer }> {
  // stdout as bytes: the rawvideo frame is binary, runProcess collects text
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout: Buffer.concat(chunks) }) : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
}
