import type { Violation } from '../check/violation.js';
import { canonicalExtension } from '../probe/detect-format.js';
import { imageDecoderFor } from '../probe/image-decoders.js';
import type { AudioInfo, ImageInfo, MediaInfo, ProbeFailure, VideoInfo } from '../probe/media-info.js';
import type { Profile } from '../spec/profile.js';
import type { AudioPlan, FitMode, FixAction, FixPlan, Geometry, ImagePlan, VideoPlan } from './fix-plan.js';
import { planGeometry, type FrameLimits } from './geometry.js';
import { AAC_KBPS } from './ffmpeg-args.js';

export interface PlanOptions {
  fit: FitMode;
  /** Format for audio that must be converted. */
  audioFormat: 'mp3' | 'wav';
  /** This file's share of a combined duration cap (seconds), when the request's total is over it. */
  durationShare?: number;
}

/** Trimmed outputs end this far under a cap: MP3 and AAC encoders pad the last frame by up to ~70 ms. */
export const TRIM_MARGIN_SECONDS = 0.1;
/** Extended audio ends this far past the minimum: encoder delay and frame rounding must not bring it back under. */
export const EXTEND_MARGIN_SECONDS = 0.1;
/** Size caps are aimed at with this share of the cap, leaving room for container overhead and rate control. */
const SIZE_HEADROOM = 0.9;
const MP3_KBPS = 192;
const GEOMETRY_RULES = new Set(['video.dimensions', 'video.aspect_ratio', 'video.pixels', 'video.resolution', 'image.dimensions', 'image.aspect_ratio']);

/** Pure: one file's probe result and violations → the single pass that makes it conform (or why none can). */
export function planFix(probe: { ok: true; info: MediaInfo } | { ok: false; failure: ProbeFailure }, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  if (!probe.ok) {
    const { failure } = probe;
    return { type: 'unfixable', source: failure.path, kind: 'video', extension: failure.extension, actions: [], reason: failure.detail };
  }
  const { info } = probe;
  if (info.kind === 'video') return planVideo(info, violations, profile, options);
  if (info.kind === 'audio') return planAudio(info, violations, profile, options);
  return planImage(info, violations, profile, options);
}

function has(violations: readonly Violation[], rule: string, errorsOnly = false): Violation | undefined {
  return violations.find((v) => v.rule === rule && (!errorsOnly || v.severity === 'error'));
}

function keepPlan(info: MediaInfo, violations: readonly Violation[]): FixPlan {
  const extension = keptExtension(info);
  const actions: FixAction[] = has(violations, 'file.extension_mismatch') ? [{ rule: 'file.extension_mismatch', what: `rename .${info.extension} → .${extension} to match the ${info.format.toUpperCase()} bytes`, before: info.extension, after: extension }] : [];
  return { type: 'keep', source: info.path, kind: info.kind, extension, actions };
}

/** The extension a conforming file keeps: its own when it matches the bytes, else the format's usual one. */
function keptExtension(info: MediaInfo): string {
  return info.extensionMatches ? info.extension : canonicalExtension(info.format);
}

function targetDuration(duration: number | null, range: { min: number; max: number }, share: number | undefined): { duration: number | null; extendBy: number } {
  if (duration === null) return { duration: null, extendBy: 0 };
  const cap = Math.min(range.max - TRIM_MARGIN_SECONDS, share ?? Infinity);
  if (duration > range.max || (share !== undefined && duration > share)) return { duration: Math.max(range.min, Math.floor(cap * 100) / 100), extendBy: 0 };
  if (duration < range.min) return { duration: range.min, extendBy: round2(range.min - duration) };
  return { duration: null, extendBy: 0 };
}

function planVideo(info: VideoInfo, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  const limits = profile.video;
  const actions: FixAction[] = [];
  let encodeVideo = false;

  const frameLimits: FrameLimits = { side: limits.side.value, aspectRatio: limits.aspectRatio.value, pixels: limits.pixels.value, maxShortSide: limits.maxShortSide.value, even: true };
  const geometryViolation = violations.find((v) => GEOMETRY_RULES.has(v.rule) && v.severity === 'error');
  if (geometryViolation) encodeVideo = true;

  const codecError = has(violations, 'video.codec', true);
  if (codecError) {
    encodeVideo = true;
    actions.push({ rule: 'video.codec', what: `re-encode ${info.videoCodec} → H.264`, before: info.videoCodec, after: 'h264' });
  }

  let fps: number | null = null;
  const fpsRange = limits.fps.value;
  if (has(violations, 'video.fps', true) && info.fps !== null) {
    fps = Math.min(Math.max(info.fps, fpsRange.min), fpsRange.max);
    encodeVideo = true;
    actions.push({ rule: 'video.fps', what: `frame rate ${round2(info.fps)} → ${fps} fps`, before: round2(info.fps), after: fps });
  }
  if (has(violations, 'video.vfr') && fps === null) {
    fps = Math.min(Math.max(round2(info.fps ?? 30), fpsRange.min), fpsRange.max);
    encodeVideo = true;
    actions.push({ rule: 'video.vfr', what: `variable frame rate → constant ${fps} fps`, before: 'variable', after: fps });
  }

  const time = targetDuration(info.duration, limits.duration.value, options.durationShare);
  if (time.duration !== null) {
    encodeVideo = true;
    const rule = has(violations, 'video.duration', true) ? 'video.duration' : 'request.video_total_duration';
    actions.push(time.extendBy > 0
      ? { rule, what: `extend ${round2(info.duration!)} s → ${time.duration} s (last frame held, silence added)`, before: round2(info.duration!), after: time.duration }
      : { rule, what: `trim ${round2(info.duration!)} s → ${time.duration} s (from the start)`, before: round2(info.duration!), after: time.duration });
  }

  let bitrateKbps: number | null = null;
  if (has(violations, 'video.size', true) && info.duration) {
    const seconds = time.duration ?? info.duration;
    const totalKbps = (limits.maxBytes.value * SIZE_HEADROOM * 8) / seconds / 1000;
    bitrateKbps = Math.max(100, Math.floor(totalKbps - (info.hasAudio ? AAC_KBPS : 0)));
    encodeVideo = true;
    actions.push({ rule: 'video.size', what: `re-encode at ${bitrateKbps} kb/s to stay under ${limits.maxBytes.value / profile.bytesPerMB.value} MB`, before: info.sizeBytes, after: null });
  }

  // geometry also applies when re-encoding for another reason: H.264 4:2:0 needs even sides
  let geometry: Geometry | null = null;
  if (encodeVideo) {
    geometry = planGeometry(info.width, info.height, frameLimits, options.fit);
    if (geometry) actions.unshift(geometryAction(info.width, info.height, geometry, geometryViolation?.rule ?? 'video.dimensions'));
    if (info.rotation !== 0) actions.push({ rule: 'video.dimensions', what: `rotation ${info.rotation}° applied to the pixels (stays ${info.width > info.height ? 'landscape' : 'portrait'})`, before: info.rotation, after: 0 });
  }

  const audioCodecOk = info.audioCodec !== null && limits.audioCodecs.value.includes(info.audioCodec);
  let audio: VideoPlan['audio'] = info.hasAudio ? 'copy' : 'none';
  if (info.hasAudio && (!audioCodecOk || time.duration !== null)) {
    audio = 'aac';
    if (!audioCodecOk) actions.push({ rule: 'video.audio_codec', what: `audio ${info.audioCodec} → AAC`, before: info.audioCodec, after: 'aac' });
  }

  const remuxReason = has(violations, 'video.format') ?? has(violations, 'video.duration_mismatch') ?? has(violations, 'video.duration');
  const containerOk = limits.formats.value.includes(info.format);
  if (!encodeVideo && audio !== 'aac' && containerOk && !remuxReason) return keepPlan(info, violations);

  if (!containerOk) actions.unshift({ rule: 'video.format', what: `container ${info.format.toUpperCase()} → MP4`, before: info.format, after: 'mp4' });
  if (!encodeVideo && has(violations, 'video.duration_mismatch')) {
    actions.push({ rule: 'video.duration_mismatch', what: `rebuild duration metadata (container ${round2(info.containerDuration ?? 0)} s, streams ${round2(info.streamDuration ?? 0)} s)`, before: info.containerDuration, after: info.streamDuration });
  }
  const mode = encodeVideo || audio === 'aac' ? 'reencode' : 'remux';
  return {
    type: 'video',
    kind: 'video',
    source: info.path,
    extension: 'mp4',
    actions,
    mode,
    video: encodeVideo ? { geometry, fps, bitrateKbps } : 'copy',
    audio,
    duration: time.duration,
    extendBy: time.extendBy,
  };
}

/** The first error `fix` cannot repair: then nothing is written, and its reason is the plan's. */
function unfixableError(info: MediaInfo, violations: readonly Violation[]): FixPlan | null {
  const blocker = violations.find((v) => v.severity === 'error' && !v.fixable);
  if (!blocker) return null;
  return { type: 'unfixable', source: info.path, kind: info.kind, extension: info.extension, actions: [], reason: `not fixable: ${blocker.fix} (rule ${blocker.rule})` };
}

function planAudio(info: AudioInfo, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  const unfixable = unfixableError(info, violations);
  if (unfixable) return unfixable;
  const limits = profile.audio;
  const actions: FixAction[] = [];
  const formatOk = limits.formats.value.includes(info.format);
  let format: 'mp3' | 'wav' = formatOk ? (info.format as 'mp3' | 'wav') : options.audioFormat;
  if (!formatOk) actions.push({ rule: 'audio.format', what: `${info.format.toUpperCase()} → ${format.toUpperCase()}`, before: info.format, after: format });
  // GSM, A-law, ADPCM or MP3 inside a WAV become plain PCM, still a WAV; MPEG layer II in a .mp3 becomes layer III
  const reencode = has(violations, 'audio.codec') !== undefined;
  if (reencode) {
    const after = format === 'wav' ? 'pcm_s16le' : 'mp3';
    actions.push({ rule: 'audio.codec', what: format === 'wav' ? `${info.audioCodec} in WAV → PCM WAV` : `${info.audioCodec} → MP3`, before: info.audioCodec, after });
  }

  const time = targetDuration(info.duration, limits.duration.value, options.durationShare);
  if (time.extendBy > 0) {
    time.duration = round2(time.duration! + EXTEND_MARGIN_SECONDS);
    time.extendBy = round2(time.extendBy + EXTEND_MARGIN_SECONDS);
  }
  if (time.duration !== null) {
    const rule = has(violations, 'audio.duration', true) ? 'audio.duration' : 'request.audio_total_duration';
    actions.push(time.extendBy > 0
      ? { rule, what: `extend ${round2(info.duration!)} s → ${time.duration} s with silence`, before: round2(info.duration!), after: time.duration }
      : { rule, what: `trim ${round2(info.duration!)} s → ${time.duration} s (from the start)`, before: round2(info.duration!), after: time.duration });
  }

  let bitrateKbps: number | null = null;
  if (has(violations, 'audio.size', true)) {
    // uncompressed audio over the cap becomes MP3; an MP3 over the cap gets a bitrate that fits
    format = 'mp3';
    const seconds = time.duration ?? info.duration ?? 15;
    bitrateKbps = Math.min(MP3_KBPS, Math.max(32, Math.floor((limits.maxBytes.value * SIZE_HEADROOM * 8) / seconds / 1000)));
    actions.push({ rule: 'audio.size', what: `${info.format === 'mp3' ? 're-encode' : 'convert to MP3'} at ${bitrateKbps} kb/s to stay under ${limits.maxBytes.value / profile.bytesPerMB.value} MB`, before: info.sizeBytes, after: null });
  }

  const mismatch = has(violations, 'audio.duration_mismatch') ?? has(violations, 'audio.duration');
  if (actions.length === 0 && !mismatch) return keepPlan(info, violations);
  if (actions.length === 0 && mismatch) {
    actions.push({ rule: mismatch.rule, what: 'rebuild duration metadata (stream copied)', before: info.containerDuration, after: info.streamDuration });
  }
  const copy = formatOk && format === info.format && time.duration === null && bitrateKbps === null && !reencode;
  const plan: AudioPlan = {
    type: 'audio',
    kind: 'audio',
    source: info.path,
    extension: format,
    actions,
    codec: copy ? 'copy' : format === 'mp3' ? 'mp3' : 'pcm_s16le',
    duration: time.duration,
    extendBy: time.extendBy,
    bitrateKbps: format === 'mp3' && !copy ? (bitrateKbps ?? MP3_KBPS) : null,
  };
  return plan;
}

function planImage(info: ImageInfo, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  const unfixable = unfixableError(info, violations);
  if (unfixable) return unfixable;
  const decoder = imageDecoderFor(info.format);
  if (decoder === null) return { type: 'unfixable', source: info.path, kind: 'image', extension: info.extension, actions: [], reason: `not fixable: no decoder for ${info.format} here` };
  const limits = profile.image;
  const actions: FixAction[] = [];
  const formatOk = limits.formats.value.includes(info.format);
  const format: ImagePlan['format'] = formatOk ? (info.format as ImagePlan['format']) : info.hasAlpha ? 'png' : 'jpeg';
  if (!formatOk) actions.push({ rule: 'image.format', what: `${info.format.toUpperCase()} → ${format.toUpperCase()}${info.frames > 1 ? ' (first frame)' : ''}`, before: info.format, after: format });

  const geometryViolation = violations.find((v) => GEOMETRY_RULES.has(v.rule) && v.severity === 'error');
  let geometry: Geometry | null = null;
  if (geometryViolation) {
    geometry = planGeometry(info.width, info.height, { side: limits.side.value, aspectRatio: limits.aspectRatio.value, even: false }, options.fit);
    if (geometry) actions.push(geometryAction(info.width, info.height, geometry, geometryViolation.rule));
  }
  const sizeViolation = has(violations, 'image.size', true);
  if (sizeViolation) actions.push({ rule: 'image.size', what: `recompress to stay under ${limits.maxBytes.value / profile.bytesPerMB.value} MB`, before: info.sizeBytes, after: null });
  if (has(violations, 'image.color_space')) actions.push({ rule: 'image.color_space', what: `colours ${info.colorSpace?.toUpperCase()} → sRGB`, before: info.colorSpace ?? null, after: 'srgb' });

  if (actions.length === 0) return keepPlan(info, violations);
  const autoOrient = info.orientation !== 1;
  if (autoOrient) actions.push({ rule: 'image.dimensions', what: `EXIF orientation ${info.orientation} applied to the pixels`, before: info.orientation, after: 1 });
  return {
    type: 'image',
    kind: 'image',
    source: info.path,
    extension: format === 'jpeg' ? 'jpg' : format,
    actions,
    format,
    geometry,
    autoOrient,
    decoder,
    maxBytes: limits.maxBytes.value,
  };
}

function geometryAction(width: number, height: number, geometry: Geometry, rule: FixAction['rule']): FixAction {
  const padded = geometry.crop === null && (geometry.contentWidth !== geometry.width || geometry.contentHeight !== geometry.height);
  const before = geometry.crop ? geometry.crop.width * geometry.crop.height : width * height;
  const after = geometry.contentWidth * geometry.contentHeight;
  const scaled = after > before * 1.001 ? 'scale up' : after < before * 0.999 ? 'scale down' : 'resize';
  const verb = geometry.crop ? `crop to ${geometry.crop.width}×${geometry.crop.height}${scaled === 'resize' ? ',' : `, ${scaled}`}` : padded ? (scaled === 'resize' ? 'pad' : `pad and ${scaled}`) : scaled;
  return { rule, what: `${verb} ${width}×${height} → ${geometry.width}×${geometry.height}`, before: `${width}×${height}`, after: `${geometry.width}×${geometry.height}` };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
