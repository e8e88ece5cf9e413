import { displayedPixels } from '../probe/displayed-pixels.js';
import type { AudioInfo, ImageInfo, MediaInfo, ProbeFailure, VideoInfo } from '../probe/media-info.js';
import { canonicalExtension } from '../probe/detect-format.js';
import { DECODE_PIXEL_LIMIT, decodedPixels, imageDecoderFor } from '../probe/image-decoders.js';
import type { Profile, Range } from '../spec/profile.js';
import { ruleSource, type BasisRule } from '../spec/rule-sources.js';
import { formatValue } from './format-value.js';
import { makeViolation, type ViolationInit } from './make-violation.js';
import type { RuleId } from './rule-catalog.js';
import type { Violation } from './violation.js';
import { checkDamage } from './damage-rule.js';
import { undecodableFix, undecodableProblem } from '../probe/streams/describe-undecodable.js';
import { extendedLength } from '../normalize/video-needs.js';

type Emit = (init: Omit<ViolationInit, 'subject' | 'bytesPerMB'>) => void;

/** Every per-file rule for one probed file. Pure. */
export function checkMedia(info: MediaInfo, profile: Profile, subject: string = info.path): Violation[] {
  const out: Violation[] = [];
  const emit: Emit = (init) => out.push(makeViolation({ ...init, subject, bytesPerMB: profile.bytesPerMB.value }));
  if (!info.extensionMatches) {
    const proper = canonicalExtension(info.format);
    emit({
      rule: 'file.extension_mismatch',
      severity: 'warning',
      actual: info.extension ? `.${info.extension}` : '(none)',
      problem: `the name ends in ${info.extension ? `.${info.extension}` : 'no extension'} but the bytes are ${info.format.toUpperCase()}`,
      fix: `write the copy as .${proper}`,
      fixable: true,
      source: ruleSource('file.extension_mismatch'),
    });
  }
  // a damaged file with nothing usable decoding gets that one verdict: the other rules would judge a file that does not hold its content
  if (checkDamage(info, profile, emit)) return out;
  if (info.kind === 'image') checkImage(info, profile, emit);
  else if (info.kind === 'video') checkVideo(info, profile, emit);
  else checkAudio(info, profile, emit);
  return out;
}

function checkImage(info: ImageInfo, profile: Profile, emit: Emit): void {
  const { image } = profile;
  const blocker = imageBlocker(info, image.side.value.max);
  if (blocker) emit(blocker);
  // when nothing here can decode the pixels, no other problem of the file can be fixed either
  const undecodable = blocker !== null || imageDecoderFor(info.format) === null || info.decodeError !== undefined;
  const report: Emit = undecodable ? (init) => emit({ ...init, fixable: init.rule === 'image.format' ? init.fixable : false }) : emit;
  if (!image.formats.value.includes(info.format)) {
    const target = info.hasAlpha ? 'PNG (it has an alpha channel)' : 'JPEG';
    const decodable = imageDecoderFor(info.format) !== null && info.decodeError === undefined;
    const fix = decodable ? `convert to ${target}` : info.decodeError !== undefined ? `the ${info.format.toUpperCase()} decoder here cannot read it (${info.decodeError}): export it as JPEG or PNG` : `no decoder for ${decoderName(info.format)} here: export it as JPEG or PNG`;
    report({ rule: 'image.format', actual: info.format, limit: { oneOf: image.formats.value, unit: 'value' }, problem: `format is ${info.format.toUpperCase()}`, fix, fixable: decodable, source: image.formats.source });
  }
  if (info.colorSpace === 'cmyk') {
    report({ rule: 'image.color_space', severity: 'warning', actual: 'cmyk', limit: { oneOf: ['srgb'], unit: 'value' }, problem: 'colours are CMYK (made for print): screens and decoders that expect RGB show them wrong', fix: 'convert to sRGB', fixable: true, source: ruleSource('image.color_space') });
  }
  sides('image.dimensions', info, image.side.value, image.side.source, report, 'image');
  aspect('image.aspect_ratio', info, image.aspectRatio.value, image.aspectRatio.source, report, 'pad to the nearest allowed ratio (or crop with --fit crop)');
  maxBytes('image.size', info.sizeBytes, image.maxBytes.value, image.maxBytes.source, report, 'recompress the image under the cap', profile);
}

/** libheif's and ffmpeg's names for the formats nothing here decodes ("no decoder for jpegxl"). */
function decoderName(format: ImageInfo['format']): string {
  return format === 'jxl' ? 'jpegxl' : format;
}

/** An image fix cannot even decode: over the decoding bound, even after shrinking while loading (JPEG only). */
function imageBlocker(info: ImageInfo, maxSide: number): Omit<ViolationInit, 'subject' | 'bytesPerMB'> | null {
  if (imageDecoderFor(info.format) === null) return null;
  const pixels = decodedPixels(info.format, info.storedWidth, info.storedHeight, maxSide);
  if (pixels <= DECODE_PIXEL_LIMIT) return null;
  const megapixels = Math.round((info.storedWidth * info.storedHeight) / 1e6);
  return {
    rule: 'file.too_large_to_decode',
    actual: info.storedWidth * info.storedHeight,
    limit: { max: DECODE_PIXEL_LIMIT, unit: 'pixels' },
    problem: `at ${info.storedWidth}×${info.storedHeight} (${megapixels} MP) it is past the decoding bound of ${DECODE_PIXEL_LIMIT / 1e6} MP${info.format === 'jpeg' ? ', even shrunk while loading' : ' (only a JPEG can be shrunk while loading)'}`,
    fix: `export the image again at most ${maxSide.toLocaleString('en-US')} px a side`,
    fixable: false,
    source: ruleSource('file.too_large_to_decode'),
  };
}

function checkVideo(info: VideoInfo, profile: Profile, emit: Emit): void {
  const { video } = profile;
  // every repair but a remux decodes the video: without a decoder, only the container can change
  const decodable = info.videoDecodable;
  const noDecoder = `not fixable here: the ffmpeg in use has no decoder for ${info.videoCodec}; export the video again as H.264 MP4`;
  const canRemux = video.codecs.value.includes(info.videoCodec) && (!info.audioCodec || video.audioCodecs.value.includes(info.audioCodec));
  if (!video.formats.value.includes(info.format)) {
    emit({ rule: 'video.format', actual: info.format, limit: { oneOf: video.formats.value, unit: 'value' }, problem: `container is ${containerName(info.format)}`, fix: canRemux ? 'remux into MP4 without re-encoding' : 'convert to MP4 (H.264 + AAC)', fixable: canRemux || decodable, source: video.formats.source });
  }
  if (!video.codecs.value.includes(info.videoCodec)) {
    emit({ rule: 'video.codec', actual: info.videoCodec, limit: { oneOf: video.codecs.value, unit: 'value' }, problem: `video codec is ${info.videoCodec}, which the provider may not decode`, fix: decodable ? 're-encode to H.264' : noDecoder, fixable: decodable, source: video.codecs.source });
  } else if (video.riskyCodecs.value.includes(info.videoCodec)) {
    emit({ rule: 'video.codec', severity: 'warning', actual: info.videoCodec, limit: { oneOf: video.codecs.value, unit: 'value' }, problem: `video codec is ${info.videoCodec.toUpperCase()}, accepted but less safe than H.264`, fix: 're-encode to H.264 if the provider rejects it', fixable: decodable, source: video.riskyCodecs.source });
  }
  if (info.audioCodec && !video.audioCodecs.value.includes(info.audioCodec)) {
    emit({ rule: 'video.audio_codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: video.audioCodecs.value, unit: 'value' }, problem: `audio track codec is ${info.audioCodec}`, fix: 're-encode the audio track to AAC', fixable: true, source: video.audioCodecs.source });
  }
  if (info.droppedAudio) {
    const { index, codec, reason } = info.droppedAudio;
    emit({ rule: 'file.corrupt', severity: 'warning', actual: reason, problem: `${undecodableProblem({ stream: 'audio', reason, codec })} (track ${index + 1})`, fix: 'export it again to keep its sound; fix drops the track, so the output has no sound', fixable: true, source: ruleSource('file.corrupt') });
  }
  if (info.color.hdr) {
    const depth = info.color.bitDepth ? `${info.color.bitDepth}-bit ` : '';
    emit({ rule: 'video.hdr', severity: 'warning', actual: info.color.hdr, problem: `video is HDR (${HDR_NAMES[info.color.hdr]}, ${depth}${info.color.primaries ?? 'unknown primaries'}); shown as SDR it looks washed out`, fix: 'whenever fix re-encodes it, it tone-maps to SDR BT.709', fixable: decodable, source: ruleSource('video.hdr') });
  }
  const reencode = decodable ? undefined : noDecoder;
  sides('video.dimensions', info, video.side.value, video.side.source, emit, 'video', reencode);
  aspect('video.aspect_ratio', info, video.aspectRatio.value, video.aspectRatio.source, emit, reencode ?? 'pad to the nearest allowed ratio (or crop with --fit crop)');
  const pixels = displayedPixels(info);
  const { min, max } = video.pixels.value;
  if (pixels < min || pixels > max) {
    emit({ rule: 'video.pixels', actual: pixels, limit: { min, max, unit: 'pixels' }, problem: `frame is ${info.width}×${info.height}${anamorphic(info)} = ${formatValue(pixels, 'pixels')}`, fix: reencode ?? (pixels < min ? 'scale up, keeping the aspect ratio' : 'scale down, keeping the aspect ratio'), fixable: decodable, source: video.pixels.source });
  }
  videoDuration(info, video.duration.value, video.duration.source, emit, reencode);
  mismatch(info, profile, emit);
  maxBytes('video.size', info.sizeBytes, video.maxBytes.value, video.maxBytes.source, emit, reencode ?? 're-encode at a bitrate that fits the cap', profile, decodable);
  const fps = video.fps.value;
  if (info.fps === null) {
    emit({ rule: 'video.fps', severity: 'warning', actual: null, limit: { ...fps, unit: 'fps' }, problem: 'frame rate cannot be determined', fix: reencode ?? `re-encode at a constant ${fps.min}–${fps.max} fps`, fixable: decodable, source: video.fps.source });
  } else if (info.fps < fps.min || info.fps > fps.max) {
    const target = info.fps < fps.min ? fps.min : fps.max;
    emit({ rule: 'video.fps', actual: roundOutside(info.fps, fps), limit: { ...fps, unit: 'fps' }, problem: `frame rate is ${formatValue(info.fps, 'fps')}${info.fpsSource === 'packets' ? ' (measured from packet timestamps)' : ''}`, fix: reencode ?? `${info.fps < fps.min ? 'raise' : 'lower'} the frame rate to ${target} fps`, fixable: decodable, source: video.fps.source });
  }
  if (info.variableFrameRate) {
    emit({ rule: 'video.vfr', severity: 'warning', actual: 'variable', problem: 'frame rate varies (variable frame rate); some decoders misjudge its duration', fix: reencode ?? 're-encode at a constant frame rate', fixable: decodable, source: ruleSource('video.vfr') });
  }
}

/** ffmpeg's names of linear PCM (pcm_s16le, pcm_u8, pcm_f32le…); A-law and µ-law are companded, not linear. */
const LINEAR_PCM = /^pcm_[suf]\d/;

const HDR_NAMES: Record<NonNullable<VideoInfo['color']['hdr']>, string> = { hlg: 'HLG', pq: 'PQ / HDR10', 'dolby-vision': 'Dolby Vision' };

/** "MPEG-TS" reads better than "MPEGTS" in a message. */
function containerName(format: string): string {
  return { mpegts: 'MPEG-TS', mpegps: 'MPEG-PS', m4v: 'none (a raw MPEG-4 video stream)' }[format] ?? format.toUpperCase();
}

/** " (stored 640×360, pixels 2:1 wide)" when the pixels are not square. */
function anamorphic(info: VideoInfo): string {
  return info.sampleAspectRatio === 1 ? '' : ` (stored ${info.storedWidth}×${info.storedHeight}, pixels ${formatValue(info.sampleAspectRatio, 'ratio')}× as wide as tall)`;
}

/**
 * Per-file warning in a request's context: for 480p or 720p output (the default) a reference video over the
 * smaller budget is more than the model uses (docs/LIMITS.md#reading.pixel_cap). Pure.
 */
export function checkVideoForQuality(info: VideoInfo, quality: unknown, profile: Profile, subject: string = info.path): Violation[] {
  const budget = pixelBudgetFor(quality, profile);
  const pixels = displayedPixels(info);
  if (budget === null || pixels <= budget) return [];
  const limit = profile.video.maxPixelsUpTo720p;
  return [makeViolation({ rule: 'video.pixels_for_quality', severity: 'warning', subject, bytesPerMB: profile.bytesPerMB.value, actual: pixels, limit: { max: budget, unit: 'pixels' }, problem: `frame is ${info.width}×${info.height} = ${formatValue(pixels, 'pixels')}, more than ${typeof quality === 'string' ? quality : '720p (the default quality)'} output uses`, fix: 'scale down into the budget, keeping the aspect ratio', fixable: info.videoDecodable, source: limit.source })];
}

/** The pixel budget of reference videos for a request's quality: 480p and 720p (the default) have the smaller one. */
export function pixelBudgetFor(quality: unknown, profile: Profile): number | null {
  return quality === undefined || quality === '480p' || quality === '720p' ? profile.video.maxPixelsUpTo720p.value : null;
}

function checkAudio(info: AudioInfo, profile: Profile, emit: Emit): void {
  const { audio } = profile;
  if (info.duration === 0) {
    emit({ rule: 'audio.duration', actual: 0, limit: { ...audio.duration.value, unit: 's' }, problem: 'holds no samples (0 s of audio)', fix: 'nothing to extend: export or record the audio again', fixable: false, source: audio.duration.source });
    return;
  }
  if (!audio.formats.value.includes(info.format)) {
    emit({ rule: 'audio.format', actual: info.format, limit: { oneOf: audio.formats.value, unit: 'value' }, problem: `format is ${info.format.toUpperCase()}`, fix: 'convert to MP3', fixable: true, source: audio.formats.source });
  } else if (info.format === 'wav' && !LINEAR_PCM.test(info.audioCodec)) {
    emit({ rule: 'audio.codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: ['pcm'], unit: 'value' }, problem: `the WAV holds ${info.audioCodec} audio, not PCM: decoders that expect a plain WAV may reject it`, fix: 'convert to PCM WAV', fixable: true, source: ruleSource('audio.codec') });
  } else if (info.format === 'mp3' && info.audioCodec !== 'mp3') {
    emit({ rule: 'audio.codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: ['mp3'], unit: 'value' }, problem: `the file holds MPEG audio ${info.audioCodec === 'mp2' ? 'layer II' : info.audioCodec === 'mp1' ? 'layer I' : info.audioCodec}, not MP3 (layer III): decoders that expect an MP3 may reject it`, fix: 'convert to MP3', fixable: true, source: ruleSource('audio.codec') });
  }
  duration('audio.duration', info, audio.duration.value, audio.duration.source, emit);
  mismatch(info, profile, emit);
  maxBytes('audio.size', info.sizeBytes, audio.maxBytes.value, audio.maxBytes.source, emit, 're-encode as MP3 at a bitrate that fits the cap', profile);
}

/** `unfixable`: why fix cannot repair it (no decoder), in place of the usual repair. */
function sides(rule: RuleId, info: { width: number; height: number }, range: Range, source: string, emit: Emit, noun: string, unfixable?: string): void {
  for (const [side, value] of [['width', info.width], ['height', info.height]] as const) {
    if (value < range.min || value > range.max) {
      emit({ rule, actual: value, limit: { ...range, unit: 'px' }, problem: `${noun} ${side} is ${formatValue(value, 'px')} (${info.width}×${info.height} as displayed)`, fix: unfixable ?? (value < range.min ? `scale up so the ${side} is at least ${range.min} px, keeping the aspect ratio` : `scale down so the ${side} is at most ${range.max} px, keeping the aspect ratio`), fixable: unfixable === undefined, source });
    }
  }
}

function aspect(rule: RuleId, info: { width: number; height: number; sampleAspectRatio?: number }, range: Range, source: string, emit: Emit, fix: string): void {
  const ratio = info.width / info.height;
  if (ratio < range.min || ratio > range.max) {
    emit({ rule, actual: roundOutside(ratio, range), limit: { ...range, unit: 'ratio' }, problem: `aspect ratio (width / height) is ${formatValue(ratio, 'ratio')} (${info.width}×${info.height}${'sampleAspectRatio' in info && info.sampleAspectRatio !== 1 ? ' as displayed' : ''})`, fix, fixable: !fix.startsWith('not fixable'), source });
  }
}

function duration(rule: RuleId, info: VideoInfo | AudioInfo, range: Range, source: string, emit: Emit): void {
  const known = [info.containerDuration, info.streamDuration].filter((d): d is number => d !== null);
  if (known.length === 0) {
    emit({ rule, severity: 'warning', actual: null, limit: { ...range, unit: 's' }, problem: 'duration cannot be determined', fix: 'remux to rebuild the duration metadata', fixable: true, source });
    return;
  }
  // judge the longest reading against the maximum and the shortest against the minimum
  const longest = Math.max(...known);
  const shortest = Math.min(...known);
  const counted = info.kind === 'audio' && info.durationSource === 'measured' && info.headerDuration != null ? ` (counted from its packets; its header says ${formatValue(info.headerDuration, 's')})` : '';
  if (longest > range.max) {
    emit({ rule, actual: roundOutside(longest, range), limit: { ...range, unit: 's' }, problem: `lasts ${formatValue(longest, 's')}${counted}`, fix: `trim to ${range.max} s`, fixable: true, source });
  } else if (shortest < range.min) {
    // an audio file has no frame to freeze
    const how = info.kind === 'audio' ? 'pad with silence' : 'freeze the last frame, pad audio with silence';
    emit({ rule, actual: roundOutside(shortest, range), limit: { ...range, unit: 's' }, problem: `lasts ${formatValue(shortest, 's')}${counted}`, fix: `extend to ${extendedLength(range)} s (${how})`, fixable: true, source });
  }
}

/**
 * A video is as long as its video track: 1.875 s of pictures beside 2.005 s of audio is too short. The longest
 * reading (container, any stream) is judged against the maximum.
 */
function videoDuration(info: VideoInfo, range: Range, source: string, emit: Emit, unfixable?: string): void {
  const known = [info.containerDuration, info.streamDuration, info.videoDuration].filter((d): d is number => d !== null);
  if (known.length === 0) {
    emit({ rule: 'video.duration', severity: 'warning', actual: null, limit: { ...range, unit: 's' }, problem: 'duration cannot be determined', fix: 'remux to rebuild the duration metadata', fixable: true, source });
    return;
  }
  const longest = Math.max(...known);
  const pictures = info.videoDuration ?? Math.min(...known);
  if (longest > range.max) {
    emit({ rule: 'video.duration', actual: roundOutside(longest, range), limit: { ...range, unit: 's' }, problem: `lasts ${formatValue(longest, 's')}`, fix: unfixable ?? `trim to ${range.max} s`, fixable: unfixable === undefined, source });
  } else if (pictures < range.min) {
    const trackShorter = info.videoDuration !== null && info.containerDuration !== null && info.videoDuration < info.containerDuration - 0.0005;
    emit({ rule: 'video.duration', actual: roundOutside(pictures, range), limit: { ...range, unit: 's' }, problem: `${trackShorter ? 'its video track lasts' : 'lasts'} ${formatValue(pictures, 's')}`, fix: unfixable ?? `extend to ${extendedLength(range)} s (freeze the last frame, pad audio with silence)`, fixable: unfixable === undefined, source });
  }
}

/** The container's duration against the stream that matters: a video's video track, an audio file's longest stream. */
function mismatch(info: VideoInfo | AudioInfo, profile: Profile, emit: Emit): void {
  const tolerance = profile.video.durationTolerance;
  const stream = info.kind === 'video' ? (info.videoDuration ?? info.streamDuration) : info.streamDuration;
  if (info.containerDuration === null || stream === null) return;
  // rounded to the millisecond: 3.1 − 3.0 is 0.10000000000000009 in floating point, not more than 0.1
  const gap = round(Math.abs(info.containerDuration - stream));
  if (gap > tolerance.value) {
    const what = info.kind === 'video' ? 'the video track lasts' : 'the longest stream lasts';
    emit({ rule: info.kind === 'video' ? 'video.duration_mismatch' : 'audio.duration_mismatch', severity: 'warning', actual: gap, limit: { max: tolerance.value, unit: 's' }, problem: `container says ${formatValue(info.containerDuration, 's')} but ${what} ${formatValue(stream, 's')}, so the provider may misread its length`, fix: 'remux to rebuild the duration metadata', fixable: true, source: tolerance.source });
  }
}

function maxBytes(rule: RuleId, size: number, cap: number, source: string, emit: Emit, fix: string, profile: Profile, fixable = true): void {
  if (size > cap) {
    const mb = profile.bytesPerMB.value;
    emit({ rule, actual: size, limit: { max: cap, unit: 'bytes' }, problem: `file is ${formatValue(size, 'bytes', mb)} (${size.toLocaleString('en-US')} bytes; 1 MB = ${mb.toLocaleString('en-US')} bytes)`, fix, fixable, source });
  }
}

/** Rule ids and messages for files that could not be probed. */
export function checkProbeFailure(failure: ProbeFailure, subject: string = failure.path): Violation {
  const todo: Record<ProbeFailure['code'], { fix: string; rule: RuleId & BasisRule }> = {
    not_found: { rule: 'file.not_found', fix: 'check the path' },
    not_a_file: { rule: 'file.not_a_file', fix: 'point at a media file' },
    unreadable: { rule: 'file.unreadable', fix: 'make the file readable (permissions) or replace the link with the file' },
    empty: { rule: 'file.empty', fix: 'export the media again' },
    unknown_format: { rule: 'file.unknown_format', fix: 'replace it with an image (JPEG, PNG, WebP), a video (MP4, MOV) or audio (WAV, MP3)' },
    corrupt: { rule: 'file.corrupt', fix: 'export or download the file again; a damaged file cannot be repaired' },
    damaged: { rule: 'file.damaged', fix: 'export it again' },
    // the file is read but its video (or an audio file's audio) does not decode here: the reason names the fix
    undecodable: { rule: 'file.corrupt', fix: failure.undecodable ? undecodableFix(failure.undecodable) : 'export it again' },
    too_large_to_decode: { rule: 'file.too_large_to_decode', fix: 'export the image again at a smaller size' },
  };
  const { rule, fix } = todo[failure.code];
  return makeViolation({ rule, subject, actual: failure.damage?.kind ?? failure.undecodable?.reason ?? failure.code, problem: failure.detail, fix, fixable: false, source: ruleSource(rule) });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Rounded to three places, but never onto or into the range it broke: 0.3995 → 0.399, not 0.4; 15.0004 → 15.001, not 15. */
function roundOutside(value: number, range: Range): number {
  const rounded = round(value);
  if (value > range.max && rounded <= range.max) return Math.ceil(value * 1000) / 1000;
  if (value < range.min && rounded >= range.min) return Math.floor(value * 1000) / 1000;
  return rounded;
}
