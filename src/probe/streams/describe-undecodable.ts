/** Pure: an undecodable stream in words, for the check's violation and the fix plan's reason (one sentence each). */
import type { Undecodable } from '../media-info.js';

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
