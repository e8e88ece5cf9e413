import { displayedSize, type AudioInfo, type ImageInfo, type MediaFormat, type VideoInfo } from './media-info.js';

/** The fields of `ffprobe -print_format json -show_format -show_streams` that we read. */
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string; tags?: Record<string, string> };
}

export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number | string }>;
}

/** What the caller already knows about the file before ffprobe. */
export interface FileFacts {
  path: string;
  format: MediaFormat;
  extension: string;
  extensionMatches: boolean;
  sizeBytes: number;
}

export type ParsedProbe =
  | { ok: true; info: VideoInfo | AudioInfo }
  | { ok: false; detail: string };

/** Pixel formats that carry an alpha channel. */
const ALPHA_PIXEL_FORMATS = /^(rgba|bgra|argb|abgr|ya|yuva|gbrap)/;

/** Frame rates whose base rate and average differ by more than this fraction are called variable. */
const VFR_TOLERANCE = 0.02;

/** Turns ffprobe's JSON into MediaInfo for a video or audio file. */
export function parseFfprobe(json: string, facts: FileFacts): ParsedProbe {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    return { ok: false, detail: 'ffprobe printed output that is not JSON' };
  }
  const streams = data.streams ?? [];
  // cover art in MP3/M4A shows up as a video stream flagged attached_pic
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const containerDuration = parseSeconds(data.format?.duration);
  const streamDuration = maxOf(
    streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio').map(streamSeconds),
  );

  if (video) {
    const storedWidth = video.width ?? 0;
    const storedHeight = video.height ?? 0;
    if (storedWidth <= 0 || storedHeight <= 0) return { ok: false, detail: 'the video stream has no frame size' };
    const rotation = parseRotation(video);
    const fps = parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate);
    const baseRate = parseRate(video.r_frame_rate);
    const info: VideoInfo = {
      ...facts,
      kind: 'video',
      ...displayedSize(storedWidth, storedHeight, rotation === 90 || rotation === 270),
      storedWidth,
      storedHeight,
      rotation,
      videoCodec: video.codec_name ?? 'unknown',
      pixelFormat: video.pix_fmt ?? null,
      fps,
      variableFrameRate: fps !== null && baseRate !== null && Math.abs(baseRate - fps) / fps > VFR_TOLERANCE,
      duration: maxOf([containerDuration, streamDuration]),
      containerDuration,
      streamDuration,
      hasAudio: audio !== undefined,
      audioCodec: audio?.codec_name ?? null,
    };
    return { ok: true, info };
  }
  if (audio) {
    const info: AudioInfo = {
      ...facts,
      kind: 'audio',
      audioCodec: audio.codec_name ?? 'unknown',
      duration: maxOf([containerDuration, streamDuration]),
      containerDuration,
      streamDuration,
      sampleRate: audio.sample_rate ? Number(audio.sample_rate) : null,
      channels: audio.channels ?? null,
      hasAudio: true,
    };
    return { ok: true, info };
  }
  return { ok: false, detail: 'it holds no audio or video stream' };
}

/** Image facts from ffprobe, for formats sharp cannot read (BMP, for one). */
export function parseFfprobeImage(json: string, facts: FileFacts): ImageInfo | null {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    return null;
  }
  const stream = data.streams?.find((s) => s.codec_type === 'video');
  if (!stream?.width || !stream.height) return null;
  return {
    ...facts,
    kind: 'image',
    width: stream.width,
    height: stream.height,
    storedWidth: stream.width,
    storedHeight: stream.height,
    orientation: 1,
    hasAlpha: ALPHA_PIXEL_FORMATS.test(stream.pix_fmt ?? ''),
    frames: 1,
  };
}

/** "30000/1001" → 29.97; "0/0", "N/A" and missing → null. */
export function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return null;
  const value = den === undefined ? num : den > 0 ? num / den : NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** "12.345000" → 12.345; "N/A" and missing → null. */
export function parseSeconds(value: string | undefined): number | null {
  if (value === undefined || value === 'N/A' || value.trim() === '') return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Matroska keeps stream durations in a tag: "00:00:05.021000000" → 5.021. */
export function parseClock(value: string | undefined): number | null {
  const match = value?.match(/^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/);
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Clockwise rotation to display the frame: from the display matrix, else the legacy `rotate` tag. */
export function parseRotation(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && d.rotation !== undefined);
  // the display matrix gives the counter-clockwise angle; the rotate tag the clockwise one
  const degrees = matrix ? -Number(matrix.rotation) : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  const normalized = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  return normalized;
}

function streamSeconds(stream: FfprobeStream): number | null {
  return parseSeconds(stream.duration) ?? parseClock(stream.tags?.DURATION ?? stream.tags?.duration);
}

function maxOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
