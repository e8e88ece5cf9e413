import type { RuleId } from '../check/rule-catalog.js';
import type { MediaKind } from '../probe/media-info.js';

/** How an out-of-range aspect ratio is brought inside: bars around the picture, or cut its edges. */
export type FitMode = 'pad' | 'crop';

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
  kind: MediaKind;
  /** Extension of the output file (no dot). */
  extension: string;
  actions: FixAction[];
}

/** Nothing to change: the file is copied as it is (with the extension its bytes call for). */
export interface KeepPlan extends PlanBase {
  type: 'keep';
}

/** A file fix cannot repair: unreadable, truncated, empty, not media. */
interface UnfixablePlan extends PlanBase {
  type: 'unfixable';
  reason: string;
}

export interface VideoPlan extends PlanBase {
  type: 'video';
  kind: 'video';
  /** remux: every stream copied; reencode: at least one stream encoded. */
  mode: 'remux' | 'reencode';
  video: 'copy' | { geometry: Geometry | null; fps: number | null; bitrateKbps: number | null };
  audio: 'copy' | 'aac' | 'none';
  /** Output duration in seconds when trimmed or extended; null keeps the source's. */
  duration: number | null;
  /** Seconds of frozen last frame (and silence) added; 0 when not extended. */
  extendBy: number;
}

export interface AudioPlan extends PlanBase {
  type: 'audio';
  kind: 'audio';
  /** copy: the stream is kept and only the container rebuilt. */
  codec: 'mp3' | 'pcm_s16le' | 'copy';
  duration: number | null;
  extendBy: number;
  /** MP3 bitrate; null for WAV. */
  bitrateKbps: number | null;
}

export interface ImagePlan extends PlanBase {
  type: 'image';
  kind: 'image';
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

