import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJxlHeader } from '../../src/probe/jxl-header.js';
import { fixture } from '../helpers/fixtures.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

describe('parseJxlHeader', () => {
  // heads of codestreams written by Debian ffmpeg's libjxl (`-f lavfi -i testsrc2=size=W×H -frames:v 1 -c:v libjxl`); sizes confirmed by Debian ffprobe
  it.each([
    ['1000×300: explicit sizes, 13-bit and 9-bit', 'ff0a5889cec70c2501040200a400005cfe76fe76', { width: 1000, height: 300, orientation: 1 }],
    ['300×5000: an 18-bit height', 'ff0a3a9c60e50c8501050200d801005cfe76fe76', { width: 300, height: 5000, orientation: 1 }],
    ['640×360: height in eighths, width from the 16:9 ratio code', 'ff0a38db010c05020502000c01005cfe76fe764a', { width: 640, height: 360, orientation: 1 }],
  ])('%s', (_name, head, expected) => {
    expect(parseJxlHeader(hex(head))).toEqual(expected);
  });

  it('reads the committed fixture (640×480)', () => {
    expect(parseJxlHeader(readFileSync(fixture('image.jxl')))).toEqual({ width: 640, height: 480, orientation: 1 });
  });

  it('finds the codestream inside an ISO-BMFF container (jxlc box)', () => {
    const signature = hex('0000000c 4a584c20 0d0a870a');
    const ftyp = hex('00000014 66747970 6a786c20 00000000 6a786c20');
    const codestream = readFileSync(fixture('image.jxl'));
    const jxlc = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('jxlc'), codestream]);
    jxlc.writeUInt32BE(jxlc.length, 0);
    expect(parseJxlHeader(Buffer.concat([signature, ftyp, jxlc]))).toEqual({ width: 640, height: 480, orientation: 1 });
  });

  it.each([
    ['not JPEG XL', hex('ffd8ffe000104a464946')],
    ['a codestream cut inside its header', hex('ff0a3a9c')],
    ['a container with no codestream box', hex('0000000c 4a584c20 0d0a870a 00000014 66747970 6a786c20 00000000 6a786c20')],
  ])('%s → null', (_name, bytes) => {
    expect(parseJxlHeader(bytes)).toBeNull();
  });
});
