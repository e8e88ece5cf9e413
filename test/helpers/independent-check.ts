import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { promisify } from 'node:util';

/**
 * An independent checker of one file against shared/spec/LIMITS.md, for the check ⇒ fix invariant test.
 * It shares nothing with src/: its own constants (from LIMITS.md's tables, MB read as 10^6 bytes) and
 * Debian's ffprobe (plus exiftool for the EXIF orientation of images, which ffprobe 5.1 does not read),
 * so a wrong limit or a wrong reading in the project cannot pass on both sides.
 */

export const DEBIAN_FFPROBE = '/usr/bin/ffprobe';
export const EXIFTOOL = '/usr/bin/exiftool';

const run = promisify(execFile);
const MB = 1_000_000;

/** LIMITS.md "Reference media", one row each. */
const LIMITS = {
  image: { formats: ['jpeg', 'png', 'webp'], side: [300, 6000], aspect: [0.4, 2.5], maxBytes: 30 * MB },
  video: { formats: ['mp4', 'mov'], duration: [2, 15], aspect: [0.4, 2.5], side: [300, 6000], pixels: [409_600, 2_086_876], maxBytes: 50 * MB, fps: [24, 60] },
  audio: { formats: ['wav', 'mp3'], duration: [2, 15], maxBytes: 15 * MB },
} as const;

/** LIMITS.md ambiguity "Codecs": H.264 (HEVC accepted) with AAC or MP3 audio. */
const VIDEO_CODECS = ['h264', 'hevc'];
const AUDIO_IN_VIDEO_CODECS = ['aac', 'mp3'];

/** The name a format is written with (LIMITS.md lists formats by extension; "Extension vs content"). */
const EXTENSIONS: Record<string, readonly string[]> = {
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  webp: ['.webp'],
  mp4: ['.mp4', '.mov'],
  mov: ['.mp4', '.mov'],
  wav: ['.wav'],
  mp3: ['.mp3'],
};

export type IndependentKind = 'image' | 'video' | 'audio';

export interface Finding {
  /** LIMITS.md's id of the rule: "video.fps". */
  rule: string;
  detail: string;
}

export interface IndependentResult {
  kind: IndependentKind | null;
  format: string | null;
  /** Width / height as displayed (sample aspect ratio, display matrix and EXIF orientation applied); null for audio. */
  displayedAspect: number | null;
  findings: Finding[];
}

/** Why the checker cannot run here, or null when it can. */
export function independentCheckerMissing(): string | null {
  const missing = [DEBIAN_FFPROBE, EXIFTOOL].filter((path) => !existsSync(path));
  return missing.length ? `${missing.join(' and ')} not found (install Debian's ffmpeg and libimage-exiftool-perl)` : null;
}

interface Stream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface Probe {
  streams?: Stream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

/** Checks one file as the provider's documents describe it; every finding names its rule. */
export async function independentCheck(path: string): Promise<IndependentResult> {
  let probe: Probe;
  try {
    const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { maxBuffer: 16 * MB, timeout: 60_000 });
    probe = JSON.parse(stdout) as Probe;
  } catch (error) {
    return { kind: null, format: null, displayedAspect: null, findings: [{ rule: 'file.readable', detail: `Debian's ffprobe cannot read it: ${firstLine(error)}` }] };
  }
  const streams = probe.streams ?? [];
  const formatName = probe.format?.format_name ?? '';
  const size = Number(probe.format?.size);
  const picture = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const sound = streams.find((s) => s.codec_type === 'audio');

  if (picture && isStillImage(formatName)) return checkImage(path, picture, size);
  if (picture) return checkVideo(path, formatName, picture, sound, probe, size);
  if (sound) return checkAudio(path, formatName, sound, probe, size);
  return { kind: null, format: formatName || null, displayedAspect: null, findings: [{ rule: 'file.media', detail: `no picture and no sound stream in ${formatName || 'an unknown format'}` }] };
}

/** LIMITS.md aspect ratio range, the same for images and videos. */
const ASPECT = LIMITS.video.aspect;
/** Even sides and whole pixels move a scaled aspect ratio a little; more than this is a squeezed or stretched picture. */
const ASPECT_TOLERANCE = 0.02;

/**
 * DESIGN.md "Fixing": the displayed aspect ratio is kept, or padded/cropped to the nearest allowed one. A finding
 * when the output's displayed shape is not the source's (clamped into the range): the picture was squeezed.
 */
export function aspectKeptFindings(source: IndependentResult, output: IndependentResult): Finding[] {
  if (source.displayedAspect === null || output.displayedAspect === null || !Number.isFinite(source.displayedAspect)) return [];
  const expected = Math.min(Math.max(source.displayedAspect, ASPECT[0]), ASPECT[1]);
  if (Math.abs(output.displayedAspect / expected - 1) <= ASPECT_TOLERANCE) return [];
  const rule = `${output.kind}.aspect_ratio`;
  return [{ rule, detail: `displayed shape ${round(output.displayedAspect)}, but the source shows ${round(source.displayedAspect)} (expected ${round(expected)}): the picture is squeezed or stretched` }];
}

function isStillImage(formatName: string): boolean {
  return formatName === 'image2' || formatName.endsWith('_pipe');
}

async function checkImage(path: string, stream: Stream, size: number): Promise<IndependentResult> {
  const limits = LIMITS.image;
  const format = ({ mjpeg: 'jpeg', png: 'png', webp: 'webp' } as Record<string, string>)[stream.codec_name ?? ''] ?? stream.codec_name ?? 'unknown';
  const findings: Finding[] = [];
  if (!limits.formats.includes(format as never)) findings.push({ rule: 'image.format', detail: `format ${format}, not one of ${limits.formats.join(', ')}` });
  findings.push(...extensionFindings(path, format));
  // EXIF orientations 5–8 turn the picture by 90°: the displayed size swaps
  const orientation = await exifOrientation(path);
  const [width, height] = orientation >= 5 && orientation <= 8 ? [stream.height ?? 0, stream.width ?? 0] : [stream.width ?? 0, stream.height ?? 0];
  findings.push(...geometryFindings('image', width, height, limits.side, limits.aspect));
  if (!(size <= limits.maxBytes)) findings.push({ rule: 'image.size', detail: `${size} bytes, above ${limits.maxBytes}` });
  return { kind: 'image', format, displayedAspect: width / height, findings };
}

function checkVideo(path: string, formatName: string, stream: Stream, sound: Stream | undefined, probe: Probe, size: number): IndependentResult {
  const limits = LIMITS.video;
  const format = formatName.split(',').includes('mp4') ? 'mp4' : formatName;
  const findings: Finding[] = [];
  if (!limits.formats.includes(format as never)) findings.push({ rule: 'video.format', detail: `container ${formatName}, not MP4/MOV` });
  findings.push(...extensionFindings(path, format));
  if (!VIDEO_CODECS.includes(stream.codec_name ?? '')) findings.push({ rule: 'video.codec', detail: `video codec ${stream.codec_name}, not one of ${VIDEO_CODECS.join(', ')}` });
  if (sound && !AUDIO_IN_VIDEO_CODECS.includes(sound.codec_name ?? '')) findings.push({ rule: 'video.audio_codec', detail: `audio codec ${sound.codec_name}, not one of ${AUDIO_IN_VIDEO_CODECS.join(', ')}` });

  // displayed size: stored size × sample aspect ratio, then turned by the display matrix
  const [sarNum, sarDen] = ratio(stream.sample_aspect_ratio);
  const sar = sarNum > 0 && sarDen > 0 ? sarNum / sarDen : 1;
  const stored = [Math.round((stream.width ?? 0) * sar), stream.height ?? 0] as const;
  const turned = Math.abs(rotationOf(stream)) % 180 === 90;
  const [width, height] = turned ? [stored[1], stored[0]] : stored;
  findings.push(...geometryFindings('video', width, height, limits.side, limits.aspect));
  const pixels = width * height;
  if (pixels < limits.pixels[0] || pixels > limits.pixels[1]) findings.push({ rule: 'video.pixels', detail: `${width}×${height} = ${pixels} pixels as displayed, outside ${limits.pixels[0]}–${limits.pixels[1]}` });

  const [num, den] = ratio(stream.avg_frame_rate);
  const fps = den > 0 ? num / den : NaN;
  if (!(fps >= limits.fps[0] && fps <= limits.fps[1])) findings.push({ rule: 'video.fps', detail: `average frame rate ${stream.avg_frame_rate} (${round(fps)} fps), outside ${limits.fps[0]}–${limits.fps[1]}` });
  findings.push(...durationFindings('video', probe, stream, limits.duration));
  if (!(size <= limits.maxBytes)) findings.push({ rule: 'video.size', detail: `${size} bytes, above ${limits.maxBytes}` });
  return { kind: 'video', format, displayedAspect: width / height, findings };
}

function checkAudio(path: string, formatName: string, stream: Stream, probe: Probe, size: number): IndependentResult {
  const limits = LIMITS.audio;
  const findings: Finding[] = [];
  if (!limits.formats.includes(formatName as never)) findings.push({ rule: 'audio.format', detail: `format ${formatName} (${stream.codec_name}), not one of ${limits.formats.join(', ')}` });
  findings.push(...extensionFindings(path, formatName));
  findings.push(...durationFindings('audio', probe, stream, limits.duration));
  if (!(size <= limits.maxBytes)) findings.push({ rule: 'audio.size', detail: `${size} bytes, above ${limits.maxBytes}` });
  return { kind: 'audio', format: formatName, displayedAspect: null, findings };
}

function geometryFindings(kind: IndependentKind, width: number, height: number, side: readonly number[], aspect: readonly number[]): Finding[] {
  const findings: Finding[] = [];
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!(value >= side[0]! && value <= side[1]!)) findings.push({ rule: `${kind}.dimensions`, detail: `${name} ${value} px as displayed (${width}×${height}), outside ${side[0]}–${side[1]}` });
  }
  const shape = width / height;
  if (!(shape >= aspect[0]! && shape <= aspect[1]!)) findings.push({ rule: `${kind}.aspect_ratio`, detail: `${width}×${height} as displayed is ${round(shape)}, outside ${aspect[0]}–${aspect[1]}` });
  return findings;
}

/** LIMITS.md "Duration tolerance": the container's duration and the longest stream's are both judged; and the file's own kind of stream must last as long. */
function durationFindings(kind: 'video' | 'audio', probe: Probe, own: Stream, range: readonly number[]): Finding[] {
  const container = seconds(probe.format?.duration);
  const streams = (probe.streams ?? []).map((s) => seconds(s.duration)).filter((d): d is number => d !== null);
  const ownSeconds = seconds(own.duration);
  const readings = [container, streams.length ? Math.max(...streams) : null, ownSeconds].filter((d): d is number => d !== null);
  if (!readings.length) return [{ rule: `${kind}.duration`, detail: 'no duration can be read' }];
  const shortest = Math.min(...readings);
  const longest = Math.max(...readings);
  const said = `container ${container ?? 'unknown'} s, ${kind} stream ${ownSeconds ?? 'unknown'} s, longest stream ${streams.length ? Math.max(...streams) : 'unknown'} s`;
  if (shortest < range[0]!) return [{ rule: `${kind}.duration`, detail: `${said}: shorter than ${range[0]} s` }];
  if (longest > range[1]!) return [{ rule: `${kind}.duration`, detail: `${said}: longer than ${range[1]} s` }];
  return [];
}

function extensionFindings(path: string, format: string): Finding[] {
  const extension = extname(path).toLowerCase();
  const expected = EXTENSIONS[format];
  if (!expected || expected.includes(extension)) return [];
  return [{ rule: 'file.extension_mismatch', detail: `named ${extension || '(no extension)'} but the bytes are ${format}` }];
}

async function exifOrientation(path: string): Promise<number> {
  const { stdout } = await run(EXIFTOOL, ['-s3', '-n', '-Orientation', path], { timeout: 60_000 });
  return Number(stdout.trim()) || 1;
}

function rotationOf(stream: Stream): number {
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  return fromMatrix ?? Number(stream.tags?.rotate ?? 0);
}

function ratio(text: string | undefined): [number, number] {
  const [num, den] = (text ?? '').split(/[:/]/).map(Number);
  return [num ?? NaN, den ?? NaN];
}

function seconds(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) ? value : null;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).split('\n')[0]!;
}
