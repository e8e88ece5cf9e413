/** Pure: mediabunny's names for what a remote header holds → the names the local probe (ffprobe's) uses, so the rules read them alike. */
import type { VideoColor } from '../media-info.js';
import { AUDIO_CODECS } from '../in-process/ffprobe-names.js';

const VIDEO_CODECS: Readonly<Record<string, string>> = { avc: 'h264', hevc: 'hevc', vp9: 'vp9', vp8: 'vp8', av1: 'av1', prores: 'prores' };


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
