import { describe, expect, it } from 'vitest';
import { firstSpsOfAvcConfig, parseH264Sps, type H264Sps } from '../../../src/probe/in-process/h264-sps.js';

const sps = (hex: string) => parseH264Sps(Buffer.from(hex, 'hex'));

describe('parseH264Sps: SPS NAL units taken from real files', () => {
  const cases: Array<[string, string, H264Sps]> = [
    // fixtures/media/valid-854x480-30fps.mp4 (x264 baseline): 864 coded lines cropped to 480, emulation prevention bytes inside
    ['baseline 854×480, cropped', '6742c01fda0360f79bc044000003000400000300f03c60ca80', { profileIdc: 66, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 1, den: 1 }, fullRange: null, colour: null }],
    // fixtures/media/odd-1001x721.mp4: High 4:4:4, crop units of one pixel, x264's 2575:2574 aspect for the odd size
    ['4:4:4 at an odd size', '67f4001f919680fc17788843ff0a0f0a0e10000003001000000303c0f1832a', { profileIdc: 244, chromaFormat: 3, bitDepth: 8, width: 1001, height: 721, sampleAspect: { num: 2575, den: 2574 }, fullRange: null, colour: null }],
    // fixtures/media/anamorphic-sar2-640x360.mp4: aspect_ratio_idc 16 (2:1)
    ['a 2:1 sample aspect ratio', '6742c01eda0280bfe5c404000003000400000300f03c58ba80', { profileIdc: 66, chromaFormat: 1, bitDepth: 8, width: 640, height: 360, sampleAspect: { num: 2, den: 1 }, fullRange: null, colour: null }],
    // bundled ffmpeg, libx264 -preset fast -pix_fmt yuvj420p: video_full_range_flag without a colour description
    ['full range', '6764001facd940d83de6f016c8000003000800000301e078c18cb0', { profileIdc: 100, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 1, den: 1 }, fullRange: true, colour: null }],
    // libx264 with -colorspace/-color_primaries/-color_trc bt709 -color_range tv
    ['BT.709 colour description', '6764001facd940d83de6f016a0202028000003000800000301e078c18cb0', { profileIdc: 100, chromaFormat: 1, bitDepth: 8, width: 854, height: 480, sampleAspect: { num: 1, den: 1 }, fullRange: false, colour: { primaries: 1, transfer: 1, matrix: 1 } }],
    // libx264 -pix_fmt yuv420p10le: High 10
    ['10-bit', '676e001ea6cb405017fcb808800000030080000019078b1750', { profileIdc: 110, chromaFormat: 1, bitDepth: 10, width: 640, height: 360, sampleAspect: { num: 1, den: 1 }, fullRange: null, colour: null }],
  ];
  it.each(cases)('%s', (_name, hex, expected) => {
    expect(sps(hex)).toEqual(expected);
  });

  it('throws on an SPS cut short (the reader then falls back to ffprobe)', () => {
    expect(() => sps('6742c01fda')).toThrow('SPS ends early');
  });
});

describe('firstSpsOfAvcConfig', () => {
  it('takes the first SPS of an avcC record', () => {
    const record = Buffer.from('0142c01fffe10005' + '6742c01fda' + '010004' + '68ce3c80', 'hex');
    expect(Buffer.from(firstSpsOfAvcConfig(record)).toString('hex')).toBe('6742c01fda');
  });

  it.each([
    ['no SPS', '0142c01fffe0', 'avcC holds no SPS'],
    ['a length past the record', '0142c01fffe100096742', 'avcC SPS overruns the record'],
  ])('throws on %s', (_name, hex, message) => {
    expect(() => firstSpsOfAvcConfig(Buffer.from(hex, 'hex'))).toThrow(message);
  });
});
