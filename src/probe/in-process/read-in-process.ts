/**
 * Reads a video or audio file's MediaInfo in this process (mediabunny, plus our own reading of what it does not show),
 * or says why ffprobe must read it instead. Never guesses: anything it cannot give exactly as ffprobe would is a fallback.
 */
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { fallBack, FallbackSignal, type Fallback } from './fallback.js';
import { readAudioFile } from './read-audio-file.js';
import { readMatroska } from './read-matroska.js';
import { readMp4 } from './read-mp4.js';
import { CONTAINER_ROUTES } from './routes.js';

export type InProcessResult = { ok: true; info: VideoInfo | AudioInfo } | { ok: false; fallback: Fallback };

/** `decoders`: the codecs the ffmpeg fix uses can decode, asked only when the file holds video. */
export async function readInProcess(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<InProcessResult> {
  try {
    const info = await read(facts, decoders);
    // a video's audio without a decoder is dropped with a warning (droppedAudio): ffprobe's path names it
    if (info.kind === 'video' && info.audioCodec && (await decoders())?.has(info.audioCodec) === false) fallBack('trait', `no decoder for its ${info.audioCodec} audio`);
    return { ok: true, info };
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
