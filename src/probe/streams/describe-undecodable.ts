/** Pure: an undecodable stream in words, for the check's violation and the fix plan's reason (one sentence each). */
import type { DroppedAudio, Undecodable, UndecodableReason } from '../media-info.js';

/** "the video's frames are in another file (a QuickTime reference movie)" */
export function undecodableProblem({ stream, reason, codec }: Undecodable): string {
  const units = stream === 'video' ? 'frames' : 'samples';
  switch (reason) {
    case 'external':
      return `the ${stream}'s ${units} are in another file (a QuickTime reference movie)`;
    case 'no-samples':
      return `its ${stream} track holds no ${units}`;
    case 'no-sample-description':
      return `its ${stream} track has no sample description (stsd), so nothing says how to decode it`;
    case 'no-decoder':
      return `the ffmpeg in use has no decoder for its ${stream} (${codec ?? 'a codec ffmpeg does not name'})`;
  }
}

/** What the user does about it: a reference movie is exported self-contained; the rest are exported again. */
export function undecodableFix({ stream, reason }: Undecodable): string {
  if (reason === 'external') return 'export it self-contained';
  if (reason === 'no-decoder') return stream === 'video' ? 'export it again as H.264 MP4' : 'export it again as WAV or MP3';
  return 'export it again';
}

const SHORT_REASON: Record<UndecodableReason, string> = {
  external: 'its samples are in another file',
  'no-samples': 'no samples',
  'no-sample-description': 'no sample description',
  'no-decoder': 'no decoder',
};

/** The fix plan's action for a video's audio that does not decode: "drop audio track 2 (AAC): it does not decode here (no samples); the output has no sound" */
export function dropAudioAction({ index, codec, reason }: DroppedAudio): string {
  return `drop audio track ${index + 1}${codec ? ` (${codec.toUpperCase()})` : ''}: it does not decode here (${SHORT_REASON[reason]}); the output has no sound`;
}
