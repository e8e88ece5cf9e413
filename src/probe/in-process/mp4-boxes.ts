/**
 * Pure: the parts of an MP4/MOV index (the moov box) that ffprobe's answer depends on and a demuxing toolkit does not
 * show: every track (timecode and data tracks too), the movie's own duration, edit lists, sample durations, the
 * display matrix, and the boxes that change what ffprobe prints (colr, pasp, cover art, Dolby Vision configuration).
 */

export interface Mp4Edit {
  /** In the movie's timescale. */
  segmentDuration: number;
  /** -1 for an empty edit (a delay before the track starts). */
  mediaTime: number;
}

export interface Mp4Track {
  /** tkhd track_ID: how the toolkit names the track. */
  trackId: number;
  /** hdlr handler type: 'vide', 'soun', 'tmcd', 'text', … */
  handler: string;
  timescale: number;
  /** mdhd duration in the track's timescale. */
  mediaDuration: number;
  edits: Mp4Edit[] | null;
  /** stts entries: `count` samples of `delta` ticks each. */
  sampleDeltas: Array<{ count: number; delta: number }>;
  /** tkhd matrix a b u c d v x y w as stored (16.16 and 2.30 fixed point). */
  matrix: number[];
  /** The first sample entry's four-character code ('avc1', 'mp4a', 'hvc1', …). */
  sampleEntry: string | null;
  /** The decoder configuration of an H.264 (avcC) or H.265 (hvcC) sample entry. */
  codecConfig: Uint8Array | null;
  /** Boxes inside the visual sample entry that ffprobe reads: 'colr', 'pasp', 'dvcC', 'dvvC', 'clap', … */
  entryBoxes: string[];
  /** pasp: horizontal and vertical spacing. */
  pixelAspect: { h: number; v: number } | null;
  /** colr of type nclx (with a range flag) or nclc (without): the container's colour codes. ICC profiles are not codes. */
  colour: ContainerColour | null;
}

export interface ContainerColour {
  primaries: number;
  transfer: number;
  matrix: number;
  /** nclx only; null for QuickTime's nclc. */
  fullRange: boolean | null;
}

export interface Mp4Index {
  timescale: number;
  duration: number;
  /** mvhd matrix, as stored. */
  matrix: number[];
  /** Has an mvex box: fragments carry the samples, the index alone does not give the length. */
  fragmented: boolean;
  /** udta/meta/ilst holds a covr item (ffprobe shows it as an attached picture stream). */
  coverArt: boolean;
  tracks: Mp4Track[];
}

export interface Box {
  type: string;
  start: number;
  end: number;
}

/** The boxes directly inside [start, end); stops at the first malformed header (the caller checks what it needs). */
export function childBoxes(bytes: Uint8Array, start: number, end: number): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new Error(`box at ${at} overruns its parent`);
    boxes.push({ type: fourcc(bytes, at + 4), start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

/**
 * A top-level box header from its first 16 bytes; `remaining` is what the file holds from the box on. `end` may lie past
 * `remaining` (a cut file): the caller decides. Null when the header is malformed.
 */
export function readBoxHeader(bytes: Uint8Array, remaining: number): Box | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size = view.getUint32(0);
  let header = 8;
  if (size === 1) {
    if (bytes.length < 16) return null;
    size = Number(view.getBigUint64(8));
    header = 16;
  } else if (size === 0) size = remaining;
  return size < header ? null : { type: fourcc(bytes, 4), start: header, end: size };
}

/** Reads a moov box's contents (without its header). Throws on a malformed index: the caller falls back to ffprobe. */
export function parseMoov(bytes: Uint8Array): Mp4Index {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = childBoxes(bytes, 0, bytes.length);
  const mvhd = top.find((b) => b.type === 'mvhd');
  if (!mvhd) throw new Error('moov has no mvhd');
  const version = bytes[mvhd.start]!;
  const timescale = view.getUint32(mvhd.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(view.getBigUint64(mvhd.start + 24)) : view.getUint32(mvhd.start + 16);
  // version, flags, two dates, timescale and duration; then rate (4), volume (2) and 10 reserved bytes
  const matrixAt = mvhd.start + 4 + (version === 1 ? 28 : 16) + 16;
  return {
    timescale,
    duration,
    matrix: readMatrix(view, matrixAt),
    fragmented: top.some((b) => b.type === 'mvex'),
    coverArt: hasCoverArt(bytes, top),
    tracks: top.filter((b) => b.type === 'trak').map((trak) => parseTrak(bytes, view, trak)),
  };
}

function parseTrak(bytes: Uint8Array, view: DataView, trak: Box): Mp4Track {
  const boxes = childBoxes(bytes, trak.start, trak.end);
  const tkhd = required(boxes, 'tkhd');
  const tkhdVersion = bytes[tkhd.start]!;
  // version, flags, dates, track id, reserved and duration; then 8 reserved bytes, layer, group, volume, reserved
  const matrix = readMatrix(view, tkhd.start + 4 + (tkhdVersion === 1 ? 32 : 20) + 16);
  const mdia = childBoxes(bytes, required(boxes, 'mdia').start, required(boxes, 'mdia').end);
  const mdhd = required(mdia, 'mdhd');
  const mdhdVersion = bytes[mdhd.start]!;
  const hdlr = required(mdia, 'hdlr');
  const minf = childBoxes(bytes, required(mdia, 'minf').start, required(mdia, 'minf').end);
  const stbl = childBoxes(bytes, required(minf, 'stbl').start, required(minf, 'stbl').end);
  const edts = boxes.find((b) => b.type === 'edts');
  const elst = edts ? childBoxes(bytes, edts.start, edts.end).find((b) => b.type === 'elst') : undefined;
  const handler = fourcc(bytes, hdlr.start + 8);
  return {
    // after version, flags and the two dates (4 bytes each, 8 in version 1)
    trackId: view.getUint32(tkhd.start + (tkhdVersion === 1 ? 20 : 12)),
    handler,
    timescale: view.getUint32(mdhd.start + (mdhdVersion === 1 ? 20 : 12)),
    mediaDuration: mdhdVersion === 1 ? Number(view.getBigUint64(mdhd.start + 24)) : view.getUint32(mdhd.start + 16),
    edits: elst ? parseEdits(view, bytes, elst) : null,
    sampleDeltas: parseStts(view, required(stbl, 'stts')),
    matrix,
    ...parseSampleEntry(bytes, view, required(stbl, 'stsd'), handler),
  };
}

function parseEdits(view: DataView, bytes: Uint8Array, elst: Box): Mp4Edit[] {
  const version = bytes[elst.start]!;
  const count = view.getUint32(elst.start + 4);
  const edits: Mp4Edit[] = [];
  let at = elst.start + 8;
  for (let i = 0; i < count; i++) {
    if (version === 1) {
      edits.push({ segmentDuration: Number(view.getBigUint64(at)), mediaTime: Number(view.getBigInt64(at + 8)) });
      at += 20;
    } else {
      edits.push({ segmentDuration: view.getUint32(at), mediaTime: view.getInt32(at + 4) });
      at += 12;
    }
  }
  return edits;
}

function parseStts(view: DataView, stts: Box): Array<{ count: number; delta: number }> {
  const entries = view.getUint32(stts.start + 4);
  if (stts.start + 8 + entries * 8 > stts.end) throw new Error('stts overruns its box');
  return Array.from({ length: entries }, (_, i) => ({ count: view.getUint32(stts.start + 8 + i * 8), delta: view.getUint32(stts.start + 12 + i * 8) }));
}

/** The first sample entry: its code, and for video the boxes after the 78-byte visual sample entry header. */
function parseSampleEntry(bytes: Uint8Array, view: DataView, stsd: Box, handler: string): Pick<Mp4Track, 'sampleEntry' | 'codecConfig' | 'entryBoxes' | 'pixelAspect' | 'colour'> {
  const entries = childBoxes(bytes, stsd.start + 8, stsd.end);
  const entry = entries[0];
  const none = { codecConfig: null, entryBoxes: [], pixelAspect: null, colour: null };
  if (!entry) return { sampleEntry: null, ...none };
  if (handler !== 'vide') return { sampleEntry: entry.type, ...none };
  const inner = childBoxes(bytes, entry.start + 78, entry.end);
  const config = inner.find((b) => b.type === 'avcC' || b.type === 'hvcC');
  const pasp = inner.find((b) => b.type === 'pasp');
  return {
    sampleEntry: entry.type,
    codecConfig: config ? bytes.subarray(config.start, config.end) : null,
    entryBoxes: inner.map((b) => b.type),
    pixelAspect: pasp && pasp.end - pasp.start >= 8 ? { h: view.getUint32(pasp.start), v: view.getUint32(pasp.start + 4) } : null,
    colour: colourCodes(bytes, view, inner.filter((b) => b.type === 'colr')),
  };
}

/** The colour codes of an nclx or nclc colr box (ISO 14496-12 12.1.5, QuickTime); ICC profiles ('prof', 'rICC') carry none. */
function colourCodes(bytes: Uint8Array, view: DataView, boxes: Box[]): ContainerColour | null {
  for (const box of boxes) {
    const type = box.end - box.start >= 10 ? fourcc(bytes, box.start) : '';
    if (type !== 'nclx' && type !== 'nclc') continue;
    const codes = { primaries: view.getUint16(box.start + 4), transfer: view.getUint16(box.start + 6), matrix: view.getUint16(box.start + 8) };
    if (type === 'nclc') return { ...codes, fullRange: null };
    if (box.end - box.start < 11) throw new Error('an nclx colr box without its range flag');
    return { ...codes, fullRange: (bytes[box.start + 10]! & 0x80) !== 0 };
  }
  return null;
}

function hasCoverArt(bytes: Uint8Array, top: Box[]): boolean {
  const udta = top.find((b) => b.type === 'udta');
  if (!udta) return false;
  for (const meta of childBoxes(bytes, udta.start, udta.end).filter((b) => b.type === 'meta')) {
    // an ISO meta box is a full box (4 bytes of version and flags); a QuickTime one is not
    const offset = fourcc(bytes, meta.start + 4) === 'hdlr' ? 0 : 4;
    const ilst = childBoxes(bytes, meta.start + offset, meta.end).find((b) => b.type === 'ilst');
    if (ilst && childBoxes(bytes, ilst.start, ilst.end).some((b) => b.type === 'covr')) return true;
  }
  return false;
}

function readMatrix(view: DataView, at: number): number[] {
  return Array.from({ length: 9 }, (_, i) => view.getInt32(at + i * 4));
}

function required(boxes: Box[], type: string): Box {
  const box = boxes.find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} box`);
  return box;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
