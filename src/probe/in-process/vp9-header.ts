/** Pure: the colour configuration in the uncompressed header of a VP9 key frame (VP9 bitstream spec 6.2). */

export interface Vp9Header {
  profile: number;
  bitDepth: number;
  /** color_space code: 0 unknown, 1 BT.601, 2 BT.709, 3 SMPTE 170, 4 SMPTE 240, 5 BT.2020, 6 reserved, 7 sRGB. */
  colorSpace: number;
  fullRange: boolean;
  subsamplingX: boolean;
  subsamplingY: boolean;
  width: number;
  height: number;
}

/** Reads a key frame's header; null for another kind of frame or a broken sync code. */
export function parseVp9KeyFrame(frame: Uint8Array): Vp9Header | null {
  let at = 0;
  const bit = () => {
    const byte = frame[at >> 3];
    if (byte === undefined) throw new Error('the VP9 frame header ends early');
    return (byte >> (7 - (at++ & 7))) & 1;
  };
  const bits = (count: number) => Array.from({ length: count }).reduce<number>((value) => value * 2 + bit(), 0);
  if (bits(2) !== 2) return null; // frame_marker
  const low = bit();
  const profile = (bit() << 1) | low;
  if (profile === 3) bit();
  if (bit()) return null; // show_existing_frame
  if (bit() !== 0) return null; // frame_type: 0 is a key frame
  bits(2); // show_frame, error_resilient_mode
  if (bits(24) !== 0x498342) return null;
  const bitDepth = profile >= 2 ? (bit() ? 12 : 10) : 8;
  const colorSpace = bits(3);
  let fullRange = true;
  let subsamplingX = false;
  let subsamplingY = false;
  if (colorSpace !== 7) {
    fullRange = bit() === 1;
    if (profile === 1 || profile === 3) {
      subsamplingX = bit() === 1;
      subsamplingY = bit() === 1;
      bit();
    } else subsamplingX = subsamplingY = true;
  } else if (profile === 1 || profile === 3) bit();
  const width = bits(16) + 1;
  const height = bits(16) + 1;
  return { profile, bitDepth, colorSpace, fullRange, subsamplingX, subsamplingY, width, height };
}
