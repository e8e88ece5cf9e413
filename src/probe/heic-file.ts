import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** heic-decode's view of a HEIC: its top-level images, sized as displayed (libheif applies irot and imir), decoded on demand. */
export type HeicImages = Array<{ width: number; height: number; decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }> }> & { dispose(): void };
type HeicDecode = { all(input: { buffer: Uint8Array }): Promise<HeicImages> };

const requireHere = createRequire(import.meta.url);
let heicModule: HeicDecode | undefined;

/** Parses a HEIC with libheif (WebAssembly) without decoding its pixels; the caller disposes of the result. */
export async function openHeic(path: string): Promise<HeicImages> {
  // loaded on first use: the WebAssembly bundle is 3 MB that a run without HEIC never needs
  heicModule ??= requireHere('heic-decode') as HeicDecode;
  return heicModule.all({ buffer: await readFile(path) });
}

/** The displayed size of a HEIC's first image, read by the library that decodes it in fix, so both agree. */
export async function heicSize(path: string): Promise<{ width: number; height: number } | null> {
  const images = await openHeic(path);
  try {
    const first = images[0];
    return first ? { width: first.width, height: first.height } : null;
  } finally {
    images.dispose();
  }
}
