/** Reads a Matroska/WebM in-process: our own reading of its elements, the toolkit for the audio track and the first VP9 frame. */
import type { FileFacts } from '../ffprobe-parse.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { readMatroskaIndex } from './matroska-index.js';
import { matroskaMediaInfo } from './matroska-info.js';
import { audioTrackFacts, mediabunny } from './toolkit.js';
import { parseVp9KeyFrame, type Vp9Header } from './vp9-header.js';

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
    return matroskaMediaInfo(facts, index, audio, { vp9 }, await decoding);
  } finally {
    input.dispose();
  }
}
