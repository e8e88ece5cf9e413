import type { FfprobeStream } from './ffprobe-parse.js';

/** How stored pixels are turned to be displayed: first rotated clockwise, then (when mirrored) flipped left to right. */
export interface Orientation {
  rotation: 0 | 90 | 180 | 270;
  mirrored: boolean;
}

/**
 * The whole display transform of a video stream: the display matrix (rotation and reflection), else the legacy
 * `rotate` tag. Reads the matrix the way current ffmpeg's autorotate does (fftools, theta and the signs of
 * m[0], m[3], m[4]), so the fixed pixels look the way a current player shows the source.
 */
export function parseOrientation(stream: FfprobeStream): Orientation {
  const side = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && d.rotation !== undefined);
  // the display matrix gives the counter-clockwise angle; the rotate tag the clockwise one
  const degrees = side ? -Number(side.rotation) : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return { rotation: 0, mirrored: false };
  const theta = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  const m = side?.displaymatrix ? parseDisplayMatrix(side.displaymatrix) : null;
  if (!m) return { rotation: theta as Orientation['rotation'], mirrored: false };
  return orientationOf(theta, m);
}

/** Pure: ffmpeg's reading of a matrix whose rotation is `theta` (clockwise) → rotation then optional mirror. */
export function orientationOf(theta: number, m: readonly number[]): Orientation {
  const [m0 = 0, , , m3 = 0, m4 = 0] = m;
  switch (theta) {
    case 90: // transpose=cclock_flip (a transpose) when m[3] > 0, else clock
      return { rotation: 90, mirrored: m3 > 0 };
    case 270: // transpose=clock_flip when m[3] < 0, else cclock
      return { rotation: 270, mirrored: m3 < 0 };
    case 180: // hflip when m[0] < 0, vflip when m[4] < 0: both is a half turn, hflip alone a mirror
      if (m0 < 0 && m4 >= 0) return { rotation: 0, mirrored: true };
      if (m4 < 0 && m0 >= 0) return { rotation: 180, mirrored: true };
      return { rotation: 180, mirrored: false };
    default: // vflip when m[4] < 0: a half turn, then a mirror
      return m4 < 0 ? { rotation: 180, mirrored: true } : { rotation: 0, mirrored: false };
  }
}

/** ffprobe's text dump of the 3×3 matrix ("00000000:  0  65536  0" per row) → its nine numbers, row by row. */
export function parseDisplayMatrix(text: string): number[] | null {
  const values = text
    .split('\n')
    .map((line) => line.replace(/^\s*[0-9a-f]+:/i, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/\s+/).map(Number));
  return values.length === 9 && values.every(Number.isFinite) ? values : null;
}
