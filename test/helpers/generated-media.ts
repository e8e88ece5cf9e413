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
