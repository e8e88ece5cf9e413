/** Reads an MP3, WAV, FLAC or Ogg file in-process with the toolkit, after our own check of its first bytes. */
import { closeSync, openSync } from 'node:fs';
import { id3TagEnd } from '../detect-format.js';
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo } from '../media-info.js';
import { fallBack } from './fallback.js';
import { ffprobeAudioCodec } from './ffprobe-names.js';
import { readMpegAudioStart } from './mp3-frame.js';
import { readWaveLayout } from './riff-wave.js';
import { mediabunny, readBytes, type ToolkitInput } from './toolkit.js';

/** Bytes read to find an MPEG audio frame header or a WAV's data chunk. */
const HEAD_BYTES = 4096;
/** A counted length this far from the stated one (seconds) means the file was cut or the header is wrong. */
const COUNT_TOLERANCE_SECONDS = 0.01;

/** WAV format tags the toolkit reads (PCM, float, A-law, mu-law, extensible); ADPCM, GSM and MP3 inside a WAV go to ffprobe. */
const WAVE_FORMAT_TAGS: ReadonlySet<number> = new Set([1, 3, 6, 7, 0xfffe]);

export async function readAudioFile(facts: FileFacts): Promise<AudioInfo> {
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

async function audioFileInfo(facts: FileFacts, head: Uint8Array, input: ToolkitInput): Promise<AudioInfo> {
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
