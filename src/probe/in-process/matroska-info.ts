/** Pure: MediaInfo for a Matroska/WebM file from its index, exactly as the ffprobe path gives it, or a fallback. */
import { parseClock, type FileFacts } from '../ffprobe-parse.js';
import { displayedSize, type AudioInfo, type VideoColor, type VideoInfo } from '../media-info.js';
import { fallBack } from './fallback.js';
import { streamFields } from './stream-fields.js';
import { colourName, ffprobeAudioCodec, implicitSbrCheck } from './ffprobe-names.js';
import { firstSpsOfAvcConfig, parseH264Sps } from './h264-sps.js';
import { h264Colour, h264PixelFormat, hevcColour, hevcPixelFormat } from './h264-facts.js';
import { firstSpsOfHvcConfig, parseHevcSps } from './hevc-sps.js';
import type { MkvIndex, MkvTrack } from './matroska-index.js';
import type { AudioTrackFacts } from './mp4-info.js';
import type { Vp9Header } from './vp9-header.js';
import { packetsOverrule, rateFromPacketTimes } from '../packet-rate.js';

/** Matroska TrackType: video, audio, subtitle; ffmpeg makes a stream of each. */
const VIDEO = 1;
const AUDIO = 2;
const SUBTITLE = 17;
/** As in ffprobe-parse.ts: a stated rate above this is measured from the packets instead. */
const MAX_PLAUSIBLE_FPS = 240;
/** ffmpeg's VP9 colour_space code → the matrix name ffprobe prints (0 unknown and 6 reserved print nothing we keep). */
const VP9_MATRICES: ReadonlyArray<string | null> = [null, 'bt470bg', 'bt709', 'smpte170m', 'smpte240m', 'bt2020nc', null];

/** What the caller read of the first video track's first frame (VP9 only: its header holds the colour facts). */
export interface MkvVideoFrame {
  vp9: Vp9Header | null;
  /** Presentation times (seconds) of the video track's first blocks, which its DefaultDuration must agree with. */
  blockTimes?: number[] | null;
}

export function matroskaMediaInfo(facts: FileFacts, index: MkvIndex, audioTrack: AudioTrackFacts | null, frame: MkvVideoFrame, decoders: ReadonlySet<string> | null): VideoInfo | AudioInfo {
  if (index.hasAttachments) fallBack('trait', 'attachments (ffprobe lists each as a stream; cover art as a picture)');
  if (index.duration === null || !(index.duration > 0)) fallBack('estimated-duration', 'the segment states no duration');
  const odd = index.tracks.find((t) => t.type !== VIDEO && t.type !== AUDIO && t.type !== SUBTITLE);
  if (odd) fallBack('trait', `a track of type ${odd.type}`);
  const video = index.tracks.find((t) => t.type === VIDEO);
  const audio = index.tracks.find((t) => t.type === AUDIO);
  if (!video && !audio) fallBack('trait', 'no audio or video track');
  if (audio && !audioTrack) fallBack('codec', `audio codec ${audio.codecId}`);
  if (audioTrack && /^mp4a\.40\.(5|29)$/.test(audioTrack.codecString ?? '')) fallBack('codec', 'HE-AAC (ffprobe reports the decoded rate and channels)');

  const containerDuration = round6((index.duration * index.timestampScale) / 1e9);
  // ffprobe gives Matroska streams no duration of their own: only a DURATION tag aimed at the track
  const seconds = (track: MkvTrack) => parseClock(index.durationTags.get(track.uid));
  const streamDuration = maxOf(index.tracks.filter((t) => t.type === VIDEO || t.type === AUDIO).map(seconds));
  const duration = maxOf([containerDuration, streamDuration]);
  const audioCodec = audioTrack ? ffprobeAudioCodec(audioTrack.codec) : null;
  if (!video) {
    implicitSbrCheck(audioTrack!);
    return { ...facts, kind: 'audio', audioCodec: audioCodec!, duration, containerDuration, streamDuration, sampleRate: audioTrack!.sampleRate, channels: audioTrack!.channels, hasAudio: true };
  }

  const picture = videoPicture(video, frame);
  const shown = video.video;
  if (!shown) fallBack('parse-error', 'a video track without its Video element');
  if (shown.unread.length) fallBack('trait', `${shown.unread.join(' and ')} in the track header`);
  const fps = statedRate(video, frame.blockTimes ?? null);
  return {
    ...facts,
    kind: 'video',
    ...displayedSize(Math.round(picture.width * picture.sampleAspectRatio), picture.height, false),
    storedWidth: picture.width,
    storedHeight: picture.height,
    sampleAspectRatio: picture.sampleAspectRatio,
    rotation: 0,
    mirrored: false,
    videoCodec: picture.codec,
    videoDecodable: decoders === null || decoders.has(picture.codec),
    pixelFormat: picture.pixelFormat,
    color: picture.color,
    fps,
    fpsSource: 'stated',
    variableFrameRate: false,
    duration,
    containerDuration,
    streamDuration,
    ...streamFields(index.tracks, video, audio, seconds, audioCodec),
  };
}

interface Picture {
  codec: string;
  width: number;
  height: number;
  sampleAspectRatio: number;
  pixelFormat: string;
  color: VideoColor;
}

/** Codec, coded size, pixel format and colour from the bitstream the decoder would read: H.264's SPS, VP9's key frame header. */
function videoPicture(track: MkvTrack, frame: MkvVideoFrame): Picture {
  const shown = track.video;
  // ffmpeg turns a display size into the stream's aspect ratio, which wins over the bitstream's: only square pixels are taken
  const square = !shown || shown.displayWidth === null || shown.displayHeight === null || shown.displayWidth * shown.pixelHeight === shown.displayHeight * shown.pixelWidth;
  if (!square || (shown && shown.displayUnit !== 0)) fallBack('trait', 'a display size that is not the pixel size (anamorphic)');
  if (track.codecId === 'V_MPEG4/ISO/AVC') {
    if (!track.codecPrivate) fallBack('parse-error', 'H.264 without its CodecPrivate (avcC)');
    const sps = parseH264Sps(firstSpsOfAvcConfig(track.codecPrivate));
    if (sps.sampleAspect && sps.sampleAspect.num !== sps.sampleAspect.den && sps.sampleAspect.num > 0) fallBack('trait', 'a sample aspect ratio in the H.264 stream of a Matroska track');
    return { codec: 'h264', width: sps.width, height: sps.height, sampleAspectRatio: 1, pixelFormat: h264PixelFormat(sps, shown?.colour ?? null), color: h264Colour(sps, shown?.colour ?? null) };
  }
  if (track.codecId === 'V_MPEGH/ISO/HEVC') {
    if (!track.codecPrivate) fallBack('parse-error', 'H.265 without its CodecPrivate (hvcC)');
    const sps = parseHevcSps(firstSpsOfHvcConfig(track.codecPrivate));
    if (sps.sampleAspect && sps.sampleAspect.num !== sps.sampleAspect.den && sps.sampleAspect.num > 0) fallBack('trait', 'a sample aspect ratio in the H.265 stream of a Matroska track');
    return { codec: 'hevc', width: sps.width, height: sps.height, sampleAspectRatio: 1, pixelFormat: hevcPixelFormat(sps), color: hevcColour(sps) };
  }
  if (track.codecId === 'V_VP9') {
    const header = frame.vp9 ?? fallBack('parse-error', 'the first VP9 frame is not a readable key frame');
    if (!header.subsamplingX || !header.subsamplingY || header.colorSpace === 7 || (header.bitDepth !== 8 && header.bitDepth !== 10)) fallBack('trait', `VP9 profile ${header.profile} (${header.bitDepth}-bit, not 4:2:0 YUV)`);
    return {
      codec: 'vp9', width: header.width, height: header.height, sampleAspectRatio: 1,
      pixelFormat: header.bitDepth === 10 ? 'yuv420p10le' : 'yuv420p',
      // the matrix and range are in every VP9 frame, which the decoder reads; primaries and transfer only in the container
      color: {
        primaries: colourName('primaries', shown?.colour?.primaries ?? 2),
        transfer: colourName('transfer', shown?.colour?.transfer ?? 2),
        matrix: VP9_MATRICES[header.colorSpace] ?? null,
        range: header.fullRange ? 'pc' : 'tv',
        bitDepth: header.bitDepth,
        hdr: null,
      },
    };
  }
  return fallBack('codec', `video codec ${track.codecId} (H.264, H.265 and VP9 are read in-process)`);
}

/** ffmpeg's rate for a Matroska track is its DefaultDuration; without one it is guessed from the packets (left to ffprobe). */
function statedRate(track: MkvTrack, times: number[] | null): number {
  const ns = track.defaultDurationNs;
  if (!ns) fallBack('trait', 'no DefaultDuration: ffprobe guesses the frame rate from the packets');
  const fps = 1e9 / ns;
  if (fps > MAX_PLAUSIBLE_FPS) fallBack('trait', `a stated rate of ${round6(fps)} fps (a timebase, not a frame rate): the packets are measured`);
  // the muxer writes what it was told; the blocks' times are the rate (the ffprobe path measures them the same way)
  const measured = times ? rateFromPacketTimes(times) : null;
  if (packetsOverrule(fps, measured)) fallBack('trait', `DefaultDuration says ${round6(fps)} fps, its blocks ${measured.fps}${measured.variable ? ' and varying' : ''}: the packets are measured`);
  return fps;
}

function round6(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function maxOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
