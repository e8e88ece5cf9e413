import type { MediaFormat, MediaKind } from './media-info.js';

/** How many leading bytes detectFormat needs to see. */
export const SNIFF_BYTES = 4096;

/** The format of a file from its first bytes, or null when they are not a media format we know. */
export function detectFormat(bytes: Uint8Array): MediaFormat | null {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  const startsWith = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);

  if (startsWith(0xff, 0xd8, 0xff)) return 'jpeg';
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  // 'BM' alone is too weak (a text starting "BMW…"): the DIB header size must be one of the defined ones
  if (ascii(0, 2) === 'BM' && [12, 40, 52, 56, 64, 108, 124].includes(readUint32LE(bytes, 14))) return 'bmp';
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (ascii(0, 4) === 'RIFF') {
    const form = ascii(8, 12);
    if (form === 'WEBP') return 'webp';
    if (form === 'WAVE') return 'wav';
    if (form === 'AVI ') return 'avi';
    return null;
  }
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (startsWith(0x1a, 0x45, 0xdf, 0xa3)) return matroskaDocType(bytes);
  if (ascii(4, 8) === 'ftyp') return isoBrand(ascii(8, 12), bytes);
  // QuickTime files written without an ftyp box start with another top-level atom
  if (['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(ascii(4, 8)) && isAtomSize(bytes)) return 'mov';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  if (bytes[0] === 0xff && bytes[1] !== undefined) {
    if ((bytes[1] & 0xf6) === 0xf0) return 'aac'; // ADTS sync word, layer 0
    if ((bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) return 'mp3'; // MPEG audio frame sync, layer I–III
  }
  if (looksLikeSvg(bytes)) return 'svg';
  return null;
}

/** The kind a format stands for, before looking inside (an MP4 may still turn out to hold only audio). */
export function kindOfFormat(format: MediaFormat): MediaKind {
  switch (format) {
    case 'jpeg': case 'png': case 'webp': case 'gif': case 'bmp': case 'tiff': case 'avif': case 'heic': case 'svg':
      return 'image';
    case 'mp3': case 'wav': case 'flac': case 'ogg': case 'aac': case 'm4a':
      return 'audio';
    default:
      return 'video';
  }
}

/** Extensions that name each format; the first is the one a fixed copy gets. */
export const FORMAT_EXTENSIONS: Record<MediaFormat, readonly string[]> = {
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  webp: ['webp'],
  gif: ['gif'],
  bmp: ['bmp', 'dib'],
  tiff: ['tif', 'tiff'],
  avif: ['avif'],
  heic: ['heic', 'heif'],
  svg: ['svg'],
  mp4: ['mp4', 'm4v'],
  mov: ['mov', 'qt'],
  m4a: ['m4a', 'mp4'],
  '3gp': ['3gp', '3g2'],
  mkv: ['mkv'],
  webm: ['webm'],
  avi: ['avi'],
  mp3: ['mp3'],
  wav: ['wav', 'wave'],
  flac: ['flac'],
  ogg: ['ogg', 'oga', 'opus'],
  aac: ['aac'],
};

/** Every extension we treat as a media file when scanning a folder. */
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(FORMAT_EXTENSIONS).flat());

/** The extension a file of this format is written with: jpg, mp4, mp3… */
export function canonicalExtension(format: MediaFormat): string {
  return FORMAT_EXTENSIONS[format][0]!;
}

export function extensionMatchesFormat(extension: string, format: MediaFormat): boolean {
  return FORMAT_EXTENSIONS[format].includes(extension.toLowerCase());
}

function isoBrand(major: string, bytes: Uint8Array): MediaFormat {
  const brand = major.trim();
  if (brand === 'qt') return 'mov';
  if (brand === 'avif' || brand === 'avis') return 'avif';
  if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return compatibleAvif(bytes) ? 'avif' : 'heic';
  if (brand === 'M4A' || brand === 'M4B' || brand === 'M4P') return 'm4a';
  if (brand.startsWith('3g')) return '3gp';
  return 'mp4';
}

function compatibleAvif(bytes: Uint8Array): boolean {
  const size = readUint32(bytes, 0);
  const end = Math.min(size, bytes.length);
  for (let i = 16; i + 4 <= end; i += 4) {
    if (String.fromCharCode(...bytes.subarray(i, i + 4)) === 'avif') return true;
  }
  return false;
}

function matroskaDocType(bytes: Uint8Array): MediaFormat {
  // The EBML header names the DocType within its first few dozen bytes
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  return head.includes('webm') ? 'webm' : 'mkv';
}

function isAtomSize(bytes: Uint8Array): boolean {
  const size = readUint32(bytes, 0);
  return size === 0 || size === 1 || size >= 8;
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return readUint32([bytes[offset + 3] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 1] ?? 0, bytes[offset] ?? 0] as unknown as Uint8Array, 0);
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) >>> 0) + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0);
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<svg')) return true;
  return (head.startsWith('<?xml') || head.startsWith('<!--') || head.startsWith('<!DOCTYPE svg')) && /<svg[\s>]/.test(head);
}
