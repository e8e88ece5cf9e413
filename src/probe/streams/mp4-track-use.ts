/**
 * Pure: which tracks of an MP4/MOV index (moov contents) cannot give their samples to a decoder, read from the boxes:
 * no sample description, samples in another file (a reference movie's data reference), or no samples at all.
 */
import { childBoxes, type Box } from '../in-process/mp4-boxes.js';
import type { UndecodableReason } from '../media-info.js';

export type TrackProblem = Exclude<UndecodableReason, 'no-decoder'>;

/** Per trak, in file order (ffmpeg numbers streams in it): what keeps it from decoding, or null (fine, or not read). */
export function mp4TrackProblems(moov: Uint8Array): Array<TrackProblem | null> {
  let top: Box[];
  try {
    top = childBoxes(moov, 0, moov.length);
  } catch {
    return [];
  }
  // fragments carry the samples: an empty table in the index says nothing
  const fragmented = top.some((b) => b.type === 'mvex');
  return top.filter((b) => b.type === 'trak').map((trak) => {
    try {
      return trackProblem(moov, trak, fragmented);
    } catch {
      return null; // an index this reading does not follow: the readers judge it
    }
  });
}

function trackProblem(bytes: Uint8Array, trak: Box, fragmented: boolean): TrackProblem | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minf = inside(bytes, inside(bytes, childBoxes(bytes, trak.start, trak.end), 'mdia'), 'minf');
  const stbl = inside(bytes, minf, 'stbl');
  const stsd = stbl.find((b) => b.type === 'stsd');
  const entry = stsd && view.getUint32(stsd.start + 4) > 0 ? childBoxes(bytes, stsd.start + 8, stsd.end)[0] : undefined;
  if (!entry || entry.end - entry.start < 8) return 'no-sample-description';
  // a sample entry names its data reference (1-based) after six reserved bytes
  if (!inThisFile(bytes, view, minf, view.getUint16(entry.start + 6))) return 'external';
  if (!fragmented && sampleCount(view, stbl) === 0) return 'no-samples';
  return null;
}

/** dinf/dref's entry `index` has flag 1 ("the data is in this file"); a reference movie's entries name other files. */
function inThisFile(bytes: Uint8Array, view: DataView, minf: Box[], index: number): boolean {
  const dinf = minf.find((b) => b.type === 'dinf');
  const dref = dinf ? childBoxes(bytes, dinf.start, dinf.end).find((b) => b.type === 'dref') : undefined;
  if (!dref) return true;
  const entries = childBoxes(bytes, dref.start + 8, dref.end);
  const entry = entries[Math.max(0, index - 1)] ?? entries[0];
  return entry ? (view.getUint32(entry.start) & 1) === 1 : true;
}

/** stsz (or the compact stz2) sample count; null when neither is there. */
function sampleCount(view: DataView, stbl: Box[]): number | null {
  const stsz = stbl.find((b) => b.type === 'stsz');
  if (stsz) return view.getUint32(stsz.start + 8);
  const stz2 = stbl.find((b) => b.type === 'stz2');
  return stz2 ? view.getUint32(stz2.start + 8) : null;
}

function inside(bytes: Uint8Array, boxes: Box[], type: string): Box[] {
  const box = boxes.find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} box`);
  return childBoxes(bytes, box.start, box.end);
}
