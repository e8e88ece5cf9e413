import type { Violation } from '../check/violation.js';
import { canonicalExtension } from '../probe/detect-format.js';
import { imageDecoderFor } from '../probe/image-decoders.js';
import type { AudioInfo, ImageInfo, MediaInfo, ProbeFailure, VideoInfo } from '../probe/media-info.js';
import type { Profile } from '../spec/profile.js';
import type { RuleId } from '../check/rule-catalog.js';
import type { AudioPlan, FitMode, FixAction, FixPlan, Geometry, ImagePlan, VideoPlan } from './fix-plan.js';
import { planGeometry } from './geometry.js';
import { extendedLength, round2, SIZE_HEADROOM, TRIM_MARGIN_SECONDS, trimmedLength, videoFrameLimits, videoNeeds } from './video-needs.js';
import { kindOfFormat } from '../probe/detect-format.js';
import { dropAudioAction, undecodableFix } from '../probe/streams/describe-undecodable.js';

export { TRIM_MARGIN_SECONDS } from './video-needs.js';

export interface PlanOptions {
  fit: FitMode;
  /** Format for audio that must be converted. */
  audioFormat: 'mp3' | 'wav';
  /** This file's share of a combined duration cap (seconds), when the request's total is over it. */
  durationShare?: number;
  /** Largest video frame in pixels for the request's output quality (927,408 for 480p/720p), when a request sets one. */
  pixelBudget?: number | null;
}

const MP3_KBPS = 192;
const GEOMETRY_RULES = new Set(['image.dimensions', 'image.aspect_ratio']);

/** Pure: one file's probe result and violations → the single pass that makes it conform (or why none can). */
export function planFix(probe: { ok: true; info: MediaInfo } | { ok: false; failure: ProbeFailure }, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  if (!probe.ok) {
    const { failure } = probe;
    // what does not decode, and what to do about it: "the video's frames are in another file (…): export it self-contained"
    const reason = failure.undecodable ? `not fixable here: ${failure.detail}: ${undecodableFix(failure.undecodable)} (rule file.corrupt)` : failure.detail;
    return { type: 'unfixable', source: failure.path, kind: failure.format ? kindOfFormat(failure.format) : null, extension: failure.extension, actions: [], mode: 'unfixable', reason };
  }
  const { info } = probe;
  // a damaged file is fixable only when what decodes is usable (src/check/damage-rule.ts): nothing is padded onto a fragment
  const damage = has(violations, 'file.damaged', true);
  if (damage && !damage.fixable) return { type: 'unfixable', source: info.path, kind: info.kind, extension: info.extension, actions: [], mode: 'unfixable', reason: `not fixable: ${damage.problem}: ${damage.fix} (rule file.damaged)` };
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
  return { type: 'keep', source: info.path, kind: info.kind, extension, actions, mode: 'copy' };
}

/** The extension a conforming file keeps: its own when it matches the bytes, else the format's usual one. */
function keptExtension(info: MediaInfo): string {
  return info.extensionMatches ? info.extension : canonicalExtension(info.format);
}

function targetDuration(duration: number | null, range: { min: number; max: number }, share: number | undefined): { duration: number | null; extendBy: number } {
  if (duration === null) return { duration: null, extendBy: 0 };
  if (duration > range.max || (share !== undefined && duration > share)) return { duration: trimmedLength(range, share), extendBy: 0 };
  if (duration < range.min) return { duration: extendedLength(range), extendBy: round2(round2(range.min - duration) + TRIM_MARGIN_SECONDS) };
  return { duration: null, extendBy: 0 };
}

function planVideo(info: VideoInfo, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  const needs = videoNeeds(info, profile, { fit: options.fit, durationShare: options.durationShare, pixelBudget: options.pixelBudget });
  if (needs.unfixable) return { type: 'unfixable', source: info.path, kind: 'video', extension: 'mp4', actions: [], mode: 'unfixable', reason: needs.unfixable };
  const actions: FixAction[] = [];
  const reasons: RuleId[] = [];
  const encodeFor = (rule: RuleId) => reasons.push(rule);

  if (needs.container) actions.push({ rule: 'video.format', what: `container ${info.format.toUpperCase()} → MP4`, before: info.format, after: 'mp4' });
  if (needs.frame) {
    encodeFor(needs.frame.rule);
    actions.push(geometryAction(info.width, info.height, needs.frame.geometry, needs.frame.rule));
  }
  if (needs.codec) {
    encodeFor('video.codec');
    actions.push({ rule: 'video.codec', what: `re-encode ${info.videoCodec} → H.264`, before: info.videoCodec, after: 'h264' });
  }
  if (needs.fps) {
    encodeFor(needs.fps.rule);
    actions.push(needs.fps.rule === 'video.fps'
      ? { rule: 'video.fps', what: `frame rate ${round2(needs.fps.from)} → ${needs.fps.to} fps`, before: round2(needs.fps.from), after: needs.fps.to }
      : { rule: 'video.vfr', what: `variable frame rate → constant ${needs.fps.to} fps`, before: 'variable', after: needs.fps.to });
  }
  const { time } = needs;
  if (time) {
    encodeFor(time.rule);
    actions.push(time.extendBy > 0
      ? { rule: time.rule, what: `extend ${time.from} s → ${time.to} s (last frame held, silence added)`, before: time.from, after: time.to }
      : { rule: time.rule, what: `trim ${time.from} s → ${time.to} s (from the start)`, before: time.from, after: time.to });
  }
  const rewrite = damaged(info, violations);
  if (rewrite) {
    // the probe already set the durations to what decodes: the re-encode writes that length, and a true header with it
    encodeFor('file.damaged');
    actions.push(damageAction(info));
  }
  if (needs.bitrate) {
    encodeFor('video.size');
    actions.push({ rule: 'video.size', what: `re-encode at ${needs.bitrate.kbps} kb/s to stay under ${needs.bitrate.capBytes / profile.bytesPerMB.value} MB`, before: info.sizeBytes, after: null });
  }

  const encodeVideo = reasons.length > 0;
  let geometry: Geometry | null = needs.frame?.geometry ?? null;
  if (encodeVideo) {
    // a re-encode writes square, upright, even-sided, SDR pixels: whatever made the source display right is baked in
    const why = reasons[0]!;
    geometry ??= planGeometry(info.width, info.height, videoFrameLimits(profile, options.pixelBudget), options.fit) ?? (needs.squarePixels ? sameSize(info) : null);
    const resized = geometry !== null && (geometry.width !== info.width || geometry.height !== info.height || geometry.crop !== null);
    if (!needs.frame && resized) actions.push(geometryAction(info.width, info.height, geometry!, why));
    const { rotation, mirrored } = needs.orientation;
    if (rotation !== 0 || mirrored) actions.push({ rule: why, what: `${describeOrientation(needs.orientation)} applied to the pixels (shown ${info.width > info.height ? 'landscape' : info.width < info.height ? 'portrait' : 'square'})`, before: mirrored ? `${rotation}° mirrored` : rotation, after: 0 });
    if (needs.squarePixels && !needs.frame) actions.push({ rule: why, what: `pixels made square (sample aspect ratio ${round2(info.sampleAspectRatio)} → 1)`, before: round2(info.sampleAspectRatio), after: 1 });
    if (needs.tonemap) actions.push({ rule: 'video.hdr', what: `tone-map ${info.color.hdr!.toUpperCase()} (${needs.tonemap.primaries}) → SDR BT.709`, before: info.color.hdr, after: 'sdr' });
  }

  let audio: VideoPlan['audio'] = info.hasAudio ? 'copy' : 'none';
  if (info.hasAudio && (needs.audio || time || rewrite)) {
    audio = 'aac';
    if (needs.audio) actions.push({ rule: 'video.audio_codec', what: `audio ${info.audioCodec} → AAC`, before: info.audioCodec, after: 'aac' });
  }

  // a video whose audio does not decode is rewritten without it, and the plan says the sound is lost
  if (info.droppedAudio) actions.push({ rule: 'file.corrupt', what: dropAudioAction(info.droppedAudio), before: `audio track ${info.droppedAudio.index + 1}`, after: null });
  if (!encodeVideo && audio !== 'aac' && !needs.container && !needs.durationMetadata && !info.droppedAudio) return keepPlan(info, violations);
  if (!encodeVideo && needs.durationMetadata) {
    const { container, track } = needs.durationMetadata;
    actions.push({ rule: 'video.duration_mismatch', what: `rebuild duration metadata (container ${round2(container)} s, video track ${round2(track)} s)`, before: container, after: track });
  }
  const mode = encodeVideo || audio === 'aac' ? 'reencode' : 'remux';
  return {
    type: 'video',
    kind: 'video',
    source: info.path,
    extension: 'mp4',
    actions,
    mode,
    streams: { video: info.videoStreamIndex, audio: info.hasAudio ? info.audioStreamIndex : null },
    video: encodeVideo ? { orientation: needs.orientation, tonemap: needs.tonemap, geometry, fps: needs.fps?.to ?? null, bitrateKbps: needs.bitrate?.kbps ?? null, color: needs.color } : 'copy',
    audio,
    // a re-encode keeps the presented duration (the container's): streams that run past it are cut there
    duration: time?.to ?? (mode === 'reencode' ? presentedDuration(info) : null),
    extendBy: time?.extendBy ?? 0,
  };
}

/** The first error `fix` cannot repair: then nothing is written, and its reason is the plan's. */
function unfixableError(info: MediaInfo, violations: readonly Violation[]): FixPlan | null {
  const blocker = violations.find((v) => v.severity === 'error' && !v.fixable);
  if (!blocker) return null;
  return { type: 'unfixable', source: info.path, kind: info.kind, extension: info.extension, actions: [], mode: 'unfixable', reason: `not fixable: ${blocker.fix} (rule ${blocker.rule})` };
}

/** A fixable file.damaged: its content is re-encoded from what decodes. */
function damaged(info: MediaInfo, violations: readonly Violation[]): boolean {
  return info.damage != null && has(violations, 'file.damaged') !== undefined;
}

function damageAction(info: MediaInfo): FixAction {
  const damage = info.damage!;
  const header = damage.headerSays === null ? '' : ` (the header says ${round2(damage.headerSays)} s)`;
  return { rule: 'file.damaged', what: `re-encode the ${round2(damage.decodes ?? 0)} s that decode${header}`, before: damage.headerSays === null ? damage.kind : round2(damage.headerSays), after: round2(damage.decodes ?? 0) };
}

/** The length a player shows: the container's duration (edit lists applied), else the longest stream. */
function presentedDuration(info: VideoInfo): number | null {
  return info.containerDuration ?? info.duration;
}

/** A re-encode of an anamorphic frame that is otherwise in the limits: the displayed size, even, square pixels. */
function sameSize(info: VideoInfo): Geometry {
  const width = Math.max(2, Math.round(info.width / 2) * 2);
  const height = Math.max(2, Math.round(info.height / 2) * 2);
  return { width, height, crop: null, contentWidth: width, contentHeight: height };
}

function describeOrientation({ rotation, mirrored }: { rotation: number; mirrored: boolean }): string {
  if (rotation === 0) return 'mirror (left to right)';
  return `rotation ${rotation}°${mirrored ? ' and mirror' : ''}`;
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

  const rewrite = damaged(info, violations);
  if (rewrite) actions.push(damageAction(info));
  const time = targetDuration(info.duration, limits.duration.value, options.durationShare);
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
  const copy = formatOk && format === info.format && time.duration === null && bitrateKbps === null && !reencode && !rewrite;
  const plan: AudioPlan = {
    type: 'audio',
    kind: 'audio',
    mode: copy ? 'remux' : 'reencode',
    source: info.path,
    extension: format,
    actions,
    codec: copy ? 'copy' : format === 'mp3' ? 'mp3' : 'pcm_s16le',
    duration: time.duration,
    extendBy: time.extendBy,
    bitrateKbps: format === 'mp3' && !copy ? (bitrateKbps ?? MP3_KBPS) : null,
    ...(info.audioStreamIndex !== undefined && { stream: info.audioStreamIndex }),
  };
  return plan;
}

function planImage(info: ImageInfo, violations: readonly Violation[], profile: Profile, options: PlanOptions): FixPlan {
  const unfixable = unfixableError(info, violations);
  if (unfixable) return unfixable;
  const decoder = imageDecoderFor(info.format);
  if (decoder === null) return { type: 'unfixable', source: info.path, kind: 'image', extension: info.extension, actions: [], mode: 'unfixable', reason: `not fixable: no decoder for ${info.format} here` };
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
    mode: 'convert',
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

