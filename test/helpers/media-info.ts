import type { JobMedia } from '../../src/check/job.js';
import type { AudioInfo, ImageInfo, MediaInfo, ProbeFailure, VideoInfo } from '../../src/probe/media-info.js';
import type { MediaField } from '../../src/spec/request-schema.js';
import type { Violation } from '../../src/check/violation.js';

/** A conforming 854×480 H.264 + AAC MP4 of 3 s at 30 fps; override what a case is about. */
export function video(overrides: Partial<VideoInfo> = {}): VideoInfo {
  return {
    path: 'clip.mp4',
    kind: 'video',
    format: 'mp4',
    extension: 'mp4',
    extensionMatches: true,
    sizeBytes: 150_000,
    width: 854,
    height: 480,
    sampleAspectRatio: 1,
    rotation: 0,
    mirrored: false,
    videoCodec: 'h264',
    videoDecodable: true,
    pixelFormat: 'yuv420p',
    color: { primaries: null, transfer: null, matrix: null, range: null, bitDepth: 8, hdr: null },
    fps: 30,
    fpsSource: 'stated',
    variableFrameRate: false,
    duration: 3,
    containerDuration: 3,
    streamDuration: 3,
    // each stream as long as the longest, unless a case says otherwise
    videoDuration: overrides.streamDuration !== undefined ? overrides.streamDuration : 3,
    audioDuration: overrides.hasAudio === false ? null : overrides.streamDuration !== undefined ? overrides.streamDuration : 3,
    hasAudio: true,
    audioCodec: 'aac',
    videoStreamIndex: 0,
    audioStreamIndex: 1,
    extraStreams: 0,
    // the stored frame follows a displayed size a case gives, unless it gives its own (the pixel rule reads the stored one)
    ...storedFrame(overrides),
    ...overrides,
  };
}

/** Stored size for a displayed one: square pixels, turned back for a 90° or 270° rotation. */
function storedFrame(overrides: Partial<VideoInfo>): Pick<VideoInfo, 'storedWidth' | 'storedHeight'> {
  const width = overrides.width ?? 854;
  const height = overrides.height ?? 480;
  const sideways = overrides.rotation === 90 || overrides.rotation === 270;
  const sar = overrides.sampleAspectRatio ?? 1;
  return sideways ? { storedWidth: Math.round(height / sar), storedHeight: width } : { storedWidth: Math.round(width / sar), storedHeight: height };
}

/** A conforming 1280×720 JPEG. */
export function image(overrides: Partial<ImageInfo> = {}): ImageInfo {
  return {
    path: 'photo.jpg',
    kind: 'image',
    format: 'jpeg',
    extension: 'jpg',
    extensionMatches: true,
    sizeBytes: 5_000,
    width: 1280,
    height: 720,
    storedWidth: 1280,
    storedHeight: 720,
    orientation: 1,
    hasAlpha: false,
    frames: 1,
    ...overrides,
  };
}

/** A conforming 3 s MP3. */
export function audio(overrides: Partial<AudioInfo> = {}): AudioInfo {
  return {
    path: 'tone.mp3',
    kind: 'audio',
    format: 'mp3',
    extension: 'mp3',
    extensionMatches: true,
    sizeBytes: 24_000,
    audioCodec: 'mp3',
    duration: 3,
    containerDuration: 3,
    streamDuration: 3,
    sampleRate: 44_100,
    channels: 1,
    hasAudio: true,
    ...overrides,
  };
}

export function failure(overrides: Partial<ProbeFailure> = {}): ProbeFailure {
  return { path: 'broken.mp4', code: 'corrupt', detail: 'it is truncated', extension: 'mp4', sizeBytes: 10, format: 'mp4', ...overrides };
}

/** A probed local file in a request array. */
export function entry(field: MediaField, index: number, info: MediaInfo): JobMedia {
  return { field, index, ref: info.path, path: info.path, probe: { ok: true, info } };
}

/** A URL entry (not probed). */
export function urlEntry(field: MediaField, index: number, url = `https://cdn.example.com/${field}/${index}`): JobMedia {
  return { field, index, ref: url, path: null, probe: null };
}

/** Rule ids with severities, in order: the shape most assertions compare. */
export function ids(violations: readonly Violation[]): string[] {
  return violations.map((v) => `${v.rule}:${v.severity}`);
}
