/** An image's facts from the first bytes of its URL: sharp reads the header from a prefix, never decoding pixels. */
import { imageFacts, loadSharp } from '../image-probe.js';
import type { ImageInfo } from '../media-info.js';

export type RemoteImageFacts = Omit<ImageInfo, 'path' | 'format' | 'extension' | 'extensionMatches' | 'sizeBytes'>;

/** null when the header is not complete in `prefix` (a JPEG's size can sit behind a large EXIF or ICC block). */
export async function imageFromPrefix(prefix: Uint8Array): Promise<RemoteImageFacts | null> {
  const sharp = await loadSharp();
  let meta: import('sharp').Metadata;
  try {
    meta = await sharp(prefix, { limitInputPixels: false }).metadata();
  } catch {
    return null;
  }
  const storedWidth = meta.width ?? 0;
  const storedHeight = meta.height ?? 0;
  if (storedWidth <= 0 || storedHeight <= 0) return null;
  return imageFacts(meta, storedWidth, storedHeight);
}
