import { closeSync, openSync, readSync } from 'node:fs';
/** Reads a Matroska/WebM in-process: our own reading of its elements, the toolkit for the audio track and the first VP9 frame. */
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { readMatroskaIndex } from './matroska-index.js';
import { matroskaMediaInfo } from './matroska-info.js';
import { audioTrackFacts, mediabunny } from './toolkit.js';
import { parseVp9KeyFrame, type Vp9Header } from './vp9-header.js';
import { blockTimes } from './matroska-blocks.js';

/** Blocks whose times are read to check DefaultDuration (4 s at 30 fps): the headers only, through 64 KB windows. */
const CHECKED_BLOCKS = 120;
const WINDOW_BYTES = 64 * 1024;

function videoBlockTimes(path: string, from: number, end: number, track: number, timestampScale: number): number[] {
  const fd = openSync(path, 'r');
  let window = Buffer.alloc(0);
  let windowAt = 0;
  try {
    return blockTimes((position, length) => {
      if (position < windowAt || position + length > windowAt + window.length) {
        const buffer = Buffer.alloc(Math.max(length, WINDOW_BYTES));
        window = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, position));
        windowAt = position;
      }
      return window.subarray(position - windowAt, position - windowAt + length);
    }, from, end, track, timestampScale, CHECKED_BLOCKS);
  } finally {
    closeSync(fd);
  }
}

export async function readMatroska(facts: FileFacts, decoders: () => Promise<ReadonlySet<string> | null>): Promise<VideoInfo | AudioInfo> {
  const index = readMatroskaIndex(facts.path, facts.sizeBytes);
  const decoding = index.tracks.some((t) => t.type === 1) ? decoders() : Promise.resolve(null);
  const { Input, FilePathSource, MATROSKA, WEBM, EncodedPacketSink } = await mediabunny();
  const input = new Input({ source: new FilePathSource(facts.path), formats: [MATROSKA, WEBM] });
  try {
    const first = index.tracks.find((t) => t.type === 2);
    const audio = first ? await audioTrackFacts(input, first.number) : null;
    const video = index.tracks.find((t) => t.type === 1);
    let vp9: Vp9Header | null = null;
    if (video?.codecId === 'V_VP9') {
      // VP9 keeps its colour facts in the first key frame's header, not in the track header
      const [track] = await input.getVideoTracks();
      const packet = track ? await new EncodedPacketSink(track).getFirstPacket() : null;
      vp9 = packet ? parseVp9KeyFrame(packet.data) : null;
    }
    const times = video && index.firstCluster != null ? videoBlockTimes(facts.path, index.firstCluster, index.segmentEnd ?? facts.sizeBytes, video.number, index.timestampScale) : null;
    return matroskaMediaInfo(facts, index, audio, { vp9, blockTimes: times }, await decoding);
  } finally {
    input.dispose();
  }
}
