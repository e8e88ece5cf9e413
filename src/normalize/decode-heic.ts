import { openHeic } from '../probe/heic-file.js';

/** RGBA pixels of a HEIC's primary image, decoded by libheif (WebAssembly) with its irot/imir applied; refuses more than `maxPixels`. */
export async function decodeHeic(path: string, maxPixels: number): Promise<{ data: Buffer; raw: { width: number; height: number; channels: 4 } }> {
  const images = await openHeic(path);
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
