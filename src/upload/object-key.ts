import { canonicalExtension } from '../probe/detect-format.js';
import type { MediaFormat } from '../probe/media-info.js';

/** Content-Type for each detected format: what the provider's fetcher is told it receives. */
export const CONTENT_TYPES: Record<MediaFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  psd: 'image/vnd.adobe.photoshop',
  jp2: 'image/jp2',
  jxl: 'image/jxl',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  m4a: 'audio/mp4',
  '3gp': 'video/3gpp',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mpegts: 'video/mp2t',
  mpegps: 'video/mpeg',
  flv: 'video/x-flv',
  asf: 'video/x-ms-asf',
  mxf: 'video/x-mxf', // registered as application/mxf, which says nothing of its kind
  m4v: 'video/MP4V-ES',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  aiff: 'audio/aiff',
  rf64: 'audio/wav',
  wavpack: 'audio/wavpack',
  ac3: 'audio/ac3',
  amr: 'audio/amr',
};

/** The same bytes always map to the same key: PREFIX + sha256 + the detected format's extension. */
export function objectKey(prefix: string, sha256: string, format: MediaFormat): string {
  return `${prefix}${sha256}.${canonicalExtension(format)}`;
}

/** `inline` with the original name, ASCII fallback plus RFC 5987 UTF-8 form (RFC 6266 §4.3). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
