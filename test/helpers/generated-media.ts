import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflate, crc32 } from 'node:zlib';

/**
 * A real PNG of width × height 1-bit grey pixels, all black: a decompression bomb (30,000 × 30,000 is 900 million
 * pixels) that is only ~110 KB on disk. Written row by row, so making it needs no big buffer.
 */
export async function writeBombPng(path: string, width = 30_000, height = 30_000): Promise<void> {
  const out = createWriteStream(path);
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0, 0);
    out.write(Buffer.concat([head, data, crc]));
  };
  out.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  chunk('IHDR', ihdr);
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (data: Buffer) => compressed.push(data));
  const row = Buffer.alloc(1 + Math.ceil(width / 8)); // filter byte 0, then zero bits
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  chunk('IDAT', Buffer.concat(compressed));
  chunk('IEND', Buffer.alloc(0));
  out.end();
  await once(out, 'finish');
}

/**
 * A real baseline JPEG (YCbCr 4:2:0) of width × height flat grey pixels, written directly as a bitstream: every block
 * is "DC difference 0, end of block", two bits with one-symbol Huffman tables, so a 20,000 × 14,000 photo-sized file
 * (280 MP, past the 100 MP decoding bound) is 1.6 MB of zero bytes and takes no memory to make. Encoding one with
 * sharp would hold 1.7 GB for a minute.
 */
export async function writeFlatJpeg(path: string, width: number, height: number): Promise<void> {
  const out = createWriteStream(path);
  const segment = (marker: number, body: number[]) => Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
  const u16 = (n: number) => [n >> 8, n & 0xff];
  // one Huffman table: a single symbol 0 with the one-bit code '0' (class 0 = DC, class 1 = AC; value 0 = category 0 / EOB)
  const oneSymbol = (tableClass: number) => [(tableClass << 4) | 0, 1, ...Array(15).fill(0), 0];
  out.write(Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xdb, [0, ...Array(64).fill(1)]), // quantisation table 0: all ones
    segment(0xc0, [8, ...u16(height), ...u16(width), 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]), // 3 components, Y sampled 2×2
    segment(0xc4, [...oneSymbol(0), ...oneSymbol(1)]),
    segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
  ]));
  const mcus = Math.ceil(width / 16) * Math.ceil(height / 16);
  const bits = mcus * 6 * 2; // six blocks of two bits each
  const zeroBytes = Math.floor(bits / 8);
  const chunk = Buffer.alloc(1 << 20);
  for (let left = zeroBytes; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(out, 'drain');
  }
  // the last partial byte is padded with one bits, as the standard asks
  if (bits % 8) out.write(Buffer.from([0xff >> (bits % 8)]));
  out.end(Buffer.from([0xff, 0xd9]));
  await once(out, 'finish');
}

/**
 * A real lossless WebP (VP8L) of width × height flat grey pixels: five one-symbol prefix codes make every pixel cost
 * zero bits, so a 16,000 × 9,000 file (144 MP) is a few dozen bytes that libwebp still has to decode pixel by pixel.
 */
export async function writeFlatWebp(path: string, width: number, height: number): Promise<void> {
  const bits: number[] = [];
  const put = (value: number, count: number) => {
    for (let i = 0; i < count; i++) bits.push((value >> i) & 1);
  };
  put(0x2f, 8); // VP8L signature
  put(width - 1, 14);
  put(height - 1, 14);
  put(0, 1); // alpha unused
  put(0, 3); // version 0
  put(0, 1); // no transform
  put(0, 1); // no colour cache
  put(0, 1); // no meta prefix codes
  // green, red, blue, alpha: one 8-bit symbol each; distance: one 1-bit symbol
  for (const symbol of [0x80, 0x80, 0x80, 0xff]) {
    put(1, 1); // simple code
    put(0, 1); // one symbol
    put(1, 1); // eight bits wide
    put(symbol, 8);
  }
  put(1, 1);
  put(0, 1);
  put(0, 1);
  put(0, 1);
  const data = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => (data[i >> 3]! |= bit << (i & 7)));
  const chunk = Buffer.concat([Buffer.from('VP8L'), Buffer.alloc(4), data, Buffer.alloc(data.length % 2)]);
  chunk.writeUInt32LE(data.length, 4);
  const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), chunk]);
  riff.writeUInt32LE(riff.length - 8, 4);
  const out = createWriteStream(path);
  out.end(riff);
  await once(out, 'finish');
}
