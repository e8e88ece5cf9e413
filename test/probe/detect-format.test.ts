import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { detectFormat, extensionMatchesFormat, id3TagEnd, FORMAT_EXTENSIONS, kindOfFormat, MEDIA_EXTENSIONS, SNIFF_BYTES } from '../../src/probe/detect-format.js';
import type { MediaFormat, MediaKind } from '../../src/probe/media-info.js';
import { fixture } from '../helpers/fixtures.js';

/** Bytes from numbers, latin-1 strings and 32-bit big-endian sizes ({ u32: n }). */
function bytes(...parts: Array<number[] | string | { u32: number }>): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0) & 0xff);
    else if (Array.isArray(part)) out.push(...part);
    else out.push((part.u32 >>> 24) & 0xff, (part.u32 >>> 16) & 0xff, (part.u32 >>> 8) & 0xff, part.u32 & 0xff);
  }
  return Uint8Array.from(out);
}

/** An ISO BMFF ftyp box: size, "ftyp", major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  return bytes({ u32: 16 + 4 * compatible.length }, 'ftyp', major, { u32: 0x200 }, ...compatible, { u32: 8 }, 'free');
}

const ZEROS = Array(32).fill(0) as number[];

/** Three transport-stream packets of `size` bytes whose sync byte 0x47 sits at `offset`. */
function tsPackets(size: number, offset: number): number[] {
  const out = Array(size * 3).fill(0xff) as number[];
  for (let i = 0; i < 3; i++) out[i * size + offset] = 0x47;
  return out;
}

describe('detectFormat: magic numbers', () => {
  const cases: Array<[string, Uint8Array, MediaFormat | null]> = [
    // images
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0]), 'jpeg'],
    ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0xbc], 'Exif', [0, 0]), 'jpeg'],
    ['JPEG (raw DQT)', bytes([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43]), 'jpeg'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], { u32: 13 }, 'IHDR'), 'png'],
    ['PNG signature cut short', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), null],
    ['GIF89a', bytes('GIF89a', [0x80, 0x02, 0xe0, 0x01]), 'gif'],
    ['GIF87a', bytes('GIF87a', [0x80, 0x02, 0xe0, 0x01]), 'gif'],
    ['BMP', bytes('BM', { u32: 0xf6d80100 }, [0, 0, 0, 0], [0x36, 0x04, 0, 0], [40, 0, 0, 0]), 'bmp'],
    ['BMP with a BITMAPV5 header', bytes('BM', { u32: 0xf6d80100 }, [0, 0, 0, 0], [0x8a, 0, 0, 0], [124, 0, 0, 0]), 'bmp'],
    ['text that starts with "BM"', bytes('BMW owners manual, chapter 1'), null],
    ['"BM" shorter than a BMP header', bytes('BM', [0, 0, 0, 0, 0, 0, 0, 0]), null],
    ['TIFF little-endian', bytes('II', [0x2a, 0x00], [0x08, 0, 0, 0]), 'tiff'],
    ['TIFF big-endian', bytes('MM', [0x00, 0x2a], [0, 0, 0, 0x08]), 'tiff'],
    ['TIFF with a wrong byte order mark', bytes('IM', [0x2a, 0x00], [0x08, 0, 0, 0]), null],
    ['WebP', bytes('RIFF', [0xac, 0x03, 0, 0], 'WEBP', 'VP8 '), 'webp'],
    // RIFF family
    ['WAV', bytes('RIFF', [0x46, 0x77, 0x01, 0x00], 'WAVE', 'fmt '), 'wav'],
    ['AVI', bytes('RIFF', [0x24, 0x17, 0x04, 0x00], 'AVI ', 'LIST'), 'avi'],
    ['RIFF of another form (MIDI)', bytes('RIFF', [0, 0, 0, 0], 'RMID', 'data'), null],
    ['RF64 WAV (64-bit sizes)', bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVE', 'ds64'), 'rf64'],
    ['BW64 WAV (broadcast)', bytes('BW64', [0xff, 0xff, 0xff, 0xff], 'WAVE', 'ds64'), 'rf64'],
    ['RF64 of another form', bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'ABCD', 'ds64'), null],
    // formats the provider does not take, still media
    ['AIFF', bytes('FORM', [0, 0, 0x77, 0x2e], 'AIFF', 'COMM'), 'aiff'],
    ['AIFF-C', bytes('FORM', [0, 0, 0x77, 0x2e], 'AIFC', 'FVER'), 'aiff'],
    ['WavPack', bytes('wvpk', [0x2c, 0x67, 0, 0, 0x10, 0x04]), 'wavpack'],
    ['AC-3', bytes([0x0b, 0x77, 0x3a, 0x5e, 0x14, 0x40, 0x2f]), 'ac3'],
    ['MPEG-TS: sync bytes 188 apart', Uint8Array.from([...tsPackets(188, 0)]), 'mpegts'],
    ['M2TS (AVCHD): 4-byte timecode, then sync bytes 192 apart', Uint8Array.from([...tsPackets(192, 4)]), 'mpegts'],
    ['one 0x47 byte is not a transport stream', bytes([0x47, 0x40, 0x00, 0x10], ZEROS), null],
    ['MPEG-PS pack header', bytes([0x00, 0x00, 0x01, 0xba, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01]), 'mpegps'],
    // raw MPEG-4 Part 2 video (ffmpeg -f m4v): file-type knows nothing of it
    ['raw MPEG-4 visual object sequence (00 00 01 B0)', bytes([0x00, 0x00, 0x01, 0xb0, 0x01, 0x00, 0x00, 0x01, 0xb5]), 'm4v'],
    ['raw MPEG-4 picture (00 00 01 B6)', bytes([0x00, 0x00, 0x01, 0xb6, 0x10, 0x60]), 'm4v'],
    ['raw MPEG-4 video object layer, then a picture', bytes([0x00, 0x00, 0x01, 0x20, 0x00, 0xc4, 0x8d, 0x00, 0x00, 0x01, 0xb6, 0x10]), 'm4v'],
    ['raw MPEG-4 video object, then its layer and a picture', bytes([0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00, 0x01, 0xb6]), 'm4v'],
    // H.264 Annex B can begin 00 00 01 09 (an access unit delimiter) or 00 00 01 27 (a parameter set): no MPEG-4 picture follows
    ['H.264 access unit delimiter (00 00 01 09) is not raw MPEG-4', bytes([0x00, 0x00, 0x01, 0x09, 0xf0, 0x00, 0x00, 0x01, 0x27, 0x64]), null],
    ['MPEG-1/2 video sequence header (00 00 01 B3) is not raw MPEG-4 (file-type: MPEG)', bytes([0x00, 0x00, 0x01, 0xb3, 0x14, 0x00, 0xf0, 0x13]), 'mpegps'],
    ['PSD', bytes('8BPS', [0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 1, 0x2c, 0, 0, 1, 0x40, 0, 8, 0, 3]), 'psd'],
    ['JPEG 2000 (JP2 box)', bytes({ u32: 12 }, 'jP  ', [0x0d, 0x0a, 0x87, 0x0a], { u32: 20 }, 'ftyp', 'jp2 ', { u32: 0 }, 'jp2 '), 'jp2'],
    ['JPEG 2000 codestream', bytes([0xff, 0x4f, 0xff, 0x51, 0x00, 0x2f, 0x00, 0x00]), 'jp2'],
    ['JPEG XL codestream', bytes([0xff, 0x0a, 0xfa, 0x7f, 0x01, 0x90, 0x08]), 'jxl'],
    ['JPEG XL container', bytes({ u32: 12 }, 'JXL ', [0x0d, 0x0a, 0x87, 0x0a], { u32: 20 }, 'ftyp', 'jxl ', { u32: 0 }, 'jxl '), 'jxl'],
    // audio containers
    ['FLAC', bytes('fLaC', [0, 0, 0, 0x22]), 'flac'],
    ['Ogg', bytes('OggS', [0, 2, 0, 0, 0, 0, 0, 0]), 'ogg'],
    // Matroska
    ['Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88], 'matroska', [0x42, 0x87, 0x81, 0x04]), 'mkv'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm', [0x42, 0x87, 0x81, 0x04]), 'webm'],
    // ISO BMFF brands
    ['MP4 (isom)', ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), 'mp4'],
    ['MP4 (mp42)', ftyp('mp42', 'mp42', 'isom'), 'mp4'],
    ['MP4 (M4V )', ftyp('M4V ', 'M4V ', 'mp42'), 'mp4'],
    ['MP4 (mp41, no compatible brands)', ftyp('mp41'), 'mp4'],
    ['MOV (qt  )', ftyp('qt  ', 'qt  '), 'mov'],
    ['M4A', ftyp('M4A ', 'M4A ', 'mp42', 'isom'), 'm4a'],
    ['M4B audiobook', ftyp('M4B ', 'M4B '), 'm4a'],
    ['M4P', ftyp('M4P '), 'm4a'],
    ['3GP (3gp4)', ftyp('3gp4', '3gp4', 'isom'), '3gp'],
    ['3G2 (3g2a)', ftyp('3g2a', '3g2a'), '3gp'],
    ['AVIF', ftyp('avif', 'avif', 'mif1', 'miaf'), 'avif'],
    ['AVIF sequence (avis)', ftyp('avis', 'avis', 'msf1'), 'avif'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), 'heic'],
    ['HEIF (mif1) with heic compatibility', ftyp('mif1', 'mif1', 'heic'), 'heic'],
    ['HEIF (mif1) with avif compatibility', ftyp('mif1', 'mif1', 'avif'), 'avif'],
    ['HEIF sequence (msf1)', ftyp('msf1', 'msf1', 'hevc'), 'heic'],
    ['HEVC brand (hevc)', ftyp('hevc', 'hevc'), 'heic'],
    // QuickTime without ftyp
    ['MOV starting with wide', bytes({ u32: 8 }, 'wide', { u32: 0x1000 }, 'mdat'), 'mov'],
    ['MOV starting with moov', bytes({ u32: 0x0f2b }, 'moov', { u32: 0x6c }, 'mvhd'), 'mov'],
    ['MOV starting with mdat (size 1: 64-bit size follows)', bytes({ u32: 1 }, 'mdat', [0, 0, 0, 0, 0, 1, 0, 0]), 'mov'],
    ['MOV starting with mdat (size 0: to the end)', bytes({ u32: 0 }, 'mdat', ZEROS), 'mov'],
    ['MOV starting with free', bytes({ u32: 16 }, 'free', ZEROS), 'mov'],
    ['MOV starting with skip', bytes({ u32: 16 }, 'skip', ZEROS), 'mov'],
    ['MOV starting with pnot', bytes({ u32: 20 }, 'pnot', ZEROS), 'mov'],
    ['an atom of impossible size 5', bytes({ u32: 5 }, 'moov', ZEROS), null],
    ['an unknown atom', bytes({ u32: 16 }, 'abcd', ZEROS), null],
    // MPEG audio
    // an ID3v2 tag says nothing of what follows it: the bytes behind it decide
    ['MP3 behind an ID3v2 tag', bytes('ID3', [0x04, 0x00, 0x00, 0, 0, 0, 0x04], 'TSSE', [0xff, 0xfb, 0x90, 0x44, 0x00]), 'mp3'],
    ['ADTS AAC behind an ID3v2 tag', bytes('ID3', [0x04, 0x00, 0x00, 0, 0, 0, 0x04], 'TSSE', [0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'aac'],
    ['ADTS AAC behind an ID3v2 tag with a footer', bytes('ID3', [0x04, 0x00, 0x10, 0, 0, 0, 0x04], 'TSSE', '3DI', [4, 0, 0x10, 0, 0, 0, 4], [0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'aac'],
    ['an ID3v2 tag longer than the bytes seen (unsure: read on)', bytes('ID3', [0x04, 0x00, 0x00, 0, 0, 0x10, 0x00], 'TSSE'), null],
    ['zeros behind an ID3v2 tag (unsure: the probe decides)', bytes('ID3', [0x04, 0x00, 0x00, 0, 0, 0, 0x04], 'TSSE', ZEROS), null],
    ['MP3 frame sync, MPEG-1 layer III (FF FB)', bytes([0xff, 0xfb, 0x90, 0x44, 0x00]), 'mp3'],
    ['MP3 frame sync with CRC (FF FA)', bytes([0xff, 0xfa, 0x90, 0x44, 0x00]), 'mp3'],
    ['MP3 frame sync, MPEG-2 layer III (FF F3)', bytes([0xff, 0xf3, 0x64, 0xc4, 0x00]), 'mp3'],
    ['MP3 frame sync, MPEG-2.5 layer III (FF E3)', bytes([0xff, 0xe3, 0x18, 0xc4, 0x00]), 'mp3'],
    ['MP2 frame sync, MPEG-1 layer II (FF FD)', bytes([0xff, 0xfd, 0x90, 0x44, 0x00]), 'mp3'],
    ['frame sync with the reserved layer 00 (FF E1)', bytes([0xff, 0xe1, 0x90, 0x44, 0x00]), null],
    ['AAC ADTS, MPEG-4 (FF F1)', bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'aac'],
    ['AAC ADTS, MPEG-2 (FF F9)', bytes([0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'aac'],
    ['AAC ADTS with CRC (FF F0)', bytes([0xff, 0xf0, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'aac'],
    ['a lone 0xFF', bytes([0xff]), null],
    // SVG
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"></svg>'), 'svg'],
    ['SVG after an XML declaration', bytes('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'), 'svg'],
    ['SVG after a DOCTYPE', bytes('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg>\n</svg>'), 'svg'],
    ['SVG after a comment', bytes('<!-- drawn by hand -->\n<svg width="1"/>'), 'svg'],
    ['SVG after white space', bytes('\n\n   <svg/>'), 'svg'],
    ['SVG after a UTF-8 byte order mark', Uint8Array.from(Buffer.from('\uFEFF<svg viewBox="0 0 1 1"/>', 'utf8')), 'svg'],
    ['XML that is not SVG', bytes('<?xml version="1.0"?>\n<html><body/></html>'), null],
    ['XML naming an <svgfoo> element', bytes('<?xml version="1.0"?>\n<svgfoo/>'), null],
    ['HTML', bytes('<!DOCTYPE html><html><svg></svg></html>'), null],
    // not media
    ['plain text', bytes('this is not a video\n'), null],
    ['JSON', bytes('{"model": "seedance-2.0-reference-to-video"}'), null],
    ['a ZIP archive', bytes('PK', [0x03, 0x04, 0x14, 0, 0, 0]), null],
    ['a PDF', bytes('%PDF-1.7\n'), null],
    ['zeros', Uint8Array.from(ZEROS), null],
    ['no bytes', new Uint8Array(0), null],
  ];
  it.each(cases)('%s → %s', async (_name, input, expected) => {
    expect(await detectFormat(input)).toBe(expected);
  });

  it('only an ftyp box\'s own compatible brands decide AVIF over HEIC', async () => {
    // "avif" in the next box, not in ftyp's compatible list
    const heic = bytes({ u32: 20 }, 'ftyp', 'mif1', { u32: 0 }, 'heic', { u32: 12 }, 'avif', ZEROS);
    expect(await detectFormat(heic)).toBe('heic');
  });

  it('needs no more than SNIFF_BYTES: trailing bytes change nothing', async () => {
    expect(SNIFF_BYTES).toBe(4096);
    const mp4 = new Uint8Array(SNIFF_BYTES);
    mp4.set(ftyp('isom', 'isom'));
    expect(await detectFormat(mp4)).toBe('mp4');
  });

  it.each([
    [bytes('ID3', [4, 0, 0, 0, 0, 0, 4], 'TSSE'), 14],
    [bytes('ID3', [4, 0, 0x10, 0, 0, 1, 0]), 10 + 128 + 10], // synchsafe: 0x0100 is 128 bytes; a footer adds 10
    [bytes('ID3', [3, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f]), 10 + 0x0fffffff],
    [bytes('ID4', [3, 0, 0, 0, 0, 0, 4]), null],
    [bytes('ID3', [3, 0]), null],
  ])('id3TagEnd(%#) → %s', (input, expected) => {
    expect(id3TagEnd(input)).toBe(expected);
  });
});

describe('detectFormat: heads of the committed fixtures', () => {
  const cases: Array<[string, MediaFormat | null]> = [
    ['landscape-1280x720.jpg', 'jpeg'],
    ['exif-orientation-6.jpg', 'jpeg'],
    ['truncated.jpg', 'jpeg'],
    ['png-named.jpg', 'png'],
    ['alpha-500x500.png', 'png'],
    ['valid-800x600.webp', 'webp'],
    ['image.gif', 'gif'],
    ['image.bmp', 'bmp'],
    ['image.tiff', 'tiff'],
    ['image.avif', 'avif'],
    ['image.svg', 'svg'],
    ['valid-854x480-30fps.mp4', 'mp4'],
    ['valid-854x480.mov', 'mov'],
    ['prores.mov', 'mov'],
    ['audio-only.m4a', 'm4a'],
    ['h264-in.mkv', 'mkv'],
    ['vp9.webm', 'webm'],
    ['mpeg4.avi', 'avi'],
    ['valid-3s.mp3', 'mp3'],
    ['valid-3s.wav', 'wav'],
    ['tone.flac', 'flac'],
    ['tone.ogg', 'ogg'],
    ['id3-adts-16s.aac', 'aac'],
    ['zero-padded.mp3', null], // unsure: ffprobe decides (test/probe/probe-file.test.ts)
    ['truncated-247s.mp3', 'mp3'],
    ['tone.aiff', 'aiff'],
    ['rf64.wav', 'rf64'],
    ['tone.wv', 'wavpack'],
    ['short-1.73s.eac3', 'ac3'],
    ['gsm.wav', 'wav'],
    ['no-samples.wav', 'wav'],
    ['clip.ts', 'mpegts'],
    ['camcorder.mts', 'mpegts'],
    ['dvd.mpg', 'mpegps'],
    ['layers.psd', 'psd'],
    ['image.jp2', 'jp2'],
    ['image.jxl', 'jxl'],
    ['heic-orientation-6.heic', 'heic'],
    ['cmyk.jpg', 'jpeg'],
    ['text-named.mp4', null],
    ['empty.mp4', null],
    ['camcorder-h264-ac3.m2ts', 'mpegts'],
    ['mpeg2-program-stream.mpg', 'mpegps'],
  ];
  it.each(cases)('%s → %s', async (name, expected) => {
    expect(await detectFormat(readFileSync(fixture(name)).subarray(0, SNIFF_BYTES))).toBe(expected);
  });
});

describe('kindOfFormat', () => {
  const cases: Array<[MediaFormat, MediaKind]> = [
    ['jpeg', 'image'], ['png', 'image'], ['webp', 'image'], ['gif', 'image'], ['bmp', 'image'], ['tiff', 'image'], ['avif', 'image'], ['heic', 'image'], ['svg', 'image'],
    ['psd', 'image'], ['jp2', 'image'], ['jxl', 'image'],
    ['mp4', 'video'], ['mov', 'video'], ['mkv', 'video'], ['webm', 'video'], ['avi', 'video'], ['3gp', 'video'],
    ['mpegts', 'video'], ['mpegps', 'video'], ['flv', 'video'], ['asf', 'video'], ['mxf', 'video'], ['m4v', 'video'],
    ['m4a', 'audio'], ['mp3', 'audio'], ['wav', 'audio'], ['flac', 'audio'], ['ogg', 'audio'], ['aac', 'audio'],
    ['aiff', 'audio'], ['rf64', 'audio'], ['wavpack', 'audio'], ['ac3', 'audio'], ['amr', 'audio'],
  ];
  it.each(cases)('%s → %s', (format, kind) => {
    expect(kindOfFormat(format)).toBe(kind);
  });

  it('covers every format with extensions', () => {
    expect(Object.keys(FORMAT_EXTENSIONS).sort()).toEqual(cases.map(([f]) => f).sort());
  });
});

describe('extensions', () => {
  const cases: Array<[string, MediaFormat, boolean]> = [
    ['jpg', 'jpeg', true],
    ['JPG', 'jpeg', true],
    ['jpeg', 'jpeg', true],
    ['jfif', 'jpeg', true],
    ['png', 'jpeg', false],
    ['jpg', 'png', false],
    ['mp4', 'mp4', true],
    ['m4v', 'mp4', true],
    ['mov', 'mp4', false],
    ['mp4', 'mov', false],
    ['qt', 'mov', true],
    ['m4a', 'm4a', true],
    ['mp4', 'm4a', true], // audio-only MP4 is fine under .mp4
    ['m4a', 'mp4', false],
    ['wave', 'wav', true],
    ['opus', 'ogg', true],
    ['heif', 'heic', true],
    ['tif', 'tiff', true],
    ['', 'jpeg', false],
  ];
  it.each(cases)('.%s for %s → %s', (ext, format, expected) => {
    expect(extensionMatchesFormat(ext, format)).toBe(expected);
  });

  it('the first extension is the one a fixed copy gets', () => {
    expect(Object.fromEntries(Object.entries(FORMAT_EXTENSIONS).map(([f, exts]) => [f, exts[0]]))).toEqual({
      jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', bmp: 'bmp', tiff: 'tif', avif: 'avif', heic: 'heic', svg: 'svg',
      psd: 'psd', jp2: 'jp2', jxl: 'jxl',
      mp4: 'mp4', mov: 'mov', m4a: 'm4a', '3gp': '3gp', mkv: 'mkv', webm: 'webm', avi: 'avi',
      mpegts: 'ts', mpegps: 'mpg', flv: 'flv', asf: 'wmv', mxf: 'mxf', m4v: 'm4v',
      mp3: 'mp3', wav: 'wav', flac: 'flac', ogg: 'ogg', aac: 'aac',
      aiff: 'aiff', rf64: 'wav', wavpack: 'wv', ac3: 'ac3', amr: 'amr',
    });
  });

  it('MEDIA_EXTENSIONS is the set of every named extension', () => {
    for (const ext of ['jpg', 'jpe', 'dib', 'qt', '3g2', 'oga', 'opus', 'wave', 'm4v', 'ts', 'mts', 'm2ts', 'vob', 'aif', 'wv', 'psd', 'jp2', 'jxl']) expect(MEDIA_EXTENSIONS.has(ext)).toBe(true);
    for (const ext of ['txt', 'json', 'JPG', 'heics', '']) expect(MEDIA_EXTENSIONS.has(ext)).toBe(false);
    expect(MEDIA_EXTENSIONS.size).toBe(new Set(Object.values(FORMAT_EXTENSIONS).flat()).size);
  });
});
