import { describe, expect, it } from 'vitest';
import { firstSpsOfHvcConfig, parseHevcSps, type HevcSps } from '../../../src/probe/in-process/hevc-sps.js';

const sps = (hex: string) => parseHevcSps(Buffer.from(hex, 'hex'));

describe('parseHevcSps: SPS NAL units taken from real files', () => {
  const cases: Array<[string, string, HevcSps]> = [
    // fixtures/media/hevc.mp4 (x265 ultrafast): 854 wide coded as 856 with a conformance window
    ['Main 854×480 (conformance window)', '42010101600000030090000003000003005aa006c201e1cde595952930bc04040000030004000003007820', { profileIdc: 1, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 1, den: 1 }, fullRange: null, colour: null }],
    // fixtures/media/hdr-hlg-640x360.mp4: Main 10 with a video signal type and BT.2020/HLG colour description
    ['Main 10 HLG', '42010102200000030090000003000003003fa005020171f2b6595952930bc05a848904820000030002000003003c10', { profileIdc: 2, chromaFormat: 1, bitDepth: 10, width: 640, height: 360, sampleAspect: { num: 1, den: 1 }, fullRange: false, colour: { primaries: 9, transfer: 18, matrix: 9 } }],
    // bundled ffmpeg, libx265 -vf setsar=4/3: aspect_ratio_idc 14
    ['a 4:3 sample aspect ratio', '42010101600000030090000003000003005aa006c201e1cde595952930bc38040000030004000003007820', { profileIdc: 1, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 4, den: 3 }, fullRange: null, colour: null }],
    // libx265 -preset medium: several short-term reference picture sets, some predicted from the one before
    ['predicted reference picture sets (preset medium)', '42010101600000030090000003000003005aa006b201e1d796566924caf01010000003001000000301e080', { profileIdc: 1, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 1, den: 1 }, fullRange: null, colour: null }],
  ];
  it.each(cases)('%s', (_name, hex, expected) => {
    expect(sps(hex)).toEqual(expected);
  });

  it('throws on an SPS cut short (the reader then falls back to ffprobe)', () => {
    expect(() => sps('420101016000000300900000')).toThrow('SPS ends early');
  });
});

describe('firstSpsOfHvcConfig', () => {
  /** An hvcC record: the 22-byte header, then arrays of [NAL type, NAL units]. */
  const record = (arrays: Array<[number, string[]]>) =>
    Buffer.concat([
      Buffer.alloc(22, 0),
      Buffer.from([arrays.length]),
      ...arrays.map(([type, units]) => Buffer.concat([Buffer.from([type, 0, units.length]), ...units.map((hex) => Buffer.concat([Buffer.from([0, hex.length / 2]), Buffer.from(hex, 'hex')]))])),
    ]);

  it('skips the VPS array and takes the first SPS', () => {
    expect(Buffer.from(firstSpsOfHvcConfig(record([[32, ['40010c01']], [33, ['42010101', '42010102']], [34, ['4401c1']]]))).toString('hex')).toBe('42010101');
  });

  it('throws when the record holds no SPS (hev1: parameter sets only in the stream)', () => {
    expect(() => firstSpsOfHvcConfig(record([[32, ['40010c01']]]))).toThrow('hvcC holds no SPS');
  });
});
