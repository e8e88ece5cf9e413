import { displayedSize, type AudioInfo, type DroppedAudio, type ImageInfo, type MediaFormat, type Undecodable, type UndecodableReason, type VideoColor, type VideoInfo } from './media-info.js';
import type { TrackProblem } from './streams/mp4-track-use.js';
import { undecodableProblem } from './streams/describe-undecodable.js';
import { parseOrientation } from './display-matrix.js';

/** The fields of `ffprobe -print_format json -show_format -show_streams` that we read. */
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string; tags?: Record<string, string> };
}

export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  profile?: string;
  /** Frames the container lists (MP4: the sample table's count); absent when it lists none or does not say. */
  nb_frames?: string;
  /** With -count_packets: packets read; ffprobe leaves it out when there were none. */
  nb_read_packets?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number | string; displaymatrix?: string; dv_profile?: number; dv_bl_signal_compatibility_id?: number }>;
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
  /** rateFromPackets: the stated frame rate is implausible, missing or disagrees with the base rate; measure it from packets. */
  | { ok: true; info: VideoInfo | AudioInfo; rateFromPackets?: boolean }
  /** `undecodable`: the file has the stream but it cannot be decoded here (file.undecodable, not file.corrupt). */
  | { ok: false; detail: string; undecodable?: Undecodable };

/** Pixel formats that carry an alpha channel. */
const ALPHA_PIXEL_FORMATS = /^(rgba|bgra|argb|abgr|ya|yuva|gbrap)/;

/** Frame rates whose base rate and average differ by more than this fraction are called variable. */
const VFR_TOLERANCE = 0.02;
/** Sample entries of codecs this ffprobe has an id for but no name from MP4 yet (it prints no codec_name). */
const CODEC_OF_TAG: Record<string, string> = { vvc1: 'vvc', vvi1: 'vvc', evc1: 'evc' };
/** No camera records above this; a stated average above it is a timebase (1000/1 from a millisecond Matroska clock). */
const MAX_PLAUSIBLE_FPS = 240;

/** Raw audio streams whose header only estimates the length (from the bitrate, or a Xing count a cut file no longer has). */
const ESTIMATED_DURATION_FORMATS: ReadonlySet<MediaFormat> = new Set(['mp3', 'aac', 'ac3']);

/** A counted length replaces the header's when they differ by more than this (seconds): a frame or two of encoder delay is not a difference. */
const MEASURE_TOLERANCE_SECONDS = 0.05;

/** Should ffprobe count packets for this format (its duration is otherwise an estimate)? */
export function needsPacketCount(format: MediaFormat): boolean {
  return ESTIMATED_DURATION_FORMATS.has(format);
}

/** ffprobe's container names for the media formats it can tell when our sniff could not (an MP3 behind zero bytes). */
const FFPROBE_FORMATS: Readonly<Record<string, MediaFormat>> = {
  mp3: 'mp3', aac: 'aac', ac3: 'ac3', eac3: 'ac3', wav: 'wav', w64: 'wav', aiff: 'aiff', wv: 'wavpack', flac: 'flac', ogg: 'ogg', amr: 'amr',
  mpegts: 'mpegts', mpeg: 'mpegps', flv: 'flv', asf: 'asf', mxf: 'mxf', m4v: 'm4v', avi: 'avi', 'matroska,webm': 'mkv', 'mov,mp4,m4a,3gp,3g2,mj2': 'mp4',
};

/** The format ffprobe found, when it is one of ours and holds an audio or video stream; null otherwise (a text file read by the tty demuxer). */
export function formatFromFfprobe(json: string): MediaFormat | null {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    return null;
  }
  const format = FFPROBE_FORMATS[data.format?.format_name ?? ''];
  const hasMedia = (data.streams ?? []).some((s) => (s.codec_type === 'audio' || s.codec_type === 'video') && !s.disposition?.attached_pic);
  return format && hasMedia ? format : null;
}

/** Samples per packet of the codecs whose length is counted: duration = packets × samples / rate. */
function samplesPerPacket(stream: FfprobeStream): number | null {
  const rate = Number(stream.sample_rate);
  switch (stream.codec_name) {
    case 'aac':
      return /HE-AAC/.test(stream.profile ?? '') ? 2048 : 1024;
    case 'mp3':
      return rate >= 32_000 ? 1152 : 576; // MPEG-2 and 2.5 layer III frames hold half as many
    case 'mp2':
    case 'mp1':
      return 1152;
    case 'ac3':
    case 'eac3':
      return 1536;
    default:
      return null;
  }
}

/** The length read from packets, when they were counted and the codec's frame size is fixed. */
function countedSeconds(stream: FfprobeStream, packetsCounted: boolean): number | null {
  if (!packetsCounted) return null;
  const perPacket = samplesPerPacket(stream);
  const rate = Number(stream.sample_rate);
  const packets = stream.nb_read_packets === undefined ? 0 : Number(stream.nb_read_packets);
  if (perPacket === null || !(rate > 0) || !Number.isFinite(packets)) return null;
  return Math.round((packets * perPacket * 1_000_000) / rate) / 1_000_000;
}

/**
 * Turns ffprobe's JSON into MediaInfo for a video or audio file. `packetsCounted`: ffprobe ran with -count_packets,
 * so an audio stream's length can be measured (and one with no packets at all holds no samples: 0 s).
 * `decoders`: codecs the ffmpeg in use can decode (null when unknown: every codec is taken as decodable).
 * `trackProblems`: an MP4/MOV's tracks that cannot decode, by stream index, read from its boxes (mp4-track-use.ts).
 */
export function parseFfprobe(json: string, facts: FileFacts, packetsCounted = false, decoders: ReadonlySet<string> | null = null, trackProblems: ReadonlyArray<TrackProblem | null> = []): ParsedProbe {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    return { ok: false, detail: 'ffprobe printed output that is not JSON' };
  }
  const streams = data.streams ?? [];
  const problem = (s: FfprobeStream) => streamProblem(s, streams.indexOf(s), decoders, trackProblems);
  // cover art in MP3/M4A shows up as a video stream flagged attached_pic
  const videos = streams.filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audios = streams.filter((s) => s.codec_type === 'audio');
  // the first stream that decodes is kept, broken and extra ones are dropped; a video without a decoder can still be remuxed
  const video = videos.find((s) => problem(s) === null) ?? videos.find((s) => problem(s) === 'no-decoder') ?? videos.find((s) => problem(s) === 'no-size');
  const audio = audios.find((s) => problem(s) === null);
  const broken = videos.length > 0 ? (video ? undefined : videos[0]) : audio ? undefined : audios[0];
  if (broken) return undecodable(broken, problem(broken)!);
  const containerDuration = parseSeconds(data.format?.duration);
  const streamDuration = maxOf(
    streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio').map(streamSeconds),
  );

  if (video) {
    const storedWidth = video.width ?? 0;
    const storedHeight = video.height ?? 0;
    if (storedWidth <= 0 || storedHeight <= 0) return { ok: false, detail: 'the video stream has no frame size' };
    const { rotation, mirrored } = parseOrientation(video);
    const sampleAspectRatio = parseSampleAspectRatio(video.sample_aspect_ratio);
    const baseRate = parseRate(video.r_frame_rate);
    const fps = lastFrameOnly(parseRate(video.avg_frame_rate), baseRate, Number(video.nb_frames)) ?? parseRate(video.r_frame_rate);
    const disagrees = fps !== null && baseRate !== null && Math.abs(baseRate - fps) / fps > VFR_TOLERANCE;
    const videoCodec = video.codec_name ?? CODEC_OF_TAG[video.codec_tag_string ?? ''] ?? 'unknown';
    const info: VideoInfo = {
      ...facts,
      kind: 'video',
      ...displayedSize(Math.round(storedWidth * sampleAspectRatio), storedHeight, rotation === 90 || rotation === 270),
      storedWidth,
      storedHeight,
      sampleAspectRatio,
      rotation,
      mirrored,
      videoCodec,
      videoDecodable: decoders === null || decoders.has(videoCodec),
      pixelFormat: video.pix_fmt ?? null,
      color: parseColor(video),
      fps,
      fpsSource: 'stated',
      variableFrameRate: disagrees,
      duration: maxOf([containerDuration, streamDuration]),
      containerDuration,
      streamDuration,
      videoDuration: streamSeconds(video),
      audioDuration: audio ? streamSeconds(audio) : null,
      hasAudio: audio !== undefined,
      audioCodec: audio?.codec_name ?? null,
      videoStreamIndex: indexOf(video, streams),
      audioStreamIndex: audio ? indexOf(audio, streams) : null,
      extraStreams: streams.length - 1 - (audio ? 1 : 0),
      ...(!audio && audios[0] && { droppedAudio: droppedAudio(audios[0], streams, problem(audios[0])) }),
    };
    // no average: the rate is ffprobe's guess from the first timestamps (a WebM without DefaultDuration)
    return { ok: true, info, rateFromPackets: fps === null || fps > MAX_PLAUSIBLE_FPS || disagrees || parseRate(video.avg_frame_rate) === null };
  }
  if (audio) {
    const header = maxOf([containerDuration, streamDuration]);
    const counted = countedSeconds(audio, packetsCounted);
    const noSamples = packetsCounted && audio.nb_read_packets === undefined && header === null;
    const measured = noSamples ? 0 : counted !== null && (header === null || Math.abs(counted - header) > MEASURE_TOLERANCE_SECONDS) ? counted : null;
    const info: AudioInfo = {
      ...facts,
      kind: 'audio',
      audioCodec: audio.codec_name ?? 'unknown',
      duration: measured ?? header,
      containerDuration: measured ?? containerDuration,
      streamDuration: measured ?? streamDuration,
      sampleRate: audio.sample_rate ? Number(audio.sample_rate) : null,
      channels: audio.channels ?? null,
      hasAudio: true,
      ...(measured !== null && { durationSource: 'measured' as const, headerDuration: header }),
      ...(audio !== audios[0] && { audioStreamIndex: indexOf(audio, streams) }),
    };
    return { ok: true, info };
  }
  return { ok: false, detail: 'it holds no audio or video stream' };
}

/**
 * The average rate, unless it differs from the base rate by no more than one frame's duration over the stream: then
 * only the last frame's duration is off (a remux that wrote it as 0 states 300 frames in 299 durations: 60.2 fps for a
 * 60 fps clip), and the base rate is the real one. Pure; the in-process MP4 reading applies the same rule.
 */
export function lastFrameOnly(average: number | null, base: number | null, frames: number): number | null {
  if (average === null || base === null || !(frames > 1) || average === base) return average;
  return Math.abs(average - base) / base <= 1 / (frames - 1) + 1e-9 ? base : average;
}

/** The sound a video loses: its first audio track, none of which decodes ('no-size' is a video's problem only). */
function droppedAudio(stream: FfprobeStream, streams: readonly FfprobeStream[], reason: UndecodableReason | 'no-size' | null): DroppedAudio {
  return { index: indexOf(stream, streams), codec: stream.codec_name ?? null, reason: reason === null || reason === 'no-size' ? 'no-decoder' : reason };
}

/** ffprobe's index of a stream (its place in the list when the field is missing). */
function indexOf(stream: FfprobeStream, streams: readonly FfprobeStream[]): number {
  return stream.index ?? streams.indexOf(stream);
}

/**
 * Why a stream cannot be decoded here, or null: what its boxes say first (an MP4's sample description, data reference
 * and sample count), then a codec ffprobe does not name, a video without a frame size, a codec without a decoder.
 */
function streamProblem(stream: FfprobeStream, at: number, decoders: ReadonlySet<string> | null, trackProblems: ReadonlyArray<TrackProblem | null>): UndecodableReason | 'no-size' | null {
  const fromBoxes = trackProblems[stream.index ?? at];
  if (fromBoxes) return fromBoxes;
  const codec = stream.codec_name ?? CODEC_OF_TAG[stream.codec_tag_string ?? ''];
  if (!codec) return stream.codec_tag_string === '[0][0][0][0]' ? 'no-sample-description' : 'no-decoder';
  if (stream.codec_type === 'video' && !((stream.width ?? 0) > 0 && (stream.height ?? 0) > 0)) return 'no-size';
  return decoders !== null && !decoders.has(codec) ? 'no-decoder' : null;
}

function undecodable(stream: FfprobeStream, reason: UndecodableReason | 'no-size'): ParsedProbe {
  if (reason === 'no-size') return { ok: false, detail: 'the video stream has no frame size' };
  const what: Undecodable = { stream: stream.codec_type === 'video' ? 'video' : 'audio', reason, codec: stream.codec_name ?? null };
  return { ok: false, detail: undecodableProblem(what), undecodable: what };
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

/** "2:1" → 2; "0:1", "N/A" and missing → 1 (square pixels). */
function parseSampleAspectRatio(value: string | undefined): number {
  const [num, den] = (value ?? '').split(':').map(Number);
  if (!num || !den || !Number.isFinite(num / den) || num <= 0 || den <= 0) return 1;
  return num / den;
}

const HDR_TRANSFERS: Record<string, VideoColor['hdr']> = { 'arib-std-b67': 'hlg', smpte2084: 'pq' };
/** Dolby Vision's base-layer compatibility ids: 1 HDR10, 2 SDR, 4 HLG (6 Blu-ray HDR10, 0 none); profile 9 is an SDR AVC base. */
const SDR_COMPATIBLE = 2;
const SDR_BASE_PROFILE = 9;

/** Colour tags, bit depth and dynamic range of a video stream. */
function parseColor(stream: FfprobeStream): VideoColor {
  const dovi = stream.side_data_list?.find((d) => /^DOVI configuration/i.test(d.side_data_type ?? ''));
  // a base layer that is SDR (compatibility id 2: profile 8.2, and profile 9) plays as SDR: the enhancement is only metadata
  const dolbyVision = dovi !== undefined && dovi.dv_bl_signal_compatibility_id !== SDR_COMPATIBLE && dovi.dv_profile !== SDR_BASE_PROFILE;
  const tag = (value: string | undefined) => (value && value !== 'unknown' && value !== 'reserved' ? value : null);
  const transfer = tag(stream.color_transfer);
  return {
    primaries: tag(stream.color_primaries),
    transfer,
    matrix: tag(stream.color_space),
    range: tag(stream.color_range),
    bitDepth: bitDepthOf(stream),
    hdr: dolbyVision ? 'dolby-vision' : (HDR_TRANSFERS[transfer ?? ''] ?? null),
  };
}

/** "yuv420p10le" → 10, "p010le" → 10, "yuv420p" → 8; null without a pixel format. */
function bitDepthOf(stream: FfprobeStream): number | null {
  const raw = Number(stream.bits_per_raw_sample);
  if (Number.isInteger(raw) && raw > 0) return raw;
  const format = stream.pix_fmt;
  if (!format) return null;
  const depth = format.match(/p(\d{2})(le|be)?$/) ?? format.match(/^p0(1\d)/);
  return depth ? Number(depth[1]) : 8;
}

function streamSeconds(stream: FfprobeStream): number | null {
  return parseSeconds(stream.duration) ?? parseClock(stream.tags?.DURATION ?? stream.tags?.duration);
}

function maxOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
