/** Pure: an MP3 whose Xing/Info or VBRI header states a frame count (or byte count) its frames do not match. */
import { count, beyondTolerance, seconds, type ByteSource, type Damage } from './damage.js';

/** An MP3 larger than this is not walked (no verdict): the audio cap is 15 MB. */
const MAX_WALK_BYTES = 256 * 1024 * 1024;

const RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
/** kb/s by [MPEG-1?][layer 3=I,2=II,1=III] and index. */
const BITRATES = {
  v1: { 3: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], 2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384], 1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] },
  v2: { 3: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256], 2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160], 1: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] },
} as const;

export interface FrameHeader {
  version: number;
  layer: number;
  sampleRate: number;
  samples: number;
  length: number;
  mono: boolean;
}

/** An MPEG audio frame header at `at`; null when the bytes there are not one (or a free-format frame, which has no length). */
export function frameHeader(bytes: Uint8Array, at: number): FrameHeader | null {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (bytes[at + 1]! >> 3) & 3;
  const layer = (bytes[at + 1]! >> 1) & 3;
  const bitrateIndex = bytes[at + 2]! >> 4;
  const rateIndex = (bytes[at + 2]! >> 2) & 3;
  if (version === 1 || layer === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const sampleRate = RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? BITRATES.v1 : BITRATES.v2)[layer as 1 | 2 | 3][bitrateIndex]!;
  const padding = (bytes[at + 2]! >> 1) & 1;
  const samples = layer === 3 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  const length = layer === 3 ? (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4 : Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + padding;
  return { version, layer, sampleRate, samples, length, mono: ((bytes[at + 3]! >> 6) & 3) === 3 };
}

/** The frame and byte counts a Xing/Info or VBRI header states, read from the first frame. */
export function statedCounts(bytes: Uint8Array, at: number, first: FrameHeader): { tag: 'Xing' | 'Info' | 'VBRI'; frames: number | null; bytes: number | null } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sideInfo = first.version === 3 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
  const xing = at + 4 + sideInfo;
  const tag = ascii(bytes, xing);
  if ((tag === 'Xing' || tag === 'Info') && xing + 8 <= bytes.length) {
    const flags = view.getUint32(xing + 4);
    let field = xing + 8;
    const frames = flags & 1 && field + 4 <= bytes.length ? view.getUint32(field) : null;
    if (flags & 1) field += 4;
    const size = flags & 2 && field + 4 <= bytes.length ? view.getUint32(field) : null;
    return { tag, frames, bytes: size };
  }
  const vbri = at + 36;
  if (ascii(bytes, vbri) === 'VBRI' && vbri + 18 <= bytes.length) return { tag: 'VBRI', bytes: view.getUint32(vbri + 10), frames: view.getUint32(vbri + 14) };
  return null;
}

/**
 * `audioStart`: where the first frame is (after any ID3v2 tag). Null when there is no Xing/Info/VBRI frame count (the
 * probe measures such files by counting packets), or the count matches the frames within the tolerance.
 */
export function assessMp3(source: ByteSource, audioStart: number): Damage | null {
  const head = source.read(audioStart, 4096);
  const first = frameHeader(head, 0);
  if (!first || first.layer !== 1) return null;
  const stated = statedCounts(head, 0, first);
  if (!stated || stated.frames === null || stated.frames === 0) return null;
  if (source.size > MAX_WALK_BYTES) return null;
  const bytes = source.read(audioStart, source.size - audioStart);
  const walk = walkFrames(bytes, first.length);
  const headerSays = (stated.frames * first.samples) / first.sampleRate;
  const decodes = (walk.frames * first.samples) / first.sampleRate;
  if (!beyondTolerance(headerSays, decodes)) return null;
  const held = bytes.length;
  const cut = walk.cutShort || (stated.bytes !== null && stated.bytes > held + first.length);
  const promise = stated.bytes !== null ? ` in ${count(stated.bytes)} bytes` : '';
  const holds = stated.bytes !== null && stated.bytes > held ? `the file holds ${count(held)} bytes, and ` : '';
  return {
    kind: cut && decodes < headerSays ? 'truncated' : 'header_mismatch',
    headerSays, decodes, fraction: Math.min(1, decodes / headerSays),
    detail: `its ${stated.tag} header states ${count(stated.frames)} frames (${seconds(headerSays)})${promise}, but ${holds}its frames last ${seconds(decodes)}`,
  };
}

/** Counts the whole audio frames after the header frame; `cutShort` when the last one runs past the end of the file. */
export function walkFrames(bytes: Uint8Array, headerFrameLength: number): { frames: number; cutShort: boolean } {
  let at = headerFrameLength;
  let frames = 0;
  let cutShort = false;
  // an ID3v1 tag (128 bytes) or APE tag may end the file
  const end = bytes.length >= 128 && ascii(bytes, bytes.length - 128).startsWith('TAG') ? bytes.length - 128 : bytes.length;
  while (at + 4 <= end) {
    const frame = frameHeader(bytes, at);
    if (!frame) {
      const next = resync(bytes, at + 1, end);
      if (next === null) break;
      at = next;
      continue;
    }
    if (at + frame.length > end) {
      cutShort = true;
      break;
    }
    frames++;
    at += frame.length;
  }
  // fewer than 4 bytes of a frame's sync left: the last frame was cut inside its header
  if (!cutShort && at < end && end - at < 4 && bytes[at] === 0xff) cutShort = true;
  return { frames, cutShort };
}

/** The next offset where two frames follow each other (a lone sync pattern in junk is not a frame). */
function resync(bytes: Uint8Array, from: number, end: number): number | null {
  for (let at = from; at + 4 <= end; at++) {
    if (bytes[at] !== 0xff) continue;
    const frame = frameHeader(bytes, at);
    if (frame && (at + frame.length === end || frameHeader(bytes, at + frame.length))) return at;
  }
  return null;
}

function ascii(bytes: Uint8Array, at: number): string {
  return at + 4 <= bytes.length ? String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!) : '';
}
