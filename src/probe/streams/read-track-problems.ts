/** The tracks of an MP4/MOV file that cannot decode (mp4-track-use.ts), read from its index: one walk of the top-level boxes and one read of moov. */
import { closeSync, openSync } from 'node:fs';
import type { MediaFormat } from '../media-info.js';
import { fileSource } from '../damage/assess-damage.js';
import { findMoov } from '../damage/mp4-damage.js';
import { mp4TrackProblems, type TrackProblem } from './mp4-track-use.js';

const MP4_FAMILY: ReadonlySet<MediaFormat> = new Set(['mp4', 'mov', 'm4a', '3gp']);

/** Per stream index; empty for other formats, and when the file or its index cannot be read (the readers judge those). */
export function readTrackProblems(path: string, format: MediaFormat): Array<TrackProblem | null> {
  if (!MP4_FAMILY.has(format)) return [];
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const found = findMoov(fileSource(fd));
    return found.kind === 'moov' ? mp4TrackProblems(found.moov) : [];
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}
