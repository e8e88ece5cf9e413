/** Pure: mediabunny's names for what a remote header holds → the names the local probe (ffprobe's) uses, so the rules read them alike. */
import type { VideoColor } from '../media-info.js';

const VIDEO_CODECS: Readonly<Record<string, string>> = { avc: 'h264', hevc: 'hevc', vp9: 'vp9', vp8: 'vp8', av1: 'av1', prores: 'prores' };

const AUDIO_CODECS: Readonly<Record<string, string>> = {
  aac: 'aac', mp3: 'mp3', opus: 'opus', vorbis: 'vorbis', flac: 'flac', ac3: 'ac3', eac3: 'eac3', alac: 'alac',
  'pcm-u8': 'pcm_u8', 'pcm-s8': 'pcm_s8', 'pcm-s16': 'pcm_s16le', 'pcm-s16be': 'pcm_s16be', 'pcm-s24': 'pcm_s24le',
  'pcm-s24be': 'pcm_s24be', 'pcm-s32': 'pcm_s32le', 'pcm-s32be': 'pcm_s32be', 'pcm-f32': 'pcm_f32le', 'pcm-f32be': 'pcm_f32be',
  'pcm-f64': 'pcm_f64le', 'pcm-f64be': 'pcm_f64be', ulaw: 'pcm_mulaw', alaw: 'pcm_alaw',
};

/** An unknown codec keeps the toolkit's own name (never guessed into an accepted one): the rules then refuse it. */
export function videoCodecName(codec: string | null): string {
  return codec === null ? 'unknown' : (VIDEO_CODECS[codec] ?? codec);
}

export function audioCodecName(codec: string | null): string {
  return codec === null ? 'unknown' : (AUDIO_CODECS[codec] ?? codec);
}

/** The colour facts a header states; bit depth is not in it (null), HDR from the transfer (PQ, HLG). */
export function colorFacts(space: { primaries?: string | null; transfer?: string | null; matrix?: string | null; fullRange?: boolean | null }): VideoColor {
  const transfer = space.transfer ?? null;
  return {
    primaries: space.primaries ?? null,
    transfer,
    matrix: space.matrix ?? null,
    range: space.fullRange === true ? 'pc' : space.fullRange === false ? 'tv' : null,
    bitDepth: null,
    hdr: transfer === 'pq' ? 'pq' : transfer === 'hlg' ? 'hlg' : null,
  };
}
