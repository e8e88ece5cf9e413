/**
 * Reads a video or audio file's MediaInfo in this process (mediabunny, plus our own reading of what it does not show),
 * or says why ffprobe must read it instead. Never guesses: anything it cannot give exactly as ffprobe would is a fallback.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { CONTAINER_ROUTES } from './routes.js';
import { id3TagEnd } from '../detect-format.js';
import { fallBack, FallbackSignal, type Fallback } from './fallback.js';
import { ffprobeAudioCodec } from './ffprobe-names.js';
import { parseMoov, readBoxHeader } from './mp4-boxes.js';
import { mp4MediaInfo, type AudioTrackFacts } from './mp4-info.js';
import { readMpegAudioStart } from './mp3-frame.js';
import { readWaveLayout } from './riff-wave.js';
import { readMatroskaIndex } from './matroska-index.js';
import { matroskaMediaInfo } from './matroska-info.js';
import { parseVp9KeyFrame, type Vp9Header } from './vp9-header.js';

export type InProcessResult = { ok: true; info: VideoInfo | AudioInfo } | { ok: false; fallback: Fallback };

type Mediabunny = typeof import('./mediabunny-parts.js');

/** Bytes read to find an MPEG audio frame header or a WAV's data chunk. */
const HEAD_BYTES = 4096;
/** A counted length this far from the stated one (seconds) means the file was cut or the header is wrong. */
const COUNT_TOLERANCE_SECONDS = 0.01;
/** An index larger than this is left to ffprobe rather than read into memory at once. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

let loading: Promise<Mediabunny> | undefined;
/** mediabunny is loaded on the first media file, never at start-up (it would slow `--version` and every non-media command). */
function mediabunny(): Promise<Mediabunny> {
  loading ??= import('./mediabunny-parts.js');
  return loading;
}

/** `decoders`: the codecs the ffmpeg fix uses can decode, asked only when the file holds video. */
export async function readInProcess(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<InProcessResult> {
  try {
    return { ok: true, info: await read(facts, decoders) };
  } catch (error) {
    if (error instanceof FallbackSignal) return { ok: false, fallback: error.fallback };
    return { ok: false, fallback: { code: 'parse-error', detail: (error as Error).message } };
  }
}

async function read(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<VideoInfo | AudioInfo> {
  const reason = CONTAINER_ROUTES[facts.format as keyof typeof CONTAINER_ROUTES];
  if (reason) fallBack(facts.format === 'aac' ? 'estimated-duration' : 'container', `${facts.format.toUpperCase()}: ${reason}`);
  switch (facts.format) {
    case 'mp4':
    case 'mov':
    case 'm4a':
    case '3gp':
      return readMp4(facts, decoders);
    case 'mkv':
    case 'webm':
      return readMatroska(facts, decoders);
    case 'mp3':
    case 'wav':
    case 'flac':
    case 'ogg':
      return readAudioFile(facts);
    default:
      return fallBack('container', `${facts.format.toUpperCase()}: not a video or audio container`);
  }
}

async function readMp4(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<VideoInfo | AudioInfo> {
  const index = parseMoov(readMoov(facts.path, facts.sizeBytes));
  // asked before the toolkit loads, so the first file's ffmpeg -decoders runs while it does
  const decoding = index.tracks.some((t) => t.handler === 'vide') ? decoders() : Promise.resolve(null);
  const audio = index.tracks.some((t) => t.handler === 'soun') ? await firstAudioTrack(facts.path) : null;
  return mp4MediaInfo(facts, index, audio, await decoding);
}

/** The moov box's contents, found by walking the top-level box headers; a box that runs past the end means a cut file. */
function readMoov(path: string, size: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    let moov: Uint8Array | null = null;
    while (at + 8 <= size) {
      const header = readBytes(fd, at, 16);
      const box = readBoxHeader(header, size - at);
      if (!box) fallBack('parse-error', `a malformed box header at byte ${at}`);
      if (box.type === 'moov') {
        if (box.end - box.start > MAX_MOOV_BYTES) fallBack('trait', 'an index larger than 64 MB');
        moov = readBytes(fd, at + box.start, box.end - box.start);
      }
      at += box.end;
    }
    if (at !== size) fallBack('maybe-truncated', at > size ? `the last box runs ${at - size} bytes past the end of the file` : `${size - at} stray bytes after the last box`);
    return moov ?? fallBack('maybe-truncated', 'no moov box (the index): never finished writing, or cut');
  } finally {
    closeSync(fd);
  }
}

async function firstAudioTrack(path: string): Promise<AudioTrackFacts | null> {
  const { Input, FilePathSource, MP4, QTFF } = await mediabunny();
  const input = new Input({ source: new FilePathSource(path), formats: [MP4, QTFF] });
  try {
    return await audioTrackFacts(input);
  } finally {
    input.dispose();
  }
}

async function audioTrackFacts(input: InstanceType<Mediabunny['Input']>): Promise<AudioTrackFacts | null> {
  const [track] = await input.getAudioTracks();
  if (!track) return null;
  return { codec: await track.getCodec(), codecString: await track.getCodecParameterString(), sampleRate: await track.getSampleRate(), channels: await track.getNumberOfChannels() };
}

async function readMatroska(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<VideoInfo | AudioInfo> {
  const index = readMatroskaIndex(facts.path, facts.sizeBytes);
  const decoding = index.tracks.some((t) => t.type === 1) ? decoders() : Promise.resolve(null);
  const { Input, FilePathSource, MATROSKA, WEBM, EncodedPacketSink } = await mediabunny();
  const input = new Input({ source: new FilePathSource(facts.path), formats: [MATROSKA, WEBM] });
  try {
    const audio = index.tracks.some((t) => t.type === 2) ? await audioTrackFacts(input) : null;
    const video = index.tracks.find((t) => t.type === 1);
    let vp9: Vp9Header | null = null;
    if (video?.codecId === 'V_VP9') {
      // VP9 keeps its colour facts in the first key frame's header, not in the track header
      const [track] = await input.getVideoTracks();
      const packet = track ? await new EncodedPacketSink(track).getFirstPacket() : null;
      vp9 = packet ? parseVp9KeyFrame(packet.data) : null;
    }
    return matroskaMediaInfo(facts, index, audio, { vp9 }, await decoding);
  } finally {
    input.dispose();
  }
}

/** WAV format tags the toolkit reads (PCM, float, A-law, mu-law, extensible); ADPCM, GSM and MP3 inside a WAV go to ffprobe. */
const WAVE_FORMAT_TAGS: ReadonlySet<number> = new Set([1, 3, 6, 7, 0xfffe]);

async function readAudioFile(facts: FileFacts): Promise<AudioInfo> {
  const head = readHead(facts.path, facts.format === 'mp3');
  if (facts.format === 'wav') checkWave(head, facts.sizeBytes);
  const { Input, FilePathSource, MP3, WAVE, FLAC, OGG } = await mediabunny();
  // only the demuxer of the sniffed format: another one finding frames in it (MP3 inside a WAV) would read a different file than ffprobe
  const demuxer = { mp3: MP3, wav: WAVE, flac: FLAC, ogg: OGG }[facts.format as 'mp3' | 'wav' | 'flac' | 'ogg'];
  const input = new Input({ source: new FilePathSource(facts.path), formats: [demuxer] });
  try {
    return await audioFileInfo(facts, head, input);
  } finally {
    input.dispose();
  }
}

async function audioFileInfo(facts: FileFacts, head: Uint8Array, input: InstanceType<Mediabunny['Input']>): Promise<AudioInfo> {
  const [track] = await input.getAudioTracks();
  if (!track) fallBack('parse-error', 'the toolkit found no audio track');
  let codec: string;
  let duration: number | null;
  switch (facts.format) {
    case 'mp3': {
      const start = readMpegAudioStart(head);
      if (!start) fallBack('trait', 'the audio does not start with a frame header (bytes before it)');
      if (!start.exactFrameCount) fallBack('estimated-duration', `${start.codec.toUpperCase()} without a Xing/Info frame count: ffprobe estimates the length from the bitrate`);
      const stated = await input.getDurationFromMetadata();
      const counted = await input.computeDuration();
      if (stated === null || Math.abs(counted - stated) > COUNT_TOLERANCE_SECONDS) fallBack('maybe-truncated', `the frame count states ${stated === null ? 'no length' : `${stated.toFixed(3)} s`}, the frames hold ${counted.toFixed(3)} s`);
      codec = start.codec;
      duration = stated;
      break;
    }
    case 'wav': {
      codec = ffprobeAudioCodec(await track.getCodec());
      duration = await input.getDurationFromMetadata();
      break;
    }
    case 'flac':
      codec = ffprobeAudioCodec(await track.getCodec());
      duration = await input.getDurationFromMetadata();
      if (duration === null || duration <= 0) fallBack('estimated-duration', 'STREAMINFO states no sample count');
      break;
    default: {
      codec = ffprobeAudioCodec(await track.getCodec());
      if (codec !== 'vorbis' && codec !== 'opus') fallBack('codec', `${codec} in Ogg`);
      // the last page's granule position: the length ffprobe reads too
      duration = await input.computeDuration();
    }
  }
  const seconds = duration === null ? null : Math.round(duration * 1e6) / 1e6;
  return {
    ...facts, kind: 'audio', audioCodec: codec, duration: seconds, containerDuration: seconds, streamDuration: seconds,
    sampleRate: await track.getSampleRate(), channels: await track.getNumberOfChannels(), hasAudio: true,
  };
}

/** A WAV whose data chunk is complete and whose codec the toolkit reads. */
function checkWave(head: Uint8Array, sizeBytes: number): void {
  const layout = readWaveLayout(head);
  if (!layout) fallBack('parse-error', 'no fmt and data chunk in the first 4 KB');
  if (!WAVE_FORMAT_TAGS.has(layout.formatTag)) fallBack('codec', `WAV format tag ${layout.formatTag} (ADPCM, GSM, MP3 and other compressed WAVs are read by ffprobe)`);
  if (layout.dataSize === 0) fallBack('trait', 'an empty data chunk: ffprobe states no length and the packets are counted');
  const over = layout.dataStart + layout.dataSize - sizeBytes;
  if (over > 0) fallBack('maybe-truncated', `the data chunk states ${layout.dataSize} bytes, ${over} more than the file holds`);
}

/** The first bytes of the file, or for MP3 those after its ID3v2 tag (where the first frame starts). */
function readHead(path: string, skipId3: boolean): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = readBytes(fd, 0, HEAD_BYTES);
    const tagEnd = skipId3 ? id3TagEnd(head) : null;
    return tagEnd === null ? head : readBytes(fd, tagEnd, HEAD_BYTES);
  } finally {
    closeSync(fd);
  }
}

function readBytes(fd: number, position: number, length: number): Uint8Array {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
}
