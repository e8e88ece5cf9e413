/** Pure: each track's sample tables from an MP4/MOV index (moov contents): where every sample's bytes lie, and when it plays. */
import { childBoxes, type Box } from '../in-process/mp4-boxes.js';

export interface TrackTables {
  handler: string;
  timescale: number;
  /** mdhd duration as stored (2³²−1 or 2⁶⁴−1 when the writer did not know it). */
  mediaDuration: number;
  mediaDurationAllOnes: boolean;
  /** The first sample entry's code ('avc1', 'mp4a'…) and, for H.264/H.265, the size of its NAL length fields. */
  sampleEntry: string | null;
  nalLengthSize: number | null;
  /** The samples' bytes are in this file (dref self-contained), not in files a reference movie names. */
  selfContained: boolean;
  /** Per sample, in decoding order: byte offset, size and duration in ticks. */
  offsets: Float64Array;
  sizes: Float64Array;
  deltas: Float64Array;
}

export interface MovieTables {
  timescale: number;
  duration: number;
  durationAllOnes: boolean;
  fragmented: boolean;
  tracks: TrackTables[];
}

/** Samples a file may list before the tables are not expanded (2 h of 60 fps video with 48 kHz AAC is under 1 M). */
const MAX_SAMPLES = 4_000_000;

/** Throws on a malformed index (a box overrunning its parent, a table shorter than its count). */
export function readMovieTables(moov: Uint8Array): MovieTables {
  const view = dataView(moov);
  const top = childBoxes(moov, 0, moov.length);
  const mvhd = need(top, 'mvhd');
  const version = moov[mvhd.start]!;
  const timescale = view.getUint32(mvhd.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(view.getBigUint64(mvhd.start + 24)) : view.getUint32(mvhd.start + 16);
  const durationAllOnes = version === 1 ? view.getBigUint64(mvhd.start + 24) === 0xffffffffffffffffn : duration === 0xffffffff;
  return {
    timescale,
    duration,
    durationAllOnes,
    fragmented: top.some((b) => b.type === 'mvex'),
    tracks: top.filter((b) => b.type === 'trak').map((trak) => readTrack(moov, view, trak)),
  };
}

function readTrack(bytes: Uint8Array, view: DataView, trak: Box): TrackTables {
  const mdiaBox = need(childBoxes(bytes, trak.start, trak.end), 'mdia');
  const mdia = childBoxes(bytes, mdiaBox.start, mdiaBox.end);
  const mdhd = need(mdia, 'mdhd');
  const version = bytes[mdhd.start]!;
  const handler = fourcc(bytes, need(mdia, 'hdlr').start + 8);
  const minfBox = need(mdia, 'minf');
  const minf = childBoxes(bytes, minfBox.start, minfBox.end);
  const stblBox = need(minf, 'stbl');
  const stbl = childBoxes(bytes, stblBox.start, stblBox.end);
  const mediaDuration = version === 1 ? Number(view.getBigUint64(mdhd.start + 24)) : view.getUint32(mdhd.start + 16);
  const mediaDurationAllOnes = version === 1 ? view.getBigUint64(mdhd.start + 24) === 0xffffffffffffffffn : mediaDuration === 0xffffffff;
  const entry = firstSampleEntry(bytes, stbl);
  const sizes = sampleSizes(view, stbl);
  const chunkOffsets = readChunkOffsets(view, stbl);
  return {
    handler,
    timescale: view.getUint32(mdhd.start + (version === 1 ? 20 : 12)),
    mediaDuration,
    mediaDurationAllOnes,
    ...entry,
    selfContained: selfContained(bytes, view, minf),
    offsets: sampleOffsets(view, stbl, chunkOffsets, sizes),
    sizes,
    deltas: sampleDeltas(view, stbl, sizes.length),
  };
}

function sampleSizes(view: DataView, stbl: Box[]): Float64Array {
  const stsz = stbl.find((b) => b.type === 'stsz');
  if (!stsz) return new Float64Array(0);
  const fixed = view.getUint32(stsz.start + 4);
  const count = view.getUint32(stsz.start + 8);
  if (count > MAX_SAMPLES) throw new Error(`stsz lists ${count} samples`);
  if (fixed !== 0) return new Float64Array(count).fill(fixed);
  if (stsz.start + 12 + count * 4 > stsz.end) throw new Error('stsz overruns its box');
  const sizes = new Float64Array(count);
  for (let i = 0; i < count; i++) sizes[i] = view.getUint32(stsz.start + 12 + i * 4);
  return sizes;
}

function readChunkOffsets(view: DataView, stbl: Box[]): Float64Array {
  const stco = stbl.find((b) => b.type === 'stco');
  const co64 = stbl.find((b) => b.type === 'co64');
  const box = stco ?? co64;
  if (!box) return new Float64Array(0);
  const count = view.getUint32(box.start + 4);
  const width = stco ? 4 : 8;
  if (box.start + 8 + count * width > box.end) throw new Error(`${stco ? 'stco' : 'co64'} overruns its box`);
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) offsets[i] = stco ? view.getUint32(box.start + 8 + i * 4) : Number(view.getBigUint64(box.start + 8 + i * 8));
  return offsets;
}

/** Each sample's offset: chunks hold runs of samples (stsc), back to back from the chunk's offset. */
function sampleOffsets(view: DataView, stbl: Box[], chunks: Float64Array, sizes: Float64Array): Float64Array {
  const out = new Float64Array(sizes.length).fill(Number.NaN);
  const stsc = stbl.find((b) => b.type === 'stsc');
  if (!stsc) return out;
  const entries = view.getUint32(stsc.start + 4);
  if (stsc.start + 8 + entries * 12 > stsc.end) throw new Error('stsc overruns its box');
  let sample = 0;
  for (let e = 0; e < entries && sample < sizes.length; e++) {
    const first = view.getUint32(stsc.start + 8 + e * 12) - 1;
    const perChunk = view.getUint32(stsc.start + 12 + e * 12);
    const last = e + 1 < entries ? view.getUint32(stsc.start + 8 + (e + 1) * 12) - 1 : chunks.length;
    for (let chunk = first; chunk < Math.min(last, chunks.length) && sample < sizes.length; chunk++) {
      let at = chunks[chunk]!;
      for (let i = 0; i < perChunk && sample < sizes.length; i++) {
        out[sample] = at;
        at += sizes[sample]!;
        sample++;
      }
    }
  }
  return out;
}

function sampleDeltas(view: DataView, stbl: Box[], samples: number): Float64Array {
  const out = new Float64Array(samples);
  const stts = stbl.find((b) => b.type === 'stts');
  if (!stts) return out;
  const entries = view.getUint32(stts.start + 4);
  if (stts.start + 8 + entries * 8 > stts.end) throw new Error('stts overruns its box');
  let sample = 0;
  for (let e = 0; e < entries && sample < samples; e++) {
    const count = view.getUint32(stts.start + 8 + e * 8);
    const delta = view.getUint32(stts.start + 12 + e * 8);
    for (let i = 0; i < count && sample < samples; i++) out[sample++] = delta;
  }
  return out;
}

function firstSampleEntry(bytes: Uint8Array, stbl: Box[]): { sampleEntry: string | null; nalLengthSize: number | null } {
  const stsd = stbl.find((b) => b.type === 'stsd');
  if (!stsd) return { sampleEntry: null, nalLengthSize: null };
  const entry = childBoxes(bytes, stsd.start + 8, stsd.end)[0];
  if (!entry) return { sampleEntry: null, nalLengthSize: null };
  let nalLengthSize: number | null = null;
  if (['avc1', 'avc3', 'hvc1', 'hev1'].includes(entry.type) && entry.start + 78 <= entry.end) {
    // after the 78-byte visual sample entry: avcC stores the length size at byte 4, hvcC at byte 21 (low two bits, minus one)
    const config = childBoxes(bytes, entry.start + 78, entry.end).find((b) => b.type === 'avcC' || b.type === 'hvcC');
    const at = config ? config.start + (config.type === 'avcC' ? 4 : 21) : -1;
    if (config && at < config.end) nalLengthSize = (bytes[at]! & 3) + 1;
  }
  return { sampleEntry: entry.type, nalLengthSize };
}

/** dinf/dref's first entry has flag 1 ("in this file"); a reference movie's entries name other files instead. */
function selfContained(bytes: Uint8Array, view: DataView, minf: Box[]): boolean {
  const dinf = minf.find((b) => b.type === 'dinf');
  const dref = dinf ? childBoxes(bytes, dinf.start, dinf.end).find((b) => b.type === 'dref') : undefined;
  if (!dref || view.getUint32(dref.start + 4) === 0) return true;
  const entry = childBoxes(bytes, dref.start + 8, dref.end)[0];
  return entry ? (view.getUint32(entry.start) & 1) === 1 : true;
}

function need(boxes: Box[], type: string): Box {
  const box = boxes.find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} box`);
  return box;
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
