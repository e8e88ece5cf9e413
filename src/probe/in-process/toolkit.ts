/** mediabunny, loaded on the first media file and never at start-up (it would slow `--version` and every non-media command). */
import { readSync } from 'node:fs';
import type { AudioTrackFacts } from './mp4-info.js';

export type Mediabunny = typeof import('./mediabunny-parts.js');
export type ToolkitInput = InstanceType<Mediabunny['Input']>;

let loading: Promise<Mediabunny> | undefined;

export function mediabunny(): Promise<Mediabunny> {
  loading ??= import('./mediabunny-parts.js');
  return loading;
}

/**
 * The codec, codec string, rate and channels of the audio track the toolkit knows by `id` (MP4 track_ID, Matroska
 * TrackNumber); null when it does not list that track (a codec it skips), so no other track stands in for it.
 */
export async function audioTrackFacts(input: ToolkitInput, id: number): Promise<AudioTrackFacts | null> {
  const track = (await input.getAudioTracks()).find((t) => t.id === id);
  if (!track) return null;
  return { codec: await track.getCodec(), codecString: await track.getCodecParameterString(), sampleRate: await track.getSampleRate(), channels: await track.getNumberOfChannels() };
}

export function readBytes(fd: number, position: number, length: number): Uint8Array {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
}
