import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

type HeicDecode = { all(input: { buffer: Uint8Array }): Promise<Array<{ width: number; height: number; decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }> }> & { dispose(): void }> };
const requireHere = createRequire(import.meta.url);
let heicModule: HeicDecode | undefined;

/** RGBA pixels of a HEIC's primary image, decoded by libheif (WebAssembly) with its irot/imir applied; refuses more than `maxPixels`. */
export async function decodeHeic(path: string, maxPixels: number): Promise<{ data: Buffer; raw: { width: number; height: number; channels: 4 } }> {
  // loaded on first use: the WebAssembly bundle is 3 MB that a run without HEIC never needs
  heicModule ??= requireHere('heic-decode') as HeicDecode;
  const images = await heicModule.all({ buffer: await readFile(path) });
  try {
    const primary = images[0];
    if (!primary) throw new Error(`${path}: the HEIC holds no image`);
    if (primary.width * primary.height > maxPixels) throw new Error(`${path}: ${primary.width}×${primary.height} is past the decoding bound of ${maxPixels.toLocaleString('en-US')} pixels`);
    const { width, height, data } = await primary.decode();
    return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), raw: { width, height, channels: 4 } };
  } finally {
    images.dispose();
  }
}
