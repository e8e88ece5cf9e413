import type { RuleId } from '../check/rule-catalog.js';
import type { MediaKind } from '../probe/media-info.js';

/** How an out-of-range aspect ratio is brought inside: bars around the picture, or cut its edges. */
export type FitMode = 'pad' | 'crop';

/** How a file is (or will be) handled: decided by the planner, reported as it is. */
export type FixMode = 'copy' | 'remux' | 'reencode' | 'convert' | 'unfixable';

/** One change a fix makes, with the rule that asked for it and the values before and after. */
export interface FixAction {
  rule: RuleId;
  /** What changes, in words: "scale 640×360 → 854×480". */
  what: string;
  before: number | string | null;
  after: number | string | null;
}

/** A frame's target geometry, in displayed orientation. */
export interface Geometry {
  /** Output frame size. */
  width: number;
  height: number;
  /** Crop of the (upright) source before scaling, centred; null when nothing is cut. */
  crop: { width: number; height: number } | null;
  /** Size the picture is scaled to inside the frame; smaller than the frame when padded. */
  contentWidth: number;
  contentHeight: number;
}

interface PlanBase {
  source: string;
  /** Extension of the output file (no dot). */
  extension: string;
  actions: FixAction[];
  mode: FixMode;
}

/** Nothing to change: the file is copied as it is (with the extension its bytes call for). */
export interface KeepPlan extends PlanBase {
  type: 'keep';
  kind: MediaKind;
  mode: 'copy';
}

/** A file fix cannot repair: unreadable, truncated, empty, not media, no decoder. */
export interface UnfixablePlan extends PlanBase {
  type: 'unfixable';
  /** Null when the file could not be read far enough to tell. */
  kind: MediaKind | null;
  mode: 'unfixable';
  reason: string;
}

/** Colour tags written on an output (ffmpeg's names: bt709, smpte170m…). */
export interface ColorTags {
  primaries: string;
  transfer: string;
  matrix: string;
}

/** How stored pixels are turned upright: rotated clockwise, then mirrored left to right. */
export interface PixelOrientation {
  rotation: 0 | 90 | 180 | 270;
  mirrored: boolean;
}

export interface VideoEncode {
  /** Applied to the decoded pixels first (the decoder's own autorotate is off: it ignores mirrors). */
  orientation: PixelOrientation;
  /** HDR → SDR BT.709 from these source tags, before any scaling. */
  tonemap: ColorTags | null;
  geometry: Geometry | null;
  fps: number | null;
  bitrateKbps: number | null;
  /** What the output's pixels are. */
  color: ColorTags;
}

export interface VideoPlan extends PlanBase {
  type: 'video';
  kind: 'video';
  /** remux: every stream copied; reencode: at least one stream encoded. */
  mode: 'remux' | 'reencode';
  /** ffprobe's indexes of the streams kept; every other stream (cover art, timecode, data) is dropped. */
  streams: { video: number; audio: number | null };
  video: 'copy' | VideoEncode;
  audio: 'copy' | 'aac' | 'none';
  /** Output duration in seconds: trimmed, extended, or the presented duration kept on a re-encode; null keeps the source's. */
  duration: number | null;
  /** Seconds of frozen last frame (and silence) added; 0 when not extended. */
  extendBy: number;
}

export interface AudioPlan extends PlanBase {
  type: 'audio';
  kind: 'audio';
  mode: 'remux' | 'reencode';
  /** copy: the stream is kept and only the container rebuilt. */
  codec: 'mp3' | 'pcm_s16le' | 'copy';
  duration: number | null;
  extendBy: number;
  /** MP3 bitrate; null for WAV. */
  bitrateKbps: number | null;
  /** ffprobe's index of the audio stream kept, when an earlier one cannot be decoded; absent: the first audio stream. */
  stream?: number;
}

export interface ImagePlan extends PlanBase {
  type: 'image';
  kind: 'image';
  mode: 'convert';
  format: 'jpeg' | 'png' | 'webp';
  geometry: Geometry | null;
  /** Bake the EXIF orientation into the pixels. */
  autoOrient: boolean;
  /** What decodes the source: sharp, heic-decode (HEIC: the prebuilt sharp has no HEVC), or ffmpeg (BMP, PSD, JPEG 2000). */
  decoder: 'sharp' | 'heic' | 'ffmpeg';
  /** Largest output in bytes; quality is stepped down until the output fits. */
  maxBytes: number;
}

export type FixPlan = KeepPlan | UnfixablePlan | VideoPlan | AudioPlan | ImagePlan;

