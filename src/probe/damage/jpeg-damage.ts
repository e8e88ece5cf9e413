/** Pure: a JPEG whose entropy data ends before the image does (no end-of-image marker after its scans). */
import { count, type ByteSource, type Damage } from './damage.js';
import { countScanMcus } from './jpeg-scan.js';

/** Bytes looked at for the quick check: the end-of-image marker behind any padding. */
const TAIL_BYTES = 64 * 1024;
/** A file larger than this is not read whole when its tail is unusual (unsure, so no verdict). */
const MAX_SCAN_BYTES = 128 * 1024 * 1024;

/**
 * Null when the primary image ends with its EOI marker. Quick path: the file ends with FF D9 behind padding (0x00 or
 * 0xFF bytes). Otherwise (a phone's MPF images, a Samsung trailer, a motion photo's video appended) the markers are
 * walked from the start and the primary image's scans are followed to their EOI: only an image that runs out first is damaged.
 */
export function assessJpeg(source: ByteSource): Damage | null {
  if (endsWithEoi(source.read(Math.max(0, source.size - TAIL_BYTES), TAIL_BYTES))) return null;
  if (source.size > MAX_SCAN_BYTES) return null;
  const end = primaryImageEnd(source.read(0, source.size));
  if (end.complete) return null;
  return { kind: 'truncated', headerSays: null, decodes: null, fraction: null, detail: `its image data stops at byte ${count(source.size)} without an end-of-image marker (${end.where})` };
}

function endsWithEoi(tail: Uint8Array): boolean {
  let at = tail.length;
  // padding is 0x00 or 0xFF; neither strips the D9 of an EOI, so FF D9 is what remains at the end of a whole file
  while (at > 0 && (tail[at - 1] === 0x00 || tail[at - 1] === 0xff)) at--;
  return at >= 2 && tail[at - 2] === 0xff && tail[at - 1] === 0xd9;
}

/** Walks the markers of the first image: complete when its EOI is reached. */
export function primaryImageEnd(bytes: Uint8Array): { complete: true } | { complete: false; where: string } {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return { complete: false, where: 'no start-of-image marker' };
  let at = 2;
  let scans = 0;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return { complete: false, where: `a marker was expected at byte ${count(at)}` };
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes before a marker
    if (at >= bytes.length) break;
    const marker = bytes[at]!;
    at++;
    if (marker === 0xd9) return { complete: true };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // markers without a length
    if (at + 2 > bytes.length) break;
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + length > bytes.length) return { complete: false, where: `a segment at byte ${count(at - 2)} runs past the end` };
    at += length;
    if (marker !== 0xda) continue;
    scans++;
    // entropy-coded data: FF 00 is a stuffed byte and FF D0–D7 a restart marker; any other FF xx ends the scan
    while (at + 1 < bytes.length) {
      if (bytes[at] === 0xff) {
        const next = bytes[at + 1]!;
        if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
      }
      at++;
    }
    if (at + 1 >= bytes.length) return { complete: false, where: `scan ${scans} is cut short` };
  }
  return { complete: false, where: scans === 0 ? 'before any scan' : `after scan ${scans}` };
}

/** Fewer compressed bytes a pixel than this, and the scan may be cut with an EOI written after it: the decoder is asked. */
export const JPEG_DENSITY_FLOOR = 0.02;
/** Header segments walked before giving up on finding the frame and the scan (EXIF, ICC, MPF and XMP come first). */
const MAX_SEGMENTS = 64;

/**
 * Why the markers alone cannot tell (null when they can): a scan with fewer bytes a pixel than a photo's least, which is
 * what a scan cut short and closed with an EOI looks like (the decoder fills the rest grey). Reads only segment headers.
 */
export function jpegUnsure(source: ByteSource): { width: number; height: number; reason: string } | null {
  let at = 2;
  let frame: { width: number; height: number } | null = null;
  for (let i = 0; i < MAX_SEGMENTS && at + 4 <= source.size; i++) {
    const header = source.read(at, 9);
    if (header[0] !== 0xff) return null;
    const marker = header[1]!;
    const length = (header[2]! << 8) | header[3]!;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame's size
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = { height: (header[5]! << 8) | header[6]!, width: (header[7]! << 8) | header[8]! };
    if (marker === 0xda) {
      if (!frame || frame.width === 0 || frame.height === 0) return null;
      const density = (source.size - at) / (frame.width * frame.height);
      if (density >= JPEG_DENSITY_FLOOR) return null;
      return { ...frame, reason: `${density.toFixed(4)} compressed bytes a pixel` };
    }
    at += 2 + length;
  }
  return null;
}

/**
 * A sparse baseline JPEG's scan decoded for its codes only: damaged when it holds fewer MCUs than the frame needs.
 * 'unsure' when the count does not apply (progressive, arithmetic, odd scans): the caller asks a decoder.
 */
export function assessJpegScan(bytes: Uint8Array): Damage | null | 'unsure' {
  const scan = countScanMcus(bytes);
  if (!scan) return 'unsure';
  if (scan.decoded >= scan.expected) return null;
  const fraction = scan.decoded / scan.expected;
  return { kind: 'truncated', headerSays: null, decodes: null, fraction, detail: `its image data ends after ${count(scan.decoded)} of its ${count(scan.expected)} blocks (${Math.floor(fraction * 100)} % of the picture): the rest decodes as grey` };
}
