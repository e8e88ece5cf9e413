import type { AudioInfo, ImageInfo, MediaInfo, ProbeFailure, VideoInfo } from '../probe/media-info.js';
import { canonicalExtension } from '../probe/detect-format.js';
import { DECODE_PIXEL_LIMIT, decodedPixels, imageDecoderFor } from '../probe/image-decoders.js';
import type { Profile, Range } from '../spec/profile.js';
import { formatValue } from './format-value.js';
import { makeViolation, type ViolationInit } from './make-violation.js';
import type { RuleId } from './rule-catalog.js';
import type { Violation } from './violation.js';

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
      source: 'LIMITS.md ambiguity "Extension vs content"',
    });
  }
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
    report({ rule: 'image.color_space', severity: 'warning', actual: 'cmyk', limit: { oneOf: ['srgb'], unit: 'value' }, problem: 'colours are CMYK (made for print): screens and decoders that expect RGB show them wrong', fix: 'convert to sRGB', fixable: true, source: 'LIMITS.md image.format: JPEG, PNG and WebP are shown in RGB; CMYK JPEG is a print format' });
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
    source: 'seedance-preflight: decoding is bounded so a decompression bomb cannot exhaust memory',
  };
}

function checkVideo(info: VideoInfo, profile: Profile, emit: Emit): void {
  const { video } = profile;
  if (!video.formats.value.includes(info.format)) {
    const canRemux = video.codecs.value.includes(info.videoCodec) && (!info.audioCodec || video.audioCodecs.value.includes(info.audioCodec));
    emit({ rule: 'video.format', actual: info.format, limit: { oneOf: video.formats.value, unit: 'value' }, problem: `container is ${info.format.toUpperCase()}`, fix: canRemux ? 'remux into MP4 without re-encoding' : 'convert to MP4 (H.264 + AAC)', fixable: true, source: video.formats.source });
  }
  if (!video.codecs.value.includes(info.videoCodec)) {
    emit({ rule: 'video.codec', actual: info.videoCodec, limit: { oneOf: video.codecs.value, unit: 'value' }, problem: `video codec is ${info.videoCodec}, which the provider may not decode`, fix: 're-encode to H.264', fixable: true, source: video.codecs.source });
  } else if (video.riskyCodecs.value.includes(info.videoCodec)) {
    emit({ rule: 'video.codec', severity: 'warning', actual: info.videoCodec, limit: { oneOf: video.codecs.value, unit: 'value' }, problem: `video codec is ${info.videoCodec.toUpperCase()}, accepted but less safe than H.264`, fix: 're-encode to H.264 if the provider rejects it', fixable: true, source: video.riskyCodecs.source });
  }
  if (info.audioCodec && !video.audioCodecs.value.includes(info.audioCodec)) {
    emit({ rule: 'video.audio_codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: video.audioCodecs.value, unit: 'value' }, problem: `audio track codec is ${info.audioCodec}`, fix: 're-encode the audio track to AAC', fixable: true, source: video.audioCodecs.source });
  }
  const shortSide = Math.min(info.width, info.height);
  if (shortSide > video.maxShortSide.value) {
    emit({ rule: 'video.resolution', actual: shortSide, limit: { max: video.maxShortSide.value, unit: 'px' }, problem: `short side is ${formatValue(shortSide, 'px')} (${info.width}×${info.height}), above 1080p`, fix: `scale down to a short side of at most ${video.maxShortSide.value} px`, fixable: true, source: video.maxShortSide.source });
  }
  sides('video.dimensions', info, video.side.value, video.side.source, emit, 'video');
  aspect('video.aspect_ratio', info, video.aspectRatio.value, video.aspectRatio.source, emit, 'pad to the nearest allowed ratio (or crop with --fit crop)');
  const pixels = info.width * info.height;
  const { min, max } = video.pixels.value;
  if (pixels < min || pixels > max) {
    emit({ rule: 'video.pixels', actual: pixels, limit: { min, max, unit: 'pixels' }, problem: `frame is ${info.width}×${info.height} = ${formatValue(pixels, 'pixels')}`, fix: pixels < min ? 'scale up, keeping the aspect ratio' : 'scale down, keeping the aspect ratio', fixable: true, source: video.pixels.source });
  }
  duration('video.duration', info, video.duration.value, video.duration.source, emit);
  mismatch(info, profile, emit);
  maxBytes('video.size', info.sizeBytes, video.maxBytes.value, video.maxBytes.source, emit, 're-encode at a bitrate that fits the cap', profile);
  const fps = video.fps.value;
  if (info.fps === null) {
    emit({ rule: 'video.fps', severity: 'warning', actual: null, limit: { ...fps, unit: 'fps' }, problem: 'frame rate cannot be determined', fix: `re-encode at a constant ${fps.min}–${fps.max} fps`, fixable: true, source: video.fps.source });
  } else if (info.fps < fps.min || info.fps > fps.max) {
    const target = info.fps < fps.min ? fps.min : fps.max;
    emit({ rule: 'video.fps', actual: roundOutside(info.fps, fps), limit: { ...fps, unit: 'fps' }, problem: `frame rate is ${formatValue(info.fps, 'fps')}`, fix: `${info.fps < fps.min ? 'raise' : 'lower'} the frame rate to ${target} fps`, fixable: true, source: video.fps.source });
  }
  if (info.variableFrameRate) {
    emit({ rule: 'video.vfr', severity: 'warning', actual: 'variable', problem: 'frame rate varies (variable frame rate); some decoders misjudge its duration', fix: 're-encode at a constant frame rate', fixable: true, source: 'LIMITS.md ambiguity "Frame rate": variable frame rate is a warning' });
  }
}

/** ffmpeg's names of linear PCM (pcm_s16le, pcm_u8, pcm_f32le…); A-law and µ-law are companded, not linear. */
const LINEAR_PCM = /^pcm_[suf]\d/;

function checkAudio(info: AudioInfo, profile: Profile, emit: Emit): void {
  const { audio } = profile;
  if (info.duration === 0) {
    emit({ rule: 'audio.duration', actual: 0, limit: { ...audio.duration.value, unit: 's' }, problem: 'holds no samples (0 s of audio)', fix: 'nothing to extend: export or record the audio again', fixable: false, source: audio.duration.source });
    return;
  }
  if (!audio.formats.value.includes(info.format)) {
    emit({ rule: 'audio.format', actual: info.format, limit: { oneOf: audio.formats.value, unit: 'value' }, problem: `format is ${info.format.toUpperCase()}`, fix: 'convert to MP3', fixable: true, source: audio.formats.source });
  } else if (info.format === 'wav' && !LINEAR_PCM.test(info.audioCodec)) {
    emit({ rule: 'audio.codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: ['pcm'], unit: 'value' }, problem: `the WAV holds ${info.audioCodec} audio, not PCM: decoders that expect a plain WAV may reject it`, fix: 'convert to PCM WAV', fixable: true, source: 'LIMITS.md audio.format: .wav read as PCM WAV, what every decoder takes' });
  } else if (info.format === 'mp3' && info.audioCodec !== 'mp3') {
    emit({ rule: 'audio.codec', severity: 'warning', actual: info.audioCodec, limit: { oneOf: ['mp3'], unit: 'value' }, problem: `the file holds MPEG audio ${info.audioCodec === 'mp2' ? 'layer II' : info.audioCodec === 'mp1' ? 'layer I' : info.audioCodec}, not MP3 (layer III): decoders that expect an MP3 may reject it`, fix: 'convert to MP3', fixable: true, source: 'LIMITS.md audio.format: .mp3 read as MPEG-1/2 layer III' });
  }
  duration('audio.duration', info, audio.duration.value, audio.duration.source, emit);
  mismatch(info, profile, emit);
  maxBytes('audio.size', info.sizeBytes, audio.maxBytes.value, audio.maxBytes.source, emit, 're-encode as MP3 at a bitrate that fits the cap', profile);
}

function sides(rule: RuleId, info: { width: number; height: number }, range: Range, source: string, emit: Emit, noun: string): void {
  for (const [side, value] of [['width', info.width], ['height', info.height]] as const) {
    if (value < range.min || value > range.max) {
      emit({ rule, actual: value, limit: { ...range, unit: 'px' }, problem: `${noun} ${side} is ${formatValue(value, 'px')} (${info.width}×${info.height} as displayed)`, fix: value < range.min ? `scale up so the ${side} is at least ${range.min} px, keeping the aspect ratio` : `scale down so the ${side} is at most ${range.max} px, keeping the aspect ratio`, fixable: true, source });
    }
  }
}

function aspect(rule: RuleId, info: { width: number; height: number }, range: Range, source: string, emit: Emit, fix: string): void {
  const ratio = info.width / info.height;
  if (ratio < range.min || ratio > range.max) {
    emit({ rule, actual: roundOutside(ratio, range), limit: { ...range, unit: 'ratio' }, problem: `aspect ratio (width / height) is ${formatValue(ratio, 'ratio')} (${info.width}×${info.height})`, fix, fixable: true, source });
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
    emit({ rule, actual: roundOutside(shortest, range), limit: { ...range, unit: 's' }, problem: `lasts ${formatValue(shortest, 's')}${counted}`, fix: `extend to ${range.min} s (${how})`, fixable: true, source });
  }
}

function mismatch(info: VideoInfo | AudioInfo, profile: Profile, emit: Emit): void {
  const tolerance = profile.video.durationTolerance;
  if (info.containerDuration === null || info.streamDuration === null) return;
  // rounded to the millisecond: 3.1 − 3.0 is 0.10000000000000009 in floating point, not more than 0.1
  const gap = round(Math.abs(info.containerDuration - info.streamDuration));
  if (gap > tolerance.value) {
    emit({ rule: info.kind === 'video' ? 'video.duration_mismatch' : 'audio.duration_mismatch', severity: 'warning', actual: gap, limit: { max: tolerance.value, unit: 's' }, problem: `container says ${formatValue(info.containerDuration, 's')} but the longest stream lasts ${formatValue(info.streamDuration, 's')}, so the provider may misread its length`, fix: 'remux to rebuild the duration metadata', fixable: true, source: tolerance.source });
  }
}

function maxBytes(rule: RuleId, size: number, cap: number, source: string, emit: Emit, fix: string, profile: Profile): void {
  if (size > cap) {
    const mb = profile.bytesPerMB.value;
    emit({ rule, actual: size, limit: { max: cap, unit: 'bytes' }, problem: `file is ${formatValue(size, 'bytes', mb)} (${size.toLocaleString('en-US')} bytes; 1 MB = ${mb.toLocaleString('en-US')} bytes)`, fix, fixable: true, source });
  }
}

/** Rule ids and messages for files that could not be probed. */
export function checkProbeFailure(failure: ProbeFailure, subject: string = failure.path): Violation {
  const todo: Record<ProbeFailure['code'], { fix: string; rule: RuleId }> = {
    not_found: { rule: 'file.not_found', fix: 'check the path' },
    not_a_file: { rule: 'file.not_a_file', fix: 'point at a media file' },
    unreadable: { rule: 'file.unreadable', fix: 'make the file readable (permissions) or replace the link with the file' },
    empty: { rule: 'file.empty', fix: 'export the media again' },
    unknown_format: { rule: 'file.unknown_format', fix: 'replace it with an image (JPEG, PNG, WebP), a video (MP4, MOV) or audio (WAV, MP3)' },
    corrupt: { rule: 'file.corrupt', fix: 'export or download the file again; a damaged file cannot be repaired' },
    too_large_to_decode: { rule: 'file.too_large_to_decode', fix: 'export the image again at a smaller size' },
  };
  const { rule, fix } = todo[failure.code];
  return makeViolation({ rule, subject, actual: failure.code, problem: failure.detail, fix, fixable: false, source: 'seedance-preflight: a file the provider would fail to read' });
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
