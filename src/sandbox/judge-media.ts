import type { MediaInfo } from '../probe/media-info.js';
import { DOCUMENTED_MEDIA, MB, type SideRange } from './documented-media.js';

type Kind = 'image' | 'video' | 'audio';

/** Why the provider would refuse a file: the parameter, the kind it was given as (null: the request as a whole), and a sentence in the sandbox's own words. */
export interface MediaProblem {
  param: string;
  kind: Kind | null;
  text: string;
}

const ARTICLE: Readonly<Record<Kind, string>> = { image: 'an image', video: 'a video', audio: 'an audio file' };

/** The first requirement of the documents a file breaks, checked in the order a server would; null when it passes. Pure. */
export function judgeMedia(param: string, kind: Kind, info: MediaInfo | null): MediaProblem | null {
  const problem = (text: string): MediaProblem => ({ param, kind, text });
  if (!info) return problem(`the file could not be decoded as ${ARTICLE[kind]}`);
  if (info.kind !== kind) return problem(`expected ${ARTICLE[kind]}, got ${ARTICLE[info.kind]} (${info.format})`);
  const rules = DOCUMENTED_MEDIA[kind];
  if (!(rules.formats as readonly string[]).includes(info.format)) return problem(`unsupported ${kind} format ${info.format}; supported formats: ${rules.formats.join(', ')}`);
  if (info.sizeBytes > rules.maxBytes) return problem(`file size ${info.sizeBytes} bytes exceeds the ${megabytes(rules.maxBytes)} limit (${rules.maxBytes} bytes)`);
  if (info.kind === 'image') return frameProblem(info, DOCUMENTED_MEDIA.image.frame, problem);
  if (info.kind === 'video') {
    const video = DOCUMENTED_MEDIA.video;
    const frame = frameProblem(info, video.frame, problem);
    if (frame) return frame;
    const pixels = info.width * info.height;
    if (pixels < video.minPixels || pixels > video.maxPixels) return problem(`pixel count (width x height) must be ${video.minPixels}-${video.maxPixels}, got ${pixels} (${info.width}x${info.height})`);
    if (info.fps === null) return problem('the frame rate could not be determined');
    if (info.fps < video.minFps || info.fps > video.maxFps) return problem(`frame rate must be ${video.minFps}-${video.maxFps} FPS, got ${round(info.fps)}`);
  }
  const limits = info.kind === 'video' ? DOCUMENTED_MEDIA.video : DOCUMENTED_MEDIA.audio;
  // the container's duration: a server reads the header, which is how broken metadata has made 4 s clips read as 0.3 s
  const seconds = info.containerDuration ?? info.duration;
  if (seconds === null) return problem('the duration could not be determined');
  if (seconds < limits.minSeconds || seconds > limits.maxSeconds) return problem(`duration must be ${limits.minSeconds}-${limits.maxSeconds} seconds, got ${seconds.toFixed(1)}`);
  return null;
}

function frameProblem(info: { width: number; height: number }, range: SideRange, problem: (text: string) => MediaProblem): MediaProblem | null {
  const { width, height } = info;
  if (Math.min(width, height) < range.minSide || Math.max(width, height) > range.maxSide) return problem(`width and height must be ${range.minSide}-${range.maxSide} px, got ${width}x${height}`);
  const aspect = width / height;
  if (aspect < range.minAspect || aspect > range.maxAspect) return problem(`aspect ratio (width/height) must be ${range.minAspect}-${range.maxAspect}, got ${aspect.toFixed(2)} (${width}x${height})`);
  return null;
}

/** The documents' limits on a request's files together: 15 s of video, 15 s of audio, 64 MB in all. Pure. */
export function judgeTotals(files: readonly { field: string; info: MediaInfo }[]): MediaProblem | null {
  for (const [field, kind] of [['video_urls', 'video'], ['audio_urls', 'audio']] as const) {
    const seconds = files.filter((f) => f.field === field).reduce((sum, f) => sum + ((f.info.kind !== 'image' ? (f.info.containerDuration ?? f.info.duration) : 0) ?? 0), 0);
    const limit = DOCUMENTED_MEDIA[kind].maxTotalSeconds;
    if (seconds > limit) return { param: field, kind, text: `total duration must be at most ${limit} seconds, got ${seconds.toFixed(1)}` };
  }
  const bytes = files.reduce((sum, f) => sum + f.info.sizeBytes, 0);
  if (bytes > DOCUMENTED_MEDIA.maxTotalBytes) return { param: 'request', kind: null, text: `the referenced files total ${bytes} bytes, over the ${megabytes(DOCUMENTED_MEDIA.maxTotalBytes)} limit (${DOCUMENTED_MEDIA.maxTotalBytes} bytes)` };
  return null;
}

function megabytes(bytes: number): string {
  return `${round(bytes / MB)}MB`;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
