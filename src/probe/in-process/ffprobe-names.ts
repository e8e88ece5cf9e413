/** Pure: the names ffprobe prints, for what the in-process reader finds. A code missing here makes the file fall back. */
import { fallBack } from './fallback.js';

/** mediabunny's audio codec names → ffprobe's codec_name (the remote reader names them so too). */
export const AUDIO_CODECS: Readonly<Record<string, string>> = {
  aac: 'aac', mp3: 'mp3', opus: 'opus', vorbis: 'vorbis', flac: 'flac', ac3: 'ac3', eac3: 'eac3', alac: 'alac',
  'pcm-u8': 'pcm_u8', 'pcm-s8': 'pcm_s8', 'pcm-s16': 'pcm_s16le', 'pcm-s16be': 'pcm_s16be', 'pcm-s24': 'pcm_s24le',
  'pcm-s24be': 'pcm_s24be', 'pcm-s32': 'pcm_s32le', 'pcm-s32be': 'pcm_s32be', 'pcm-f32': 'pcm_f32le', 'pcm-f32be': 'pcm_f32be',
  'pcm-f64': 'pcm_f64le', 'pcm-f64be': 'pcm_f64be', ulaw: 'pcm_mulaw', alaw: 'pcm_alaw',
};

export function ffprobeAudioCodec(codec: string | null): string {
  return AUDIO_CODECS[codec ?? ''] ?? fallBack('codec', `audio codec ${codec ?? 'unknown to the toolkit'}`);
}

/** AAC at this rate or lower may carry SBR without saying so in its config: ffprobe's decoder then reports twice the rate. */
const IMPLICIT_SBR_MAX_RATE = 24_000;

/** Falls back for an audio-only file whose stated AAC rate the decoder may double (its rate and channels are in MediaInfo). */
export function implicitSbrCheck(track: { codec: string | null; sampleRate: number }): void {
  if (track.codec === 'aac' && track.sampleRate <= IMPLICIT_SBR_MAX_RATE) fallBack('codec', `AAC at ${track.sampleRate} Hz: it may carry SBR, which ffprobe's decoder reports at twice the rate`);
}

/** ITU-T H.273 colour codes → ffmpeg's names; HDR transfers and rarer codes are left to ffprobe. */
const PRIMARIES: Readonly<Record<number, string>> = { 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020' };
const TRANSFERS: Readonly<Record<number, string>> = { 1: 'bt709', 6: 'smpte170m', 13: 'iec61966-2-1' };
const MATRICES: Readonly<Record<number, string>> = { 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020nc' };
/** 2 is "unspecified": ffprobe prints "unknown", which MediaInfo holds as null. */
const UNSPECIFIED = 2;

export function colourName(kind: 'primaries' | 'transfer' | 'matrix', code: number): string | null {
  if (code === UNSPECIFIED) return null;
  const table = kind === 'primaries' ? PRIMARIES : kind === 'transfer' ? TRANSFERS : MATRICES;
  return table[code] ?? fallBack('trait', `${kind} code ${code} (HDR or rare colour tags are read by ffprobe)`);
}
