import { describe, it, expect } from 'vitest';
import { trailerIsComplete } from '../../src/probe/image-probe.js';

const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0x43, 0, 0]);
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** A WebP head whose RIFF size field says `riffSize`. */
function webpHead(riffSize: number): Buffer {
  const head = Buffer.from('RIFF\0\0\0\0', 'latin1');
  head.writeUInt32LE(riffSize, 4);
  return head;
}

describe('trailerIsComplete', () => {
  const tail = (...bytes: number[]) => Buffer.concat([Buffer.alloc(16 - bytes.length, 0x11), Buffer.from(bytes)]);
  const cases: Array<[string, string, Buffer, Buffer, number, boolean]> = [
    ['JPEG ending in EOI', 'jpeg', JPEG_HEAD, tail(0xff, 0xd9), 5000, true],
    ['JPEG with padding after EOI', 'jpeg', JPEG_HEAD, tail(0xff, 0xd9, 0, 0, 0, 0), 5000, true],
    ['JPEG cut in its scan data', 'jpeg', JPEG_HEAD, tail(0x12, 0x34), 5000, false],
    ['JPEG ending in a lone 0xFF', 'jpeg', JPEG_HEAD, tail(0xd9, 0xff), 5000, false],
    ['PNG ending in IEND and its CRC', 'png', PNG_HEAD, Buffer.concat([Buffer.alloc(4, 0x11), IEND]), 5000, true],
    ['PNG cut before IEND', 'png', PNG_HEAD, tail(0x49, 0x44, 0x41, 0x54), 5000, false],
    ['PNG with bytes after IEND', 'png', PNG_HEAD, Buffer.concat([Buffer.alloc(2, 0x11), IEND, Buffer.from([0, 0])]), 5000, false],
    ['GIF ending in its trailer', 'gif', Buffer.from('GIF89a\0\0'), tail(0x00, 0x3b), 900, true],
    ['GIF cut short', 'gif', Buffer.from('GIF89a\0\0'), tail(0x3b, 0x00), 900, false],
    ['WebP whose RIFF size matches the file', 'webp', webpHead(940), tail(), 948, true],
    ['WebP with one byte of padding', 'webp', webpHead(940), tail(), 949, true],
    ['WebP shorter than its RIFF size', 'webp', webpHead(940), tail(), 600, false],
    ['WebP longer than its RIFF size', 'webp', webpHead(940), tail(), 1000, false],
    ['formats without a trailer check pass', 'tiff', Buffer.alloc(8), tail(), 100, true],
    ['BMP passes', 'bmp', Buffer.from('BM\0\0\0\0\0\0'), tail(), 100, true],
  ];
  it.each(cases)('%s', (_name, format, head, tailBytes, size, expected) => {
    expect(trailerIsComplete(format, head, tailBytes, size)).toBe(expected);
  });

  it('a file shorter than 16 bytes', () => {
    expect(trailerIsComplete('jpeg', JPEG_HEAD, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 4)).toBe(true);
    expect(trailerIsComplete('gif', Buffer.from('GIF89a\0\0'), Buffer.from([0x3b]), 1)).toBe(true);
    expect(trailerIsComplete('png', PNG_HEAD, Buffer.from([0x89, 0x50]), 2)).toBe(false);
  });
});
