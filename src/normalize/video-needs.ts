import { displayedPixels } from '../probe/displayed-pixels.js';
import type { RuleId } from '../check/rule-catalog.js';
import type { VideoInfo } from '../probe/media-info.js';
import type { Profile, Range } from '../spec/profile.js';
import { AAC_KBPS } from './ffmpeg-args.js';
import type { ColorTags, FitMode, Geometry, PixelOrientation } from './fix-plan.js';
import { fits, planGeometry, type FrameLimits } from './geometry.js';

/**
 * Containers whose video track states no length of its own (Matroska: the container's, or a DURATION tag rounded to the
 * millisecond clock): a track within a frame of the minimum may come out under it once remuxed, so it is extended.
 */
const INEXACT_TRACK_LENGTHS: ReadonlySet<string> = new Set(['mkv', 'webm']);

/** Trimmed outputs end this far under a cap, and extended ones this far over the minimum: encoders pad and round. */
export const TRIM_MARGIN_SECONDS = 0.1;

/** Where a cut ends: the margin under the cap (or under the file's share of the request's total), never under the minimum. */
export function trimmedLength(range: Range, share?: number): number {
  return Math.max(range.min, Math.floor(Math.min(range.max - TRIM_MARGIN_SECONDS, share ?? Infinity) * 100) / 100);
}

/** Where an extension ends: the margin past the minimum. */
export function extendedLength(range: Range): number {
  return round2(range.min + TRIM_MARGIN_SECONDS);
}
/** Size caps are aimed at with this share of the cap, leaving room for container overhead and rate control. */
export const SIZE_HEADROOM = 0.9;

export interface VideoNeedOptions {
  fit: FitMode;
  /** This file's share of the request's combined duration cap (seconds), when the total is over it. */
  durationShare?: number;
  /** Largest frame in pixels for the request's output quality (927,408 for 480p/720p), when smaller than the profile's. */
  pixelBudget?: number | null;
}

/** Everything a video must change to conform, as data: what the plan and the ffmpeg arguments are built from. */
export interface VideoNeeds {
  /** Why no conforming copy can be written here (no decoder for the codec), else null. */
  unfixable: string | null;
  /** The container is not accepted: write MP4. */
  container: { from: string } | null;
  /** The codec is not accepted: encode H.264. */
  codec: { from: string } | null;
  /** The displayed frame is outside the limits: the nearest frame inside them, and the rule it answers. */
  frame: { rule: RuleId; from: { width: number; height: number }; geometry: Geometry } | null;
  fps: { rule: 'video.fps' | 'video.vfr'; from: number; to: number } | null;
  time: { rule: 'video.duration' | 'request.video_total_duration'; from: number; to: number; extendBy: number } | null;
  bitrate: { kbps: number; capBytes: number } | null;
  /** The audio track's codec is not accepted: encode AAC. */
  audio: { from: string } | null;
  /** Container and video track disagree on the duration: a remux rebuilds it. */
  durationMetadata: { container: number; track: number } | null;
  /** Only when re-encoding: the pixels turned upright (rotation and mirror), square, tone-mapped, tagged. */
  orientation: PixelOrientation;
  squarePixels: boolean;
  tonemap: ColorTags | null;
  color: ColorTags;
}

/** Pure: the needs of one probed video under a profile, read from MediaInfo (never from rule ids). */
export function videoNeeds(info: VideoInfo, profile: Profile, options: VideoNeedOptions): VideoNeeds {
  const limits = profile.video;
  const frameLimits = videoFrameLimits(profile, options.pixelBudget);
  const fpsRange = limits.fps.value;
  const shown = { width: info.width, height: info.height };

  let frame: VideoNeeds['frame'] = null;
  if (!fits(info.width, info.height, { ...frameLimits, even: false })) {
    const geometry = planGeometry(info.width, info.height, frameLimits, options.fit);
    if (geometry) frame = { rule: frameRule(info, profile, frameLimits), from: shown, geometry };
  }

  let fps: VideoNeeds['fps'] = null;
  if (info.fps !== null && (info.fps < fpsRange.min || info.fps > fpsRange.max)) {
    fps = { rule: 'video.fps', from: info.fps, to: clamp(info.fps, fpsRange) };
  } else if (info.fps !== null && info.variableFrameRate) {
    fps = { rule: 'video.vfr', from: info.fps, to: clamp(round2(info.fps), fpsRange) };
  }

  const time = timeNeed(info, limits.duration.value, options.durationShare);
  const codecOk = limits.codecs.value.includes(info.videoCodec);
  const audioOk = info.audioCodec === null || limits.audioCodecs.value.includes(info.audioCodec);

  let bitrate: VideoNeeds['bitrate'] = null;
  const seconds = time?.to ?? info.duration;
  if (info.sizeBytes > limits.maxBytes.value && seconds) {
    const totalKbps = (limits.maxBytes.value * SIZE_HEADROOM * 8) / seconds / 1000;
    bitrate = { kbps: Math.max(100, Math.floor(totalKbps - (info.hasAudio ? AAC_KBPS : 0))), capBytes: limits.maxBytes.value };
  }

  const track = info.videoDuration ?? info.streamDuration;
  const gap = info.containerDuration !== null && track !== null ? Math.round(Math.abs(info.containerDuration - track) * 1000) / 1000 : 0;
  const reencode = !codecOk || frame !== null || fps !== null || time !== null || bitrate !== null;
  return {
    unfixable: reencode && !info.videoDecodable ? `the ffmpeg in use has no decoder for ${info.videoCodec}: export the video again as H.264 MP4` : null,
    container: limits.formats.value.includes(info.format) ? null : { from: info.format },
    codec: codecOk ? null : { from: info.videoCodec },
    frame,
    fps,
    time,
    bitrate,
    audio: audioOk ? null : { from: info.audioCodec! },
    durationMetadata: gap > limits.durationTolerance.value ? { container: info.containerDuration!, track: track! } : null,
    orientation: { rotation: toQuarter(info.rotation), mirrored: info.mirrored },
    // a sample aspect ratio that changes no displayed pixel (2575:2574 from a rounding scaler) is square enough
    squarePixels: Math.round(info.storedWidth * info.sampleAspectRatio) !== info.storedWidth,
    tonemap: info.color.hdr ? hdrSource(info) : null,
    color: info.color.hdr ? BT709 : sdrColor(info),
  };
}

/** The frame limits of a video: the profile's, with the pixel cap lowered to the output quality's budget. */
export function videoFrameLimits(profile: Profile, pixelBudget?: number | null): FrameLimits {
  const { side, aspectRatio, pixels } = profile.video;
  const max = pixelBudget ? Math.min(pixels.value.max, pixelBudget) : pixels.value.max;
  return { side: side.value, aspectRatio: aspectRatio.value, pixels: { min: pixels.value.min, max }, even: true };
}

/** The rule a frame change answers, in the order check reports them. */
function frameRule(info: VideoInfo, profile: Profile, limits: FrameLimits): RuleId {
  const { side, aspectRatio, pixels } = profile.video;
  const ratio = info.width / info.height;
  if (Math.min(info.width, info.height) < side.value.min || Math.max(info.width, info.height) > side.value.max) return 'video.dimensions';
  if (ratio < aspectRatio.value.min || ratio > aspectRatio.value.max) return 'video.aspect_ratio';
  const area = displayedPixels(info);
  if (area < pixels.value.min || area > pixels.value.max) return 'video.pixels';
  return area > limits.pixels!.max ? 'video.pixels_for_quality' : 'video.dimensions';
}

/**
 * Pure: the pictures are held on the last frame until just past the minimum: they are under it, or within a frame of
 * it where the track's length is inexact (Matroska). One rule for the plan and for check's estimate of the total.
 */
export function extendsPictures(info: VideoInfo, range: Range): boolean {
  const pictures = info.videoDuration ?? info.duration;
  if (pictures === null) return false;
  return pictures < range.min || (INEXACT_TRACK_LENGTHS.has(info.format) && info.fps !== null && pictures < range.min + 1 / info.fps);
}

/**
 * Trim or extend, judged on the video track: a clip over the cap (or its share of the request's total) is cut
 * under it; pictures shorter than the minimum are held on the last frame until just over it.
 */
function timeNeed(info: VideoInfo, range: Range, share: number | undefined): VideoNeeds['time'] {
  const longest = info.duration;
  const pictures = info.videoDuration ?? info.duration;
  if (longest === null || pictures === null) return null;
  if (longest > range.max || (share !== undefined && longest > share)) {
    return { rule: longest > range.max ? 'video.duration' : 'request.video_total_duration', from: round2(longest), to: trimmedLength(range, share), extendBy: 0 };
  }
  if (extendsPictures(info, range)) {
    const to = extendedLength(range);
    return { rule: 'video.duration', from: round2(pictures), to, extendBy: round2(to - pictures) };
  }
  return null;
}

const BT709: ColorTags = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' };
const BT601: ColorTags = { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m' };

/** SDR pixels keep their matrix through a re-encode: tag what they are (untagged SD is BT.601, HD is BT.709). */
function sdrColor(info: VideoInfo): ColorTags {
  const guess = Math.min(info.storedWidth, info.storedHeight) < 720 ? BT601 : BT709;
  const { primaries, transfer, matrix } = info.color;
  // RGB pixels (VP9/PNG-sourced 'gbr') become 4:2:0 through swscale's default BT.601 coefficients; x264 cannot tag 4:2:0 as GBR
  const outputMatrix = matrix === 'gbr' ? BT601.matrix : (matrix ?? guess.matrix);
  return { primaries: primaries ?? guess.primaries, transfer: transfer ?? guess.transfer, matrix: outputMatrix };
}

/** The HDR source's tags for the tone-mapper; phones tag every field, Dolby Vision bases are PQ BT.2020 when untagged. */
function hdrSource(info: VideoInfo): ColorTags {
  const { primaries, transfer, matrix, hdr } = info.color;
  return { primaries: primaries ?? 'bt2020', transfer: transfer ?? (hdr === 'hlg' ? 'arib-std-b67' : 'smpte2084'), matrix: matrix ?? 'bt2020nc' };
}

function toQuarter(rotation: number): PixelOrientation['rotation'] {
  return ([0, 90, 180, 270] as const).find((q) => q === rotation) ?? 0;
}

function clamp(value: number, range: Range): number {
  return Math.min(Math.max(value, range.min), range.max);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
