/** Reads an MP4/MOV/M4A/3GP in-process: our own reading of its index, the toolkit for the audio track's parameters. */
import { closeSync, openSync } from 'node:fs';
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { fallBack } from './fallback.js';
import { parseMoov, readBoxHeader } from './mp4-boxes.js';
import { mp4MediaInfo, type AudioTrackFacts } from './mp4-info.js';
import { mp4TrackProblems } from '../streams/mp4-track-use.js';
import { audioTrackFacts, mediabunny, readBytes } from './toolkit.js';

/** An index larger than this is left to ffprobe rather than read into memory at once. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export async function readMp4(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<VideoInfo | AudioInfo> {
  const moov = readMoov(facts.path, facts.sizeBytes);
  const index = parseMoov(moov);
  // a track that cannot decode is skipped by the ffprobe path's choice of streams, and named there
  const problems = mp4TrackProblems(moov);
  const broken = index.tracks.findIndex((t, i) => (t.handler === 'vide' || t.handler === 'soun') && problems[i]);
  if (broken !== -1) fallBack('trait', `track ${broken + 1} cannot be decoded (${problems[broken]})`);
  // asked before the toolkit loads, so the first file's ffmpeg -decoders runs while it does
  const decoding = index.tracks.some((t) => t.handler === 'vide') ? decoders() : Promise.resolve(null);
  const first = index.tracks.find((t) => t.handler === 'soun');
  const audio = first ? await audioTrack(facts.path, first.trackId) : null;
  return mp4MediaInfo(facts, index, audio, await decoding);
}

/** The moov box's contents, found by walking the top-level box headers; a box that runs past the end means a cut file. */
function readMoov(path: string, size: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    let moov: Uint8Array | null = null;
    while (at + 8 <= size) {
      const header = readBytes(fd, at, 16);
      const box = readBoxHeader(header, size - at);
      if (!box) fallBack('parse-error', `a malformed box header at byte ${at}`);
      if (box.type === 'moov') {
        if (box.end - box.start > MAX_MOOV_BYTES) fallBack('trait', 'an index larger than 64 MB');
        moov = readBytes(fd, at + box.start, box.end - box.start);
      }
      at += box.end;
    }
    if (at !== size) fallBack('maybe-truncated', at > size ? `the last box runs ${at - size} bytes past the end of the file` : `${size - at} stray bytes after the last box`);
    return moov ?? fallBack('maybe-truncated', 'no moov box (the index): never finished writing, or cut');
  } finally {
    closeSync(fd);
  }
}

async function audioTrack(path: string, trackId: number): Promise<AudioTrackFacts | null> {
  const { Input, FilePathSource, MP4, QTFF } = await mediabunny();
  const input = new Input({ source: new FilePathSource(path), formats: [MP4, QTFF] });
  try {
    return await audioTrackFacts(input, trackId);
  } finally {
    input.dispose();
  }
}
