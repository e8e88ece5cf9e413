/** Pure: an MP4/MOV whose index promises samples the file does not hold, or states impossible or wrong durations. */
import { parseMoov, readBoxHeader } from '../in-process/mp4-boxes.js';
import { count, beyondTolerance, seconds, type ByteSource, type Damage } from './damage.js';
import { readMovieTables, type MovieTables, type TrackTables } from './mp4-tables.js';

/** An index larger than this is not read (the in-process reader leaves it to ffprobe too): no verdict. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Video samples whose first NAL length is checked against the sample: spread over the track. */
const NAL_CHECKS = 8;

export function assessMp4(source: ByteSource): Damage | null {
  const found = findMoov(source);
  if (found.kind === 'cut') return truncatedIndex(found.detail);
  if (found.kind === 'none') return null;
  let tables: MovieTables;
  try {
    tables = readMovieTables(found.moov);
  } catch {
    return null; // an index this reading does not follow: the probe's readers decide
  }
  if (tables.fragmented) return null; // fragments carry the samples, and 2³²−1 is their documented "unknown"
  const tracks = tables.tracks.filter((t) => t.selfContained && t.sizes.length > 0 && (t.handler === 'vide' || t.handler === 'soun'));
  const main = tracks.find((t) => t.handler === 'vide') ?? tracks.find((t) => t.handler === 'soun');
  if (!main) return null;
  const movieSeconds = tables.timescale > 0 && !tables.durationAllOnes ? tables.duration / tables.timescale : null;

  const cut = tracks.map((t) => ({ track: t, missing: firstMissing(t, source.size) }));
  const cutTracks = cut.filter((c) => c.missing < c.track.sizes.length);
  if (cutTracks.length > 0) {
    const decodes = Math.min(...cut.map((c) => secondsBefore(c.track, c.missing)));
    const mainCut = cut.find((c) => c.track === main)!;
    const present = mainCut.missing;
    const furthest = Math.max(...tracks.map((t) => lastByte(t)));
    const headerSays = movieSeconds ?? tableSeconds(main);
    const what = main.handler === 'vide' ? 'video frames' : 'audio packets';
    return {
      kind: 'truncated', headerSays, decodes, fraction: present / main.sizes.length,
      detail: `its index points ${count(furthest - source.size)} bytes past the end of the file, and only ${count(present)} of its ${count(main.sizes.length)} ${what} are in it`,
    };
  }

  const allOnes = tables.durationAllOnes ? 'movie header (mvhd)' : tracks.some((t) => t.mediaDurationAllOnes) ? 'track header (mdhd)' : null;
  if (allOnes || !(tables.timescale > 0)) {
    const decodes = Math.max(...tracks.map(tableSeconds));
    const detail = allOnes ? `its ${allOnes} says a duration of 2³²−1 ticks (no real length), while its samples last ${seconds(decodes)}` : 'its movie header (mvhd) has a timescale of 0';
    return { kind: 'impossible', headerSays: null, decodes, fraction: 1, detail };
  }

  const misplaced = misplacedFrames(source, main);
  if (misplaced) return { kind: 'header_mismatch', headerSays: movieSeconds, decodes: null, fraction: null, detail: misplaced };

  // every track counts here (a chapter or timecode track may be the longest), though only video and sound decode
  const index = parsedIndex(found.moov);
  const longest = longestTrack(index, tables, tables.tracks.filter((t) => t.selfContained));
  if (movieSeconds !== null && longest !== null && movieSeconds > longest && beyondTolerance(movieSeconds, longest)) {
    const decodes = longestTrack(index, tables, tracks) ?? longest;
    return { kind: 'header_mismatch', headerSays: movieSeconds, decodes, fraction: decodes / movieSeconds, detail: `its movie header (mvhd) says ${seconds(movieSeconds)} but its samples last ${seconds(longest)}` };
  }
  return null;
}

export type FoundMoov = { kind: 'moov'; moov: Uint8Array } | { kind: 'cut'; detail: string } | { kind: 'none' };

/** Walks the top-level box headers to the index. */
export function findMoov(source: ByteSource): FoundMoov {
  let at = 0;
  let moov: Uint8Array | null = null;
  let media = false;
  while (at + 8 <= source.size) {
    const box = readBoxHeader(source.read(at, 16), source.size - at);
    if (!box) return moov ? { kind: 'moov', moov } : { kind: 'none' };
    if (box.type === 'moov') {
      if (at + box.end > source.size) return { kind: 'cut', detail: `its index (moov box) runs ${count(at + box.end - source.size)} bytes past the end of the file` };
      if (box.end - box.start > MAX_MOOV_BYTES) return { kind: 'none' };
      moov = source.read(at + box.start, box.end - box.start);
    }
    if (at + box.end > source.size && !moov) return { kind: 'cut', detail: `its ${/^[a-z0-9 ]{4}$/i.test(box.type) ? box.type : 'last'} box runs ${count(at + box.end - source.size)} bytes past the end of the file and no index (moov box) comes before it` };
    if (box.type === 'mdat') media = true;
    at += box.end;
  }
  if (!moov && media) return { kind: 'cut', detail: 'it has media data but no index (moov box): it was cut before the index, or never finished writing' };
  return moov ? { kind: 'moov', moov } : { kind: 'none' };
}

function truncatedIndex(detail: string): Damage {
  return { kind: 'truncated', headerSays: null, decodes: null, fraction: null, detail };
}

/** Index of the first sample (decoding order) whose bytes are not all in the file; decoding stops there. */
function firstMissing(track: TrackTables, size: number): number {
  for (let i = 0; i < track.sizes.length; i++) {
    const offset = track.offsets[i]!;
    if (!(offset + track.sizes[i]! <= size)) return i;
  }
  return track.sizes.length;
}

function lastByte(track: TrackTables): number {
  let end = 0;
  for (let i = 0; i < track.sizes.length; i++) end = Math.max(end, (track.offsets[i] ?? 0) + track.sizes[i]!);
  return Number.isFinite(end) ? end : 0;
}

function secondsBefore(track: TrackTables, samples: number): number {
  if (!(track.timescale > 0)) return 0;
  let ticks = 0;
  for (let i = 0; i < samples; i++) ticks += track.deltas[i]!;
  return ticks / track.timescale;
}

function tableSeconds(track: TrackTables): number {
  return secondsBefore(track, track.sizes.length);
}

/**
 * H.264/H.265 samples start with a NAL unit's length: a handful of samples whose first length does not fit the sample
 * means the chunk offsets point elsewhere (a box inserted before the media without the offsets moved).
 */
function misplacedFrames(source: ByteSource, track: TrackTables): string | null {
  const lengthSize = track.nalLengthSize;
  if (track.handler !== 'vide' || lengthSize === null) return null;
  const n = track.sizes.length;
  const picks = [...new Set(Array.from({ length: Math.min(NAL_CHECKS, n) }, (_, i) => Math.floor((i * n) / Math.min(NAL_CHECKS, n))))];
  let wrong = 0;
  for (const i of picks) {
    const size = track.sizes[i]!;
    if (size < lengthSize + 1) continue;
    const bytes = source.read(track.offsets[i]!, lengthSize + 1);
    let length = 0;
    for (let b = 0; b < lengthSize; b++) length = length * 256 + bytes[b]!;
    const forbidden = (bytes[lengthSize]! & 0x80) !== 0;
    if (length === 0 || length + lengthSize > size || forbidden) wrong++;
  }
  if (wrong * 2 <= picks.length) return null;
  return `its chunk offsets point at bytes that are not its video frames (${wrong} of ${picks.length} frames checked do not start with a frame's length)`;
}

/** The movie index as the in-process reader parses it; null when it does not parse (the tables read above still judge). */
function parsedIndex(moov: Uint8Array): ReturnType<typeof parseMoov> | null {
  try {
    return parseMoov(moov);
  } catch {
    return null;
  }
}

/** The longest video or audio track as presented (edit lists applied) or as its samples last, whichever is longer. */
function longestTrack(index: ReturnType<typeof parseMoov> | null, tables: MovieTables, tracks: TrackTables[]): number | null {
  if (!index) return null;
  let longest = 0;
  tables.tracks.forEach((track, i) => {
    if (!tracks.includes(track)) return;
    const edits = index.tracks[i]?.edits;
    const edited = edits && tables.timescale > 0 ? edits.reduce((sum, e) => sum + e.segmentDuration, 0) / tables.timescale : 0;
    longest = Math.max(longest, edited, tableSeconds(track));
  });
  return longest;
}
