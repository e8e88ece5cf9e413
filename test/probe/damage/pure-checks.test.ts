import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, type Damage } from '../../../src/probe/damage/damage.js';
import { assessFlac, readStreamInfo } from '../../../src/probe/damage/flac-damage.js';
import { assessJpeg, assessJpegScan, jpegUnsure } from '../../../src/probe/damage/jpeg-damage.js';
import { countScanMcus } from '../../../src/probe/damage/jpeg-scan.js';
import { assessMp3, frameHeader } from '../../../src/probe/damage/mp3-damage.js';
import { assessMp4 } from '../../../src/probe/damage/mp4-damage.js';
import { readMovieTables } from '../../../src/probe/damage/mp4-tables.js';
import { assessPng } from '../../../src/probe/damage/png-damage.js';
import { assessWav } from '../../../src/probe/damage/wav-damage.js';
import { tempDir } from '../../helpers/fixtures.js';
import { ffmpeg } from '../../helpers/make-media.js';
import { findBox } from './damaged-media.js';

const src = (bytes: Uint8Array) => bufferSource(bytes);
const kindOf = (damage: Damage | null) => damage?.kind ?? null;

/** A canonical 44-byte-header WAV with `dataBytes` of zero samples; every field can be overridden. */
function wav(o: { tag?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number; dataSize?: number; dataBytes?: number; riff?: string } = {}): Buffer {
  const channels = o.channels ?? 2;
  const bits = o.bits ?? 16;
  const rate = o.rate ?? 44_100;
  const blockAlign = o.blockAlign ?? channels * (bits / 8);
  const dataBytes = o.dataBytes ?? rate * blockAlign; // 1 s
  const out = Buffer.alloc(44 + dataBytes);
  out.write(o.riff ?? 'RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(o.tag ?? 1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * blockAlign, 28);
  out.writeUInt16LE(blockAlign, 32);
  out.writeUInt16LE(bits, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(o.dataSize ?? dataBytes, 40);
  return out;
}

describe('assessWav', () => {
  const cases: Array<[string, Buffer, Partial<Damage> | null]> = [
    ['1 s of 16-bit stereo', wav(), null],
    ['32-bit float', wav({ tag: 3, bits: 32 }), null],
    ['0 channels', wav({ channels: 0, blockAlign: 4 }), { kind: 'impossible', detail: 'it says 0 channels, where a WAV has 1–32' }],
    ['33 channels', wav({ channels: 33, dataBytes: 100 }), { kind: 'impossible', detail: 'it says 33 channels, where a WAV has 1–32' }],
    ['65,535 channels', wav({ channels: 65_535, blockAlign: 4, dataBytes: 100 }), { kind: 'impossible', detail: 'it says 65,535 channels, where a WAV has 1–32' }],
    ['rate 0', wav({ rate: 0, dataBytes: 100 }), { kind: 'impossible', detail: 'it says a sample rate of 0 Hz, where recordings use 1,000–768,000 Hz' }],
    ['rate 999', wav({ rate: 999 }), { kind: 'impossible', detail: 'it says a sample rate of 999 Hz, where recordings use 1,000–768,000 Hz' }],
    ['rate 768,001', wav({ rate: 768_001, dataBytes: 100 }), { kind: 'impossible', detail: 'it says a sample rate of 768,001 Hz, where recordings use 1,000–768,000 Hz' }],
    ['rate 768,000', wav({ rate: 768_000, dataBytes: 65_536 }), null],
    ['block align 3 for 16-bit stereo', wav({ blockAlign: 3 }), { kind: 'impossible', detail: 'it says a block of 3 bytes, where 2 channels of 16 bits take 4' }],
    ['0 bits', wav({ bits: 0, blockAlign: 4 }), { kind: 'impossible', detail: 'it says 0 bits per sample' }],
    ['data promising 2 s with 1 s held', wav({ dataSize: 2 * 176_400 }), { kind: 'truncated', headerSays: 2, decodes: 1, fraction: 0.5, detail: 'its data chunk promises 352,800 bytes (2 s) but the file holds 176,400 (1 s)' }],
    ['data promising 0.1 s more than held: within the tolerance', wav({ dataSize: 176_400 + 17_640 }), null],
    ['data promising 0.101 s more: damaged', wav({ dataSize: 176_400 + 17_640 + 180 }), { kind: 'truncated' }],
    ['streaming placeholder 0xFFFFFFFF', wav({ dataSize: 0xffffffff }), null],
    ['streaming placeholder 0 with data after it', wav({ dataSize: 0 }), null],
    ['no data at all (the empty-file rule judges it)', wav({ dataBytes: 0 }), null],
    ['3 samples', wav({ dataBytes: 12 }), { kind: 'fragment', detail: 'it holds only 3 samples (68 µs of sound)' }],
    ['441 samples (10 ms) is no fragment', wav({ dataBytes: 441 * 4 }), null],
    ['not a WAV', Buffer.from('RIFF\0\0\0\0AVI LIST'), null],
  ];
  it.each(cases)('%s', (_name, bytes, expected) => {
    const damage = assessWav(src(bytes));
    if (expected === null) expect(damage).toBeNull();
    else expect(damage).toMatchObject(expected);
  });

  it('RF64: the data size comes from the ds64 chunk', () => {
    const body = wav({ riff: 'RF64', dataSize: 0xffffffff });
    const ds64 = Buffer.alloc(8 + 28);
    ds64.write('ds64', 0, 'latin1');
    ds64.writeUInt32LE(28, 4);
    ds64.writeBigUInt64LE(BigInt(2 * 176_400), 16); // data size: 2 s, the file holds 1 s
    const bytes = Buffer.concat([body.subarray(0, 12), ds64, body.subarray(12)]);
    expect(assessWav(src(bytes))).toMatchObject({ kind: 'truncated', headerSays: 2, decodes: 1 });
  });

  // found by the property below: 0.1005 s gone is 0.100 s to the millisecond, within the tolerance; 0.1006 s is not
  it.each([
    [158_716, null],
    [158_627, 'truncated'],
  ] as const)('a 1 s WAV cut at byte %i: %s', (cut, kind) => {
    expect(kindOf(assessWav(src(wav().subarray(0, cut))))).toBe(kind);
  });

  it('property: a 1 s WAV cut anywhere after its header is damaged exactly when more than 0.1 s is gone', () => {
    const whole = wav();
    fc.assert(fc.property(fc.integer({ min: 44, max: whole.length }), (cut) => {
      const missing = (whole.length - cut) / 176_400;
      const damage = assessWav(src(whole.subarray(0, cut)));
      // lengths are compared to the millisecond (damage.ts); what is left: under 10 ms is a fragment; 0 bytes is the empty-file rule's
      const expected = Math.round(missing * 1000) / 1000 > 0.1 ? 'truncated' : cut - 44 > 0 && (cut - 44) / 176_400 < 0.01 ? 'fragment' : null;
      expect(kindOf(damage)).toBe(expected);
    }), { numRuns: 300 });
  });
});

/** SOI, APP0, a quantisation table, SOS and `scan` bytes of entropy data, EOI. */
function jpeg(scan: number[] = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46];
  const dqt = [0xff, 0xdb, 0x00, 0x04, 0x00, 0x01];
  const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  return Buffer.from([0xff, 0xd8, ...app0, ...dqt, ...sos, ...scan, 0xff, 0xd9]);
}

describe('assessJpeg', () => {
  const whole = jpeg();
  const progressive = Buffer.concat([jpeg().subarray(0, -2), Buffer.from([0xff, 0xc4, 0x00, 0x03, 0xd9, 0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x9a, 0xff, 0xd9])]);
  const cases: Array<[string, Buffer, string | null]> = [
    ['whole', whole, null],
    ['zero padding after EOI', Buffer.concat([whole, Buffer.alloc(300)]), null],
    ['0xFF padding after EOI', Buffer.concat([whole, Buffer.alloc(7, 0xff)]), null],
    ['a phone trailer after EOI (Samsung SEFT)', Buffer.concat([whole, Buffer.from('\x00\x00SEFH....SEFT', 'latin1')]), null],
    ['a second (MPF) image after the first', Buffer.concat([whole, jpeg()]), null],
    ['a second (MPF) image cut short: the primary image is whole', Buffer.concat([whole, jpeg().subarray(0, 20)]), null],
    ['a second scan after a table whose bytes hold D9', progressive, null],
    ['cut in the scan', whole.subarray(0, 27), 'its image data stops at byte 27 without an end-of-image marker (scan 1 is cut short)'],
    ['cut inside a segment', whole.subarray(0, 15), 'its image data stops at byte 15 without an end-of-image marker (a segment at byte 10 runs past the end)'],
    ['cut before the scan', whole.subarray(0, 16), 'its image data stops at byte 16 without an end-of-image marker (before any scan)'],
  ];
  it.each(cases)('%s', (_name, bytes, detail) => {
    const damage = assessJpeg(src(bytes));
    expect(damage && [damage.kind, damage.detail]).toEqual(detail === null ? null : ['truncated', detail]);
  });

  it('a sparse scan (fewer than 0.02 bytes a pixel) is left to a decode; a dense one is not', () => {
    const sized = (width: number, height: number, scanBytes: number) => {
      const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
      const sos = [0xff, 0xda, 0x00, 0x0c, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0];
      return Buffer.from([0xff, 0xd8, ...sof, ...sos, ...Array.from({ length: scanBytes }, () => 0x55), 0xff, 0xd9]);
    };
    expect(jpegUnsure(src(sized(1000, 1000, 10_000)))).toEqual({ width: 1000, height: 1000, reason: '0.0100 compressed bytes a pixel' });
    expect(jpegUnsure(src(sized(100, 100, 1_000)))).toBeNull();
    expect(jpegUnsure(src(jpeg()))).toBeNull(); // no frame header: nothing to compare with
  });

  /**
   * A grey W×H baseline JPEG whose every 8×8 block is a 1-bit DC code and a 1-bit end-of-block (2 bits of zeros): `mcus`
   * blocks of data, a restart marker every `interval` blocks when set.
   */
  function grey(width: number, height: number, mcus: number, o: { interval?: number; sof?: number } = {}): Buffer {
    const sof = [0xff, o.sof ?? 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 1, 0x11, 0];
    const dht = [0xff, 0xc4, 0x00, 0x26, 0x00, 1, ...Array(15).fill(0), 0x00, 0x10, 1, ...Array(15).fill(0), 0x00];
    const dri = o.interval ? [0xff, 0xdd, 0x00, 0x04, o.interval >> 8, o.interval & 0xff] : [];
    const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 1, 0x00, 0x00, 0x3f, 0x00];
    const data: number[] = [];
    const segments = o.interval ? Math.ceil(mcus / o.interval) : 1;
    for (let s = 0; s < segments; s++) {
      const blocks = o.interval ? Math.min(o.interval, mcus - s * o.interval) : mcus;
      data.push(...Array(Math.ceil((blocks * 2) / 8)).fill(0));
      if (s < segments - 1) data.push(0xff, 0xd0 + (s % 8));
    }
    return Buffer.from([0xff, 0xd8, ...sof, ...dht, ...dri, ...sos, ...data, 0xff, 0xd9]);
  }

  it.each([
    ['a whole 64×64 scan', grey(64, 64, 64), { expected: 64, decoded: 64 }],
    ['its scan cut after 32 blocks and closed with an EOI', grey(64, 64, 32), { expected: 64, decoded: 32 }],
    ['a 60×20 frame needs whole blocks (8 × 3)', grey(60, 20, 24), { expected: 24, decoded: 24 }],
    ['with a restart marker every 4 blocks, whole', grey(64, 64, 64, { interval: 4 }), { expected: 64, decoded: 64 }],
    ['with restart markers, cut after 5 segments', grey(64, 64, 20, { interval: 4 }), { expected: 64, decoded: 20 }],
  ])('counts the blocks of %s', (_name, bytes, expected) => {
    expect(countScanMcus(bytes)).toEqual(expected);
  });

  it('progressive JPEGs are not counted (the caller decodes them)', () => {
    expect(countScanMcus(grey(64, 64, 64, { sof: 0xc2 }))).toBeNull();
    expect(assessJpegScan(grey(64, 64, 64, { sof: 0xc2 }))).toBe('unsure');
  });

  it('a cut scan is damaged, with the share of the picture that decodes', () => {
    expect(assessJpegScan(grey(64, 64, 32))).toEqual({ kind: 'truncated', headerSays: null, decodes: null, fraction: 0.5, detail: 'its image data ends after 32 of its 64 blocks (50 % of the picture): the rest decodes as grey' });
    expect(assessJpegScan(grey(64, 64, 64))).toBeNull();
  });

  it('property: a grey JPEG of any size cut after any number of blocks is counted exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.nat(), fc.option(fc.integer({ min: 1, max: 9 })), (bw, bh, seed, interval) => {
      const expected = bw * bh;
      const kept = 1 + (seed % expected);
      // data ends on a byte (4 blocks of 2 bits): the zero bits after the last kept block decode as blocks, up to the segment's end
      const every = interval ?? expected;
      const segments = Math.ceil(kept / every);
      const last = kept - (segments - 1) * every;
      const decoded = Math.min(expected, (segments - 1) * every + Math.min(every, Math.ceil(last / 4) * 4));
      expect(countScanMcus(grey(bw * 8, bh * 8, kept, interval ? { interval } : {}))).toEqual({ expected, decoded });
    }), { numRuns: 300 });
  });

  it('property: a JPEG cut anywhere before its EOI is damaged', () => {
    const big = jpeg(Array.from({ length: 500 }, (_, i) => (i * 37) % 255)); // never 0xFF: no markers in the scan
    fc.assert(fc.property(fc.integer({ min: 2, max: big.length - 1 }), (cut) => {
      expect(kindOf(assessJpeg(src(big.subarray(0, cut))))).toBe('truncated');
    }), { numRuns: 300 });
  });
});

function chunk(type: string, length: number): Buffer {
  const out = Buffer.alloc(12 + length);
  out.writeUInt32BE(length, 0);
  out.write(type, 4, 'latin1');
  return out;
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

describe('assessPng', () => {
  const whole = Buffer.concat([PNG_SIGNATURE, chunk('IHDR', 13), chunk('IDAT', 100), chunk('IDAT', 50), IEND]);
  const cases: Array<[string, Buffer, string | null]> = [
    ['whole', whole, null],
    ['bytes appended after IEND', Buffer.concat([whole, Buffer.from('trailing data')]), null],
    ['cut in the second IDAT', whole.subarray(0, 160), 'its image data (IDAT chunk 2) at byte 145 runs 47 bytes past the end of the file'],
    ['cut in the first IDAT, then an IEND added', Buffer.concat([whole.subarray(0, 60), IEND]), 'its image data (IDAT chunk 1) at byte 33 runs 73 bytes past the end of the file'],
    ['cut before IEND', whole.subarray(0, whole.length - 12), 'it ends without its IEND chunk'],
    ['cut before any IDAT', whole.subarray(0, 33), 'it ends before any image data (no IDAT chunk)'],
    ['cut in IHDR', whole.subarray(0, 20), 'its IHDR chunk at byte 8 runs 13 bytes past the end of the file'],
  ];
  it.each(cases)('%s', (_name, bytes, detail) => {
    const damage = assessPng(src(bytes));
    expect(damage && [damage.kind, damage.detail]).toEqual(detail === null ? null : ['truncated', detail]);
  });

  it('property: a PNG cut anywhere before its IEND chunk type is damaged', () => {
    fc.assert(fc.property(fc.integer({ min: 8, max: whole.length - 5 }), (cut) => {
      expect(kindOf(assessPng(src(whole.subarray(0, cut))))).toBe('truncated');
    }), { numRuns: 300 });
  });
});

describe('MPEG audio frame headers', () => {
  it.each([
    ['MPEG-1 layer III 128 kb/s 44.1 kHz', [0xff, 0xfb, 0x90, 0x64], { version: 3, layer: 1, sampleRate: 44_100, samples: 1152, length: 417 }],
    ['the same with padding', [0xff, 0xfb, 0x92, 0x64], { length: 418 }],
    ['MPEG-2 layer III 8 kb/s 22.05 kHz', [0xff, 0xf3, 0x10, 0xc4], { version: 2, sampleRate: 22_050, samples: 576, length: 26 }],
    ['MPEG-1 layer II 192 kb/s 48 kHz', [0xff, 0xfd, 0xa4, 0x00], { layer: 2, samples: 1152, length: 576 }],
  ] as const)('%s', (_name, bytes, expected) => {
    expect(frameHeader(Uint8Array.from(bytes), 0)).toMatchObject(expected);
  });
  it.each([['bad bitrate index 15', [0xff, 0xfb, 0xf0, 0x64]], ['free format', [0xff, 0xfb, 0x00, 0x64]], ['reserved rate', [0xff, 0xfb, 0x9c, 0x64]], ['no sync', [0xfe, 0xfb, 0x90, 0x64]]] as const)('%s: not a frame', (_name, bytes) => {
    expect(frameHeader(Uint8Array.from(bytes), 0)).toBeNull();
  });
});

/** An MPEG-1 layer III stream at 128 kb/s: a Xing frame stating `statedFrames` (and `statedBytes`), then `frames` frames. */
function mp3(frames: number, statedFrames: number, statedBytes?: number): Buffer {
  const frame = (header: number[]) => { const out = Buffer.alloc(417); out.set(header); return out; };
  const xing = frame([0xff, 0xfb, 0x90, 0x64]);
  xing.write('Xing', 36, 'latin1');
  xing.writeUInt32BE(statedBytes === undefined ? 1 : 3, 40);
  xing.writeUInt32BE(statedFrames, 44);
  if (statedBytes !== undefined) xing.writeUInt32BE(statedBytes, 48);
  return Buffer.concat([xing, ...Array.from({ length: frames }, () => frame([0xff, 0xfb, 0x90, 0x64]))]);
}

describe('assessMp3', () => {
  const second = 44_100 / 1152; // frames a second
  it('a Xing count that matches the frames: null', () => {
    expect(assessMp3(src(mp3(100, 100)), 0)).toBeNull();
  });
  it('a count 0.1 s off is within the tolerance', () => {
    expect(assessMp3(src(mp3(100, 100 + Math.floor(0.1 * second))), 0)).toBeNull();
  });
  it('a count much larger than the frames, the file whole: header_mismatch, with both lengths', () => {
    expect(assessMp3(src(mp3(100, 1000)), 0)).toEqual({ kind: 'header_mismatch', headerSays: 1000 * 1152 / 44_100, decodes: 100 * 1152 / 44_100, fraction: (100 * 1152 / 44_100) / (1000 * 1152 / 44_100), detail: 'its Xing header states 1,000 frames (26.122 s), but its frames last 2.612 s' });
  });
  it('a count larger than the frames, the last frame cut: truncated', () => {
    const bytes = mp3(100, 1000);
    expect(assessMp3(src(bytes.subarray(0, bytes.length - 100)), 0)).toMatchObject({ kind: 'truncated', decodes: 99 * 1152 / 44_100 });
  });
  it('a byte count past the end of the file: truncated, and the detail says how much the file holds', () => {
    expect(assessMp3(src(mp3(100, 1000, 417_000)), 0)?.detail).toBe('its Xing header states 1,000 frames (26.122 s) in 417,000 bytes, but the file holds 42,117 bytes, and its frames last 2.612 s');
  });
  it('more frames than the count says (files joined): header_mismatch', () => {
    expect(assessMp3(src(mp3(500, 100)), 0)).toMatchObject({ kind: 'header_mismatch', decodes: 500 * 1152 / 44_100 });
  });
  it('a VBRI header (Fraunhofer) is read too: its frame and byte counts', () => {
    const bytes = mp3(100, 100);
    bytes.fill(0, 36, 52);
    bytes.write('VBRI', 36, 'latin1');
    bytes.writeUInt32BE(400_000, 36 + 10);
    bytes.writeUInt32BE(1000, 36 + 14);
    expect(assessMp3(src(bytes), 0)).toMatchObject({ kind: 'truncated', detail: 'its VBRI header states 1,000 frames (26.122 s) in 400,000 bytes, but the file holds 42,117 bytes, and its frames last 2.612 s' });
  });
  it('an ID3v1 tag at the end is not a frame, nor damage', () => {
    const tag = Buffer.alloc(128);
    tag.write('TAG', 0, 'latin1');
    expect(assessMp3(src(Buffer.concat([mp3(100, 100), tag])), 0)).toBeNull();
  });
  it('no Xing or VBRI frame: no verdict (the probe counts the packets of such files)', () => {
    const plain = mp3(10, 10);
    plain.fill(0, 36, 52);
    expect(assessMp3(src(plain), 0)).toBeNull();
  });
  it('property: any cut more than 0.1 s before the end is damaged (truncated when it ends inside a frame); a cut within it is not', () => {
    const whole = mp3(200, 200);
    fc.assert(fc.property(fc.integer({ min: 417 + 4, max: whole.length }), (cut) => {
      const whole417 = Math.floor((cut - 417) / 417); // whole frames left
      const missing = (200 - whole417) * 1152 / 44_100;
      const onBoundary = (cut - 417) % 417 === 0; // a cut between frames looks like a file whose header lies
      expect(kindOf(assessMp3(src(whole.subarray(0, cut)), 0))).toBe(missing > 0.1 ? (onBoundary ? 'header_mismatch' : 'truncated') : null);
    }), { numRuns: 300 });
  });
});

describe('with real files from the bundled ffmpeg', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const files: Record<string, Buffer> = {};
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('sp-damage-pure-'));
    const clip = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=24:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', '-shortest', '-f', 'mp4'];
    await ffmpeg([...clip, `file:${join(dir, 'end.mp4')}`]);
    await ffmpeg([...clip, '-movflags', '+faststart', `file:${join(dir, 'front.mp4')}`]);
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-c:a', 'flac', '-f', 'flac', `file:${join(dir, 'tone.flac')}`]);
    for (const name of ['end.mp4', 'front.mp4', 'tone.flac']) files[name] = await readFile(join(dir, name));
  }, 60_000);
  afterAll(() => cleanup?.());

  /** Where the index and the media end: a cut at or past both removes nothing a reader needs. */
  function neededEnd(bytes: Buffer): number {
    const moov = findBox(bytes, 'moov');
    const tables = readMovieTables(bytes.subarray(moov + 8, moov + bytes.readUInt32BE(moov)));
    let end = moov + bytes.readUInt32BE(moov);
    for (const t of tables.tracks) for (let i = 0; i < t.sizes.length; i++) end = Math.max(end, t.offsets[i]! + t.sizes[i]!);
    return end;
  }

  it.each(['front.mp4', 'end.mp4'])('%s whole: no damage; its tables are read', (name) => {
    expect(assessMp4(src(files[name]!))).toBeNull();
    const moov = findBox(files[name]!, 'moov');
    const tables = readMovieTables(files[name]!.subarray(moov + 8, moov + files[name]!.readUInt32BE(moov)));
    expect(tables.tracks.map((t) => [t.handler, t.sizes.length, t.selfContained, t.nalLengthSize])).toEqual([['vide', 48, true, 4], ['soun', 88, true, null]]);
  });

  it.each(['front.mp4', 'end.mp4'])('property: %s cut anywhere is reported damaged, or the cut removed nothing of the index or the media', (name) => {
    const whole = files[name]!;
    const needed = neededEnd(whole);
    const start = Math.min(findBox(whole, 'moov'), findBox(whole, 'mdat')) + 16;
    fc.assert(fc.property(fc.integer({ min: start, max: whole.length }), (cut) => {
      const damage = assessMp4(src(whole.subarray(0, cut)));
      expect([cut, damage === null]).toEqual([cut, cut >= needed]);
      if (damage?.decodes != null) expect(damage.decodes).toBeLessThanOrEqual(2.1);
    }), { numRuns: 200 });
  });

  it('a faststart MP4 cut in half: truncated, and about half of its 2 s decodes', () => {
    const whole = files['front.mp4']!;
    const damage = assessMp4(src(whole.subarray(0, Math.floor(whole.length / 2))));
    expect(damage?.kind).toBe('truncated');
    expect(damage!.decodes).toBeGreaterThan(0.5);
    expect(damage!.decodes).toBeLessThan(1.5);
  });

  it('FLAC whole: null; a cut one is damaged and its last frame tells how much decodes', () => {
    const whole = files['tone.flac']!;
    expect(assessFlac(src(whole))).toEqual({ damage: null });
    const verdict = assessFlac(src(whole.subarray(0, Math.floor(whole.length / 3))));
    if (!('damage' in verdict) || !verdict.damage) throw new Error('a third of a FLAC is not found damaged');
    expect(verdict.damage).toMatchObject({ kind: 'header_mismatch', headerSays: 3 });
    expect(verdict.damage.decodes).toBeGreaterThan(0.5);
    expect(verdict.damage.decodes).toBeLessThan(1.1);
  });

  it('property: FLAC cut anywhere after its metadata is damaged, or (no whole frame header left in its tail) left to a bounded decode', () => {
    const whole = files['tone.flac']!;
    const { audioStart } = readStreamInfo(src(whole))!;
    fc.assert(fc.property(fc.integer({ min: audioStart + 1, max: Math.floor(whole.length * 0.9) }), (cut) => {
      const verdict = assessFlac(src(whole.subarray(0, cut)));
      expect('damage' in verdict ? verdict.damage?.kind : 'unsure').toMatch(/^(header_mismatch|unsure)$/);
    }), { numRuns: 100 });
  });
});
