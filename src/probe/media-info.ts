/** What a file holds, judged from its bytes. */
import type { Damage } from './damage/damage.js';

export type { Damage, DamageKind } from './damage/damage.js';

/**
 * Why a stream cannot be decoded here: its frames are in another file (a QuickTime reference movie), it lists no
 * samples, it has no sample description (nothing says how to decode it), or the ffmpeg in use has no decoder for it.
 */
export type UndecodableReason = 'external' | 'no-samples' | 'no-sample-description' | 'no-decoder';

/** The stream a file cannot do without (its video, or an audio file's audio) and why it does not decode; data, worded by the check. */
export interface Undecodable {
  stream: 'video' | 'audio';
  reason: UndecodableReason;
  /** ffprobe's codec name, when it names one. */
  codec: string | null;
}

/** A video's audio track that does not decode, when none does: fix drops it, so the output has no sound. */
export interface DroppedAudio {
  /** ffprobe's index of the stream (its track number is one more). */
  index: number;
  codec: string | null;
  reason: UndecodableReason;
}

export type MediaKind = 'image' | 'video' | 'audio';

/** Formats recognised from the first bytes of a file (never from its extension). */
export type MediaFormat =
  | 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'avif' | 'heic' | 'svg' | 'psd' | 'jp2' | 'jxl'
  | 'mp4' | 'mov' | 'm4a' | 'mkv' | 'webm' | 'avi' | '3gp' | 'mpegts' | 'mpegps' | 'flv' | 'asf' | 'mxf' | 'm4v'
  | 'mp3' | 'wav' | 'flac' | 'ogg' | 'aac' | 'aiff' | 'rf64' | 'wavpack' | 'ac3' | 'amr';

interface MediaBase {
  path: string;
  kind: MediaKind;
  /** Format detected from the bytes. */
  format: MediaFormat;
  /** Lower-case extension of the file name without the dot ('' when there is none). */
  extension: string;
  /** False when the extension names another format than the bytes hold. */
  extensionMatches: boolean;
  sizeBytes: number;
  /**
   * What the bytes fail to hold of what the headers promise (cut off, impossible values, a lying length); null when
   * they hold it. Absent where the whole file was not read (remote media). A damaged file's durations are what decodes.
   */
  damage?: Damage | null;
}

export interface ImageInfo extends MediaBase {
  kind: 'image';
  /** Displayed size: EXIF orientation applied. */
  width: number;
  height: number;
  /** Size of the stored pixels, before orientation. */
  storedWidth: number;
  storedHeight: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  hasAlpha: boolean;
  /** Frames in the file (animated GIF/WebP have more than one). */
  frames: number;
  /** Colour space of the stored pixels as libvips names it ('srgb', 'cmyk', 'b-w'…); null when not read. */
  colorSpace?: string | null;
  /** Why the decoder fix would use cannot decode it (ffmpeg's words), when a trial decode failed. */
  decodeError?: string;
}

export interface VideoInfo extends MediaBase {
  kind: 'video';
  /** Displayed size: sample aspect ratio and the display matrix applied. */
  width: number;
  height: number;
  storedWidth: number;
  storedHeight: number;
  /** Width of a stored pixel over its height: 1 for square pixels, 2 when 640×360 is shown as 1280×360. */
  sampleAspectRatio: number;
  /** Clockwise display rotation in degrees: 0, 90, 180 or 270 (applied first). */
  rotation: number;
  /** The display matrix also mirrors the picture: after the rotation, flip it left to right. */
  mirrored: boolean;
  videoCodec: string;
  /** The ffmpeg in use has a decoder for the video codec (fix can re-encode it). */
  videoDecodable: boolean;
  pixelFormat: string | null;
  color: VideoColor;
  /** Average frame rate in frames per second (null when ffprobe could not tell). */
  fps: number | null;
  /** Where the rate comes from: the stated one, or packet timestamps when the stated one was implausible. */
  fpsSource: 'stated' | 'packets';
  variableFrameRate: boolean;
  /** The duration we judge by: the longer of the container and the longest stream (seconds). */
  duration: number | null;
  containerDuration: number | null;
  /** The longest stream's duration (seconds). */
  streamDuration: number | null;
  /** The video stream's own duration (seconds). */
  videoDuration: number | null;
  /** The kept audio stream's own duration (seconds). */
  audioDuration: number | null;
  hasAudio: boolean;
  audioCodec: string | null;
  /** ffprobe's index of the video stream fix keeps (cover art is never it). */
  videoStreamIndex: number;
  /** ffprobe's index of the audio stream fix keeps. */
  audioStreamIndex: number | null;
  /** Streams fix drops: cover art, timecode, data, subtitles, further video or audio tracks. */
  extraStreams: number;
  /** The first audio track, when the video has audio tracks and none decodes (absent otherwise). */
  droppedAudio?: DroppedAudio;
}

/** How a video's pixels are to be read; names as ffprobe prints them, null when untagged. */
export interface VideoColor {
  primaries: string | null;
  transfer: string | null;
  matrix: string | null;
  range: string | null;
  /** Bits per component (8, 10, 12), from the pixel format. */
  bitDepth: number | null;
  /** High dynamic range, by its transfer (HLG, PQ) or a Dolby Vision configuration; null for SDR. */
  hdr: 'hlg' | 'pq' | 'dolby-vision' | null;
}

export interface AudioInfo extends MediaBase {
  kind: 'audio';
  audioCodec: string;
  duration: number | null;
  containerDuration: number | null;
  streamDuration: number | null;
  sampleRate: number | null;
  channels: number | null;
  hasAudio: true;
  /**
   * 'measured' when the header's figure was an estimate (ADTS AAC, MP3 without an exact index) and the packets were
   * counted instead; then `duration`, `containerDuration` and `streamDuration` all hold the measured length.
   */
  durationSource?: 'header' | 'measured';
  /** What the header (or the bitrate estimate) said, when a measurement replaced it. */
  headerDuration?: number | null;
  /** ffprobe's index of the audio stream fix keeps, when an earlier audio stream cannot be decoded (else the first). */
  audioStreamIndex?: number;
}

export type MediaInfo = ImageInfo | VideoInfo | AudioInfo;

/** Why a file could not be probed; each maps to one rule id. */
export type ProbeProblemCode =
  | 'not_found'
  | 'not_a_file'
  | 'unreadable'
  | 'empty'
  | 'unknown_format'
  | 'corrupt'
  /** ffprobe refused a header the damage checks find impossible (65,535 channels, a rate of 0): file.damaged, as the in-process reading says. */
  | 'damaged'
  /** The video (or an audio file's audio) cannot be decoded here: file.undecodable, with `undecodable` saying why. */
  | 'undecodable'
  | 'too_large_to_decode';

export interface ProbeFailure {
  path: string;
  code: ProbeProblemCode;
  /** What went wrong, in words a user can act on. */
  detail: string;
  /** Lower-case extension, for messages. */
  extension: string;
  sizeBytes: number | null;
  /** Format from the bytes when it was recognised before the failure. */
  format: MediaFormat | null;
  /** The damage that explains a `damaged` failure. */
  damage?: Damage;
  /** What does not decode, for an `undecodable` failure. */
  undecodable?: Undecodable;
}

export type ProbeResult = { ok: true; info: MediaInfo } | { ok: false; failure: ProbeFailure };

/** The displayed size of stored pixels: a quarter turn (rotation 90/270, EXIF 5–8) swaps width and height. */
export function displayedSize(storedWidth: number, storedHeight: number, quarterTurn: boolean): { width: number; height: number } {
  return quarterTurn ? { width: storedHeight, height: storedWidth } : { width: storedWidth, height: storedHeight };
}
