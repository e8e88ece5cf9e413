/** Pure: a PNG cut short (a chunk runs past the end of the file) or without its IEND chunk. */
import { count, type ByteSource, type Damage } from './damage.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Null when walking the chunk lengths (8-byte reads) reaches IEND; bytes appended after it are no damage. The walk is
 * done even when the file ends with IEND: image data cut short and closed with an IEND looks whole from its end.
 */
export function assessPng(source: ByteSource): Damage | null {
  if (!same(source.read(0, 8), SIGNATURE)) return null; // not a PNG: not ours to judge
  let at = 8;
  let idat = 0;
  while (at + 8 <= source.size) {
    const header = source.read(at, 8);
    const length = ((header[0]! << 24) >>> 0) + (header[1]! << 16) + (header[2]! << 8) + header[3]!;
    const type = String.fromCharCode(header[4]!, header[5]!, header[6]!, header[7]!);
    if (type === 'IEND') return null;
    if (type === 'IDAT') idat++;
    const end = at + 12 + length; // length, type, data, CRC
    if (end > source.size) {
      const what = type === 'IDAT' ? `its image data (IDAT chunk ${idat})` : `its ${/^[A-Za-z]{4}$/.test(type) ? type : 'last'} chunk`;
      return damaged(`${what} at byte ${count(at)} runs ${count(end - source.size)} bytes past the end of the file`);
    }
    at = end;
  }
  return damaged(idat === 0 ? 'it ends before any image data (no IDAT chunk)' : 'it ends without its IEND chunk');
}

function damaged(detail: string): Damage {
  return { kind: 'truncated', headerSays: null, decodes: null, fraction: null, detail };
}

function same(bytes: Uint8Array, expected: number[]): boolean {
  return bytes.length === expected.length && expected.every((b, i) => bytes[i] === b);
}
