import { describe, expect, it } from 'vitest';
import { parseVp9KeyFrame } from '../../../src/probe/in-process/vp9-header.js';

/** Packs [value, bits] fields most significant bit first, as a VP9 uncompressed header is written. */
function bits(fields: Array<[number, number]>): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let count = 0;
  for (const [value, width] of fields) {
    for (let i = width - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++count === 8) {
        out.push(acc);
        acc = count = 0;
      }
    }
  }
  if (count) out.push(acc << (8 - count));
  return Uint8Array.from(out);
}

/** frame_marker, profile bits, show_existing_frame, frame_type, show_frame, error_resilient, sync code. */
const keyFrame = (profileLow: number, profileHigh: number): Array<[number, number]> => [[2, 2], [profileLow, 1], [profileHigh, 1], ...(profileLow && profileHigh ? [[0, 1] as [number, number]] : []), [0, 1], [0, 1], [1, 1], [0, 1], [0x498342, 24]];
const size = (width: number, height: number): Array<[number, number]> => [[width - 1, 16], [height - 1, 16]];

describe('parseVp9KeyFrame', () => {
  const cases: Array<[string, Uint8Array, ReturnType<typeof parseVp9KeyFrame>]> = [
    ['profile 0: 8-bit 4:2:0, colour space unknown, studio range (libvpx default)', bits([...keyFrame(0, 0), [0, 3], [0, 1], ...size(854, 480)]), { profile: 0, bitDepth: 8, colorSpace: 0, fullRange: false, subsamplingX: true, subsamplingY: true, width: 854, height: 480 }],
    ['profile 0: BT.709, full range', bits([...keyFrame(0, 0), [2, 3], [1, 1], ...size(640, 360)]), { profile: 0, bitDepth: 8, colorSpace: 2, fullRange: true, subsamplingX: true, subsamplingY: true, width: 640, height: 360 }],
    ['profile 2: 10-bit BT.2020', bits([...keyFrame(0, 1), [0, 1], [5, 3], [0, 1], ...size(1920, 1080)]), { profile: 2, bitDepth: 10, colorSpace: 5, fullRange: false, subsamplingX: true, subsamplingY: true, width: 1920, height: 1080 }],
    ['profile 1: 4:4:4', bits([...keyFrame(1, 0), [1, 3], [0, 1], [0, 1], [0, 1], [0, 1], ...size(320, 240)]), { profile: 1, bitDepth: 8, colorSpace: 1, fullRange: false, subsamplingX: false, subsamplingY: false, width: 320, height: 240 }],
    ['profile 1: sRGB (no range bit, always full)', bits([...keyFrame(1, 0), [7, 3], [0, 1], ...size(320, 240)]), { profile: 1, bitDepth: 8, colorSpace: 7, fullRange: true, subsamplingX: false, subsamplingY: false, width: 320, height: 240 }],
    ['an inter frame', bits([[2, 2], [0, 1], [0, 1], [0, 1], [1, 1], [1, 1], [0, 1]]), null],
    ['a broken sync code', bits([[2, 2], [0, 1], [0, 1], [0, 1], [0, 1], [1, 1], [0, 1], [0x123456, 24]]), null],
  ];
  it.each(cases)('%s', (_name, frame, expected) => {
    expect(parseVp9KeyFrame(frame)).toEqual(expected);
  });
});
