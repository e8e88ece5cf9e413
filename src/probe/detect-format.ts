import type { MediaFormat, MediaKind } from './media-info.js';

/** How many leading bytes detectFormat needs to see (M2TS needs 197; an ID3 tag is skipped by reading past it). */
export const SNIFF_BYTES = 4096;

/** file-type's names for the media formats it recognises; MP4-family and QuickTime files are read by our own brand table. */
const FILE_TYPE_FORMATS: Readonly<Record<string, MediaFormat>> = {
  jpg: 'jpeg', png: 'png', apng: 'png', gif: 'gif', webp: 'webp', tif: 'tiff', bmp: 'bmp', avif: 'avif', heic: 'heic',
  psd: 'psd', jp2: 'jp2', jpx: 'jp2', jpm: 'jp2', j2c: 'jp2', jxl: 'jxl',
  mkv: 'mkv', webm: 'webm', avi: 'avi', mpg: 'mpegps', mts: 'mpegts', flv: 'flv', asf: 'asf', mxf: 'mxf',
  mp3: 'mp3', mp2: 'mp3', mp1: 'mp3', wav: 'wav', flac: 'flac', aac: 'aac', aif: 'aiff', wv: 'wavpack', ac3: 'ac3', amr: 'amr',
  ogg: 'ogg', oga: 'ogg', ogv: 'ogg', ogm: 'ogg', ogx: 'ogg', opus: 'ogg', spx: 'ogg',
};

/**
 * The format of a file from its first bytes (file-type, plus what it cannot tell: ISO brands, RF64, strict BMP, SVG),
 * or null when unsure: the caller then asks the probe before calling the file unknown. Bytes behind an ID3v2 tag are
 * read for what they are (ADTS AAC is often tagged like an MP3); a tag longer than `bytes` gives null.
 */
export async function detectFormat(bytes: Uint8Array): Promise<MediaFormat | null> {
  const tagEnd = id3TagEnd(bytes);
  if (tagEnd !== null) return tagEnd < bytes.length ? detectFormat(bytes.subarray(tagEnd)) : null;
  const own = ownSignature(bytes);
  if (own !== undefined) return own;
  const found = await (await fileType()).fileTypeFromBuffer(bytes);
  if (found?.ext === 'bmp') return isStrictBmp(bytes) ? 'bmp' : null;
  if (found && FILE_TYPE_FORMATS[found.ext]) return FILE_TYPE_FORMATS[found.ext]!;
  return looksLikeSvg(bytes) ? 'svg' : null;
}

/** Where the audio behind an ID3v2 tag starts ("ID3", version, flags, 28-bit synchsafe size, optional footer); null without one. */
export function id3TagEnd(bytes: Uint8Array): number | null {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return null;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

let fileTypeModule: Promise<typeof import('file-type')> | undefined;
/** file-type and its dependencies (one of them CommonJS) load on the first sniff: a warm check answered from the cache never needs them. */
function fileType(): Promise<typeof import('file-type')> {
  fileTypeModule ??= import('file-type');
  return fileTypeModule;
}

/** Signatures read here rather than by file-type: undefined lets file-type decide, null means "not media". */
function ownSignature(bytes: Uint8Array): MediaFormat | null | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  // RF64 and BW64: WAV with 64-bit sizes (broadcast and long recordings); file-type only knows RIFF
  if ((ascii(0, 4) === 'RF64' || ascii(0, 4) === 'BW64') && ascii(8, 12) === 'WAVE') return 'rf64';
  if (ascii(0, 4) === 'RIFF' && !['WEBP', 'WAVE', 'AVI '].includes(ascii(8, 12))) return null;
  // file-type reads a TIFF's first directory to tell it from camera raws, and it often lies past the sniffed bytes
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  // every Ogg codec (Vorbis, Opus, Theora) is one container to us; file-type needs the codec header to answer
  if (ascii(0, 4) === 'OggS') return 'ogg';
  // MP4 versus MOV, HEIC versus AVIF: decided by brands, our own reading
  if (ascii(4, 8) === 'ftyp') return isoBrand(ascii(8, 12), bytes);
  // QuickTime files written without an ftyp box start with another top-level atom
  if (['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(ascii(4, 8))) return isAtomSize(bytes) ? 'mov' : null;
  // raw MPEG-4 Part 2 video (ffmpeg's m4v): no container, so file-type knows nothing of it; ffprobe reads it
  if (isMpeg4Visual(bytes)) return 'm4v';
  return undefined;
}

/**
 * A raw MPEG-4 Part 2 elementary stream starts with a start code 00 00 01 and B0 (visual object sequence), B5 (visual
 * object) or B6 (a picture), which H.264 and H.265 never begin with (their first bit is forbidden); a start on a video
 * object (00–1F) or its layer (20–2F), codes an H.264 stream can share, counts only with a picture (B6) in the sniff.
 * Not B3 (MPEG-1/2 video), not BA (MPEG-PS).
 */
function isMpeg4Visual(bytes: Uint8Array): boolean {
  if (bytes.length < 5 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 1) return false;
  const code = bytes[3]!;
  if (code === 0xb0 || code === 0xb5 || code === 0xb6) return true;
  return code <= 0x2f && hasStartCode(bytes, 0xb6);
}

function hasStartCode(bytes: Uint8Array, code: number): boolean {
  for (let i = 0; i + 3 < bytes.length; i++) if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1 && bytes[i + 3] === code) return true;
  return false;
}

/** 'BM' alone is too weak (a text starting "BMW…"): the DIB header size must be one of the defined ones. */
function isStrictBmp(bytes: Uint8Array): boolean {
  return [12, 40, 52, 56, 64, 108, 124].includes(readUint32LE(bytes, 14));
}

/** The kind a format stands for, before looking inside (an MP4 may still turn out to hold only audio). */
export function kindOfFormat(format: MediaFormat): MediaKind {
  switch (format) {
    case 'jpeg': case 'png': case 'webp': case 'gif': case 'bmp': case 'tiff': case 'avif': case 'heic': case 'svg':
    case 'psd': case 'jp2': case 'jxl':
      return 'image';
    case 'mp3': case 'wav': case 'flac': case 'ogg': case 'aac': case 'm4a': case 'aiff': case 'rf64': case 'wavpack': case 'ac3': case 'amr':
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
  psd: ['psd', 'psb'],
  jp2: ['jp2', 'j2k', 'j2c', 'jpf', 'jpx', 'jpm'],
  jxl: ['jxl'],
  mp4: ['mp4', 'm4v'],
  mov: ['mov', 'qt'],
  m4a: ['m4a', 'mp4'],
  '3gp': ['3gp', '3g2'],
  mkv: ['mkv'],
  webm: ['webm'],
  avi: ['avi'],
  mpegts: ['ts', 'mts', 'm2ts', 'm2t', 'tsv'],
  mpegps: ['mpg', 'mpeg', 'vob', 'm2p', 'ps', 'mod'],
  flv: ['flv'],
  asf: ['wmv', 'asf', 'wma'],
  mxf: ['mxf'],
  m4v: ['m4v', 'cmp'],
  mp3: ['mp3'],
  wav: ['wav', 'wave'],
  flac: ['flac'],
  ogg: ['ogg', 'oga', 'opus'],
  aac: ['aac', 'adts'],
  aiff: ['aiff', 'aif', 'aifc'],
  rf64: ['wav', 'rf64', 'bw64'],
  wavpack: ['wv'],
  ac3: ['ac3', 'eac3', 'ec3'],
  amr: ['amr'],
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
