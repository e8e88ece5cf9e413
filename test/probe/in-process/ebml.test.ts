import { describe, expect, it } from 'vitest';
import { children, readElement, readFloat, readString, readUint } from '../../../src/probe/in-process/ebml.js';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

describe('readElement', () => {
  const cases: Array<[string, string, ReturnType<typeof readElement>]> = [
    ['a one-byte ID and size (TrackType = 1)', '83 81 01', { id: 0x83, start: 2, size: 1 }],
    ['a four-byte ID (Segment) with an eight-byte size', '18538067 0100000000001000', { id: 0x18538067, start: 12, size: 4096 }],
    ['an unknown size (all ones: a live recording)', '18538067 01ffffffffffffff', { id: 0x18538067, start: 12, size: null }],
    ['a two-byte size', '4489 4004', { id: 0x4489, start: 4, size: 4 }],
    ['a zero byte cannot start an ID', '00 81', null],
    ['bytes that end inside the header', '1853', null],
  ];
  it.each(cases)('%s', (_name, hex, expected) => {
    expect(readElement(bytes(hex), 0)).toEqual(expected);
  });
});

describe('element values and children', () => {
  // Info: TimestampScale 1,000,000, Duration 2508.0 (float64), MuxingApp "Lavf"
  const info = bytes('2ad7b1 83 0f4240  4489 88 40a3980000000000  4d80 84 4c617666');

  it('reads the children in order, with unsigned, float and string values', () => {
    const [scale, duration, app] = children(info, 0, info.length);
    expect([readUint(info, scale!), readFloat(info, duration!), readString(info, app!)]).toEqual([1_000_000, 2508, 'Lavf']);
  });

  it('throws when a child overruns its parent', () => {
    expect(() => children(info, 0, info.length - 1)).toThrow('an EBML element at byte 18 overruns its parent');
  });
});
