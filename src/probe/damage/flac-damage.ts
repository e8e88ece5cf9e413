/** Pure: a FLAC whose STREAMINFO promises more samples than its frames hold. */
import { beyondTolerance, seconds, type ByteSource, type Damage } from './damage.js';

/** The last bytes searched for the last frame's header (a frame of 65,535 samples of 8 channels of 32 bits is rarely over this). */
const TAIL_BYTES = 256 * 1024;
/** No FLAC frame is smaller: header (6 bytes at least), one constant subframe per channel (2), CRC-16 (2). */
const MIN_FRAME_BYTES = 10;

export interface StreamInfo {
  minBlock: number;
  maxBlock: number;
  minFrame: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
  /** Where the first frame starts (after the last metadata block). */
  audioStart: number;
}

/** STREAMINFO and the end of the metadata blocks; null when it is not a FLAC or its metadata runs past the end. */
export function readStreamInfo(source: ByteSource): StreamInfo | null {
  const head = source.read(0, 42);
  if (head.length < 42 || String.fromCharCode(...head.subarray(0, 4)) !== 'fLaC' || (head[4]! & 0x7f) !== 0) return null;
  const b = head.subarray(8, 42);
  const info = {
    minBlock: (b[0]! << 8) | b[1]!,
    maxBlock: (b[2]! << 8) | b[3]!,
    minFrame: (b[4]! << 16) | (b[5]! << 8) | b[6]!,
    sampleRate: (b[10]! << 12) | (b[11]! << 4) | (b[12]! >> 4),
    channels: ((b[12]! >> 1) & 7) + 1,
    bitsPerSample: (((b[12]! & 1) << 4) | (b[13]! >> 4)) + 1,
    totalSamples: (b[13]! & 0x0f) * 2 ** 32 + ((b[14]! << 24) >>> 0) + (b[15]! << 16) + (b[16]! << 8) + b[17]!,
  };
  let at = 4;
  for (;;) {
    const block = source.read(at, 4);
    if (block.length < 4) return null;
    at += 4 + ((block[1]! << 16) | (block[2]! << 8) | block[3]!);
    if (block[0]! & 0x80) break;
  }
  return at <= source.size ? { ...info, audioStart: at } : null;
}

/** `through`: where the last frame would end, when it is whole (seconds). */
export type FlacVerdict = { damage: Damage | null; through?: number } | { unsure: StreamInfo; reason: string };

/**
 * Cheap checks: the last frame's header (found in the tail, CRC-8 checked) gives the sample where that frame starts;
 * a STREAMINFO count beyond it is a header the frames do not hold. Where no frame header is found at the end,
 * a plausibility bound: fewer bytes than the smallest frames could hold is damage; otherwise the caller decodes.
 */
export function assessFlac(source: ByteSource): FlacVerdict {
  const info = readStreamInfo(source);
  if (!info || info.totalSamples === 0 || info.sampleRate === 0) return { damage: null };
  const headerSays = info.totalSamples / info.sampleRate;
  const tailStart = Math.max(info.audioStart, source.size - TAIL_BYTES);
  const last = lastFrame(source.read(tailStart, source.size - tailStart), info);
  if (last) {
    const decodes = last.firstSample / info.sampleRate;
    const through = (last.firstSample + last.blockSize) / info.sampleRate;
    if (through >= headerSays || !beyondTolerance(headerSays, through)) return { damage: null };
    // the last frame may itself be cut: the caller decodes to learn the exact length
    return { damage: { kind: 'header_mismatch', headerSays, decodes, fraction: decodes / headerSays, detail: `its STREAMINFO says ${seconds(headerSays)} of samples, its last frame starts at ${seconds(decodes)}` }, through };
  }
  const block = info.maxBlock || 4096;
  const floor = Math.ceil(info.totalSamples / block) * Math.max(MIN_FRAME_BYTES, info.minFrame);
  const held = source.size - info.audioStart;
  if (held < floor) return { unsure: info, reason: `its frames take ${held} bytes, fewer than ${floor} that ${seconds(headerSays)} of FLAC needs at least` };
  return { unsure: info, reason: 'no frame header in its last bytes' };
}

/** The last valid frame header in the tail: its first sample and block size. */
function lastFrame(tail: Uint8Array, info: StreamInfo): { firstSample: number; blockSize: number } | null {
  for (let at = tail.length - 6; at >= 0; at--) {
    if (tail[at] !== 0xff || (tail[at + 1]! & 0xfe) !== 0xf8) continue;
    const frame = parseFrameHeader(tail, at, info);
    if (frame) return frame;
  }
  return null;
}

export function parseFrameHeader(bytes: Uint8Array, at: number, info: StreamInfo): { firstSample: number; blockSize: number } | null {
  const variable = (bytes[at + 1]! & 1) === 1;
  const blockCode = bytes[at + 2]! >> 4;
  const rateCode = bytes[at + 2]! & 0x0f;
  const channelCode = bytes[at + 3]! >> 4;
  const sizeCode = (bytes[at + 3]! >> 1) & 7;
  if (blockCode === 0 || rateCode === 15 || channelCode > 10 || sizeCode === 3 || sizeCode === 7 || (bytes[at + 3]! & 1) !== 0) return null;
  let p = at + 4;
  // the frame or sample number, UTF-8 style (up to 7 bytes)
  const lead = bytes[p];
  if (lead === undefined) return null;
  let extra = 0;
  let value = 0;
  if (lead < 0x80) value = lead;
  else if (lead >= 0xc0 && lead < 0xfe) {
    extra = lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (lead === 0xfe) extra = 6;
    value = lead & (0x3f >> extra);
  } else return null;
  p++;
  for (let i = 0; i < extra; i++, p++) {
    const next = bytes[p];
    if (next === undefined || (next & 0xc0) !== 0x80) return null;
    value = value * 64 + (next & 0x3f);
  }
  let blockSize: number;
  if (blockCode === 1) blockSize = 192;
  else if (blockCode <= 5) blockSize = 576 << (blockCode - 2);
  else if (blockCode === 6) blockSize = (bytes[p++] ?? -1) + 1;
  else if (blockCode === 7) blockSize = (((bytes[p] ?? 0) << 8) | (bytes[p + 1] ?? 0)) + 1, p += 2;
  else blockSize = 256 << (blockCode - 8);
  if (rateCode === 12) p += 1;
  else if (rateCode === 13 || rateCode === 14) p += 2;
  if (p >= bytes.length || crc8(bytes, at, p) !== bytes[p]) return null;
  if (blockSize <= 0 || (info.maxBlock > 0 && blockSize > info.maxBlock)) return null;
  return { firstSample: variable ? value : value * (info.minBlock === info.maxBlock && info.maxBlock > 0 ? info.maxBlock : blockSize), blockSize };
}

function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
