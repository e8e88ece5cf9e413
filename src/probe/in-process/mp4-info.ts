/** Pure: MediaInfo for an MP4/MOV from its index and the first audio track's parameters, exactly as the ffprobe path gives it. */
import { lastFrameOnly, type FileFacts } from '../ffprobe-parse.js';
import { orientationOf } from '../display-matrix.js';
import { displayedSize, type AudioInfo, type VideoInfo } from '../media-info.js';
import { fallBack } from './fallback.js';
import { streamFields } from './stream-fields.js';
import { ffprobeAudioCodec, implicitSbrCheck } from './ffprobe-names.js';
import { h264Colour, h264PixelFormat, hevcColour, hevcPixelFormat } from './h264-facts.js';
import { firstSpsOfHvcConfig, parseHevcSps } from './hevc-sps.js';
import { firstSpsOfAvcConfig, parseH264Sps, type H264Sps } from './h264-sps.js';
import type { Mp4Index, Mp4Track } from './mp4-boxes.js';

/** What the toolkit read of the first audio track. */
export interface AudioTrackFacts {
  codec: string | null;
  /** RFC 6381 codec string ('mp4a.40.2'). */
  codecString: string | null;
  sampleRate: number;
  channels: number;
}

/** 1.0 in 16.16 and in 2.30 fixed point: the parts of an identity display matrix. */
const ONE = 0x10000;
const W_ONE = 0x40000000;
/** The same limits the ffprobe path applies (ffprobe-parse.ts): a stated rate above it, or base and average rates this far apart, are measured instead. */
const MAX_PLAUSIBLE_FPS = 240;
const VFR_TOLERANCE = 0.02;
/** Sample entries read in-process, by ffprobe's codec name. */
const VIDEO_SAMPLE_ENTRIES: Readonly<Record<string, 'h264' | 'hevc'>> = { avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc' };
/** Track handlers whose streams this reading reproduces: video, sound, timecode. */
const KNOWN_HANDLERS: ReadonlySet<string> = new Set(['vide', 'soun', 'tmcd']);
/** Boxes of a visual sample entry that make ffprobe print what this reading does not reproduce. */
const UNREAD_ENTRY_BOXES: Readonly<Record<string, string>> = {
  dvcC: 'a Dolby Vision configuration', dvvC: 'a Dolby Vision configuration', dvwC: 'a Dolby Vision configuration', clap: 'a clean aperture (clap) box',
};

export function mp4MediaInfo(facts: FileFacts, index: Mp4Index, audioTrack: AudioTrackFacts | null, decoders: ReadonlySet<string> | null): VideoInfo | AudioInfo {
  if (index.fragmented) fallBack('trait', 'a fragmented MP4: its fragments, not the index, hold the samples');
  if (index.coverArt) fallBack('trait', 'cover art (ffprobe lists it as a stream)');
  if (!(index.timescale > 0)) fallBack('parse-error', 'the movie header has no timescale');
  if (!isIdentity(index.matrix)) fallBack('trait', 'a movie-wide display matrix');
  const video = index.tracks.find((t) => t.handler === 'vide');
  const audio = index.tracks.find((t) => t.handler === 'soun');
  if (!video && !audio) fallBack('trait', 'no audio or video track');
  if (audio && !audioTrack) fallBack('codec', `audio sample entry ${audio.sampleEntry ?? 'missing'}`);
  if (audioTrack && /^mp4a\.40\.(5|29)$/.test(audioTrack.codecString ?? '')) fallBack('codec', 'HE-AAC (ffprobe reports the decoded rate and channels)');

  // a timecode track is one more stream to ffprobe; text, metadata and hint tracks are left to it
  const other = index.tracks.find((t) => !KNOWN_HANDLERS.has(t.handler));
  if (other) fallBack('trait', `a ${other.handler} track (text, metadata or hint)`);
  const timing = new Map(index.tracks.map((t) => [t, trackTiming(t, index.timescale)]));
  const seconds = (track: Mp4Track) => timing.get(track)!.duration;
  // ffmpeg's format duration: from the earliest start to the latest end of the streams (not the movie header's figure)
  const starts = [...timing.values()].map((t) => t.start);
  const containerDuration = round6(Math.max(...[...timing.values()].map((t) => t.start + t.duration)) - Math.min(...starts));
  const streamDuration = maxOf(index.tracks.map(seconds));
  const duration = maxOf([containerDuration, streamDuration]);
  const audioCodec = audioTrack ? ffprobeAudioCodec(audioTrack.codec) : null;

  if (!video) {
    implicitSbrCheck(audioTrack!);
    return {
      ...facts, kind: 'audio', audioCodec: audioCodec!, duration, containerDuration, streamDuration,
      sampleRate: audioTrack!.sampleRate, channels: audioTrack!.channels, hasAudio: true,
    };
  }
  const codec = VIDEO_SAMPLE_ENTRIES[video.sampleEntry ?? ''] ?? fallBack('codec', `video sample entry ${video.sampleEntry ?? 'missing'} (H.264 and H.265 are read in-process)`);
  const unread = video.entryBoxes.find((box) => UNREAD_ENTRY_BOXES[box]);
  if (unread) fallBack('trait', UNREAD_ENTRY_BOXES[unread]!);
  if (!video.codecConfig) fallBack('parse-error', `a ${video.sampleEntry} sample entry without its decoder configuration`);
  const sps = codec === 'h264' ? parseH264Sps(firstSpsOfAvcConfig(video.codecConfig)) : parseHevcSps(firstSpsOfHvcConfig(video.codecConfig));
  const { rotation, mirrored } = orientation(video.matrix);
  const sampleAspectRatio = sampleAspect(video, sps);
  const fps = statedRate(video);
  return {
    ...facts,
    kind: 'video',
    ...displayedSize(Math.round(sps.width * sampleAspectRatio), sps.height, rotation === 90 || rotation === 270),
    storedWidth: sps.width,
    storedHeight: sps.height,
    sampleAspectRatio,
    rotation,
    mirrored,
    videoCodec: codec,
    videoDecodable: decoders === null || decoders.has(codec),
    pixelFormat: codec === 'h264' ? h264PixelFormat(sps, video.colour) : hevcPixelFormat(sps),
    color: codec === 'h264' ? h264Colour(sps, video.colour) : hevcColour(sps),
    fps,
    fpsSource: 'stated',
    variableFrameRate: false,
    duration,
    containerDuration,
    streamDuration,
    ...streamFields(index.tracks, video, audio, seconds, audioCodec),
  };
}

/**
 * A track's start and length as ffmpeg's mov demuxer gives them. With an edit list of leading empty edits (a delay) and
 * one media edit: the delay, and the media from the edit's start on. The edit's own length is rounded to the movie's
 * clock and the last sample is kept whole, so the media's length wins, unless reordered frames (B-frames, shifted by the
 * edit's start) are shown past the media's end: then the edit's. Without an edit list: the shorter of the header
 * duration and the summed sample durations, from 0. An edit that trims the media falls back.
 */
function trackTiming(track: Mp4Track, movieTimescale: number): { start: number; duration: number } {
  if (!(track.timescale > 0)) fallBack('parse-error', 'a track without a timescale');
  const summed = track.sampleDeltas.reduce((sum, e) => sum + e.count * e.delta, 0);
  const length = Math.min(track.mediaDuration, summed || track.mediaDuration);
  if (!track.edits) return { start: 0, duration: round6(length / track.timescale) };
  const media = track.edits.findIndex((e) => e.mediaTime !== -1);
  if (media === -1 || media !== track.edits.length - 1) fallBack('trait', `an edit list of ${track.edits.length} edits that is not a delay then one media segment`);
  const edit = track.edits[media]!;
  const rest = (track.mediaDuration - edit.mediaTime) / track.timescale;
  const segment = edit.segmentDuration / movieTimescale;
  const tick = 1 / movieTimescale;
  const lastSample = (track.sampleDeltas.at(-1)?.delta ?? 0) / track.timescale;
  const reordered = edit.mediaTime / track.timescale;
  if (segment < rest - lastSample || segment > rest + reordered + tick) fallBack('trait', `an edit of ${round6(segment)} s over ${round6(rest)} s of media (a trim)`);
  const delay = track.edits.slice(0, media).reduce((sum, e) => sum + e.segmentDuration, 0);
  const start = Math.round((delay * track.timescale) / movieTimescale) / track.timescale;
  return { start: round6(start), duration: round6(segment > rest + tick ? segment : rest) };
}

/** ffmpeg's average rate (samples over summed durations) and base rate (the one sample duration); variable durations fall back. */
function statedRate(track: Mp4Track): number {
  const deltas = track.sampleDeltas;
  const frames = deltas.reduce((sum, e) => sum + e.count, 0);
  const ticks = deltas.reduce((sum, e) => sum + e.count * e.delta, 0);
  const constant = deltas.length === 1 || (deltas.length === 2 && deltas[1]!.count === 1);
  if (!constant || !(ticks > 0) || !(deltas[0]!.delta > 0)) fallBack('trait', `sample durations vary (${deltas.length} runs): ffprobe guesses the base rate and the packets are measured`);
  const average = (track.timescale * frames) / ticks;
  const base = track.timescale / deltas[0]!.delta;
  const rate = lastFrameOnly(average, base, frames)!;
  if (rate > MAX_PLAUSIBLE_FPS || Math.abs(base - rate) / rate > VFR_TOLERANCE) fallBack('trait', `stated rate ${round6(rate)} is implausible or disagrees with the base rate ${round6(base)}: the packets are measured`);
  return rate;
}

/** Rotation and mirroring as parseOrientation reads ffprobe's display matrix; only quarter turns and mirrors are taken. */
function orientation(m: number[]): { rotation: 0 | 90 | 180 | 270; mirrored: boolean } {
  const [a = 0, b = 0, u = 0, c = 0, d = 0, v = 0, , , w = 0] = m;
  const axisAligned = Math.abs(a) === ONE && b === 0 && c === 0 && Math.abs(d) === ONE;
  const swapped = a === 0 && Math.abs(b) === ONE && Math.abs(c) === ONE && d === 0;
  if (!(axisAligned || swapped) || u !== 0 || v !== 0 || w !== W_ONE) fallBack('trait', 'a display matrix that scales or skews');
  if (isIdentity(m)) return { rotation: 0, mirrored: false };
  // av_display_rotation_get gives −atan2(b, a) counter-clockwise; parseOrientation turns it clockwise
  const degrees = (Math.atan2(b / Math.hypot(b, d), a / Math.hypot(a, c)) * 180) / Math.PI;
  const theta = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return orientationOf(theta, m);
}

function isIdentity(m: number[]): boolean {
  return m.every((value, i) => value === [ONE, 0, 0, 0, ONE, 0, 0, 0, W_ONE][i]);
}

/** The container's pixel aspect (pasp) wins over the stream's, as av_guess_sample_aspect_ratio has it. */
function sampleAspect(track: Mp4Track, sps: H264Sps): number {
  const pasp = track.pixelAspect;
  if (pasp && pasp.h > 0 && pasp.v > 0) return pasp.h / pasp.v;
  const vui = sps.sampleAspect;
  return vui && vui.num > 0 && vui.den > 0 ? vui.num / vui.den : 1;
}

function round6(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function maxOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
