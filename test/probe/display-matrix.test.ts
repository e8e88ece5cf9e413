import { describe, expect, it } from 'vitest';
import { orientationOf, parseDisplayMatrix, parseOrientation } from '../../src/probe/display-matrix.js';
import type { FfprobeStream } from '../../src/probe/ffprobe-parse.js';

describe('parseOrientation: rotation', () => {
  const matrix = (rotation: number | string): FfprobeStream => ({ side_data_list: [{ side_data_type: 'Display Matrix', rotation }] });
  const cases: Array<[string, FfprobeStream, number]> = [
    ['nothing', {}, 0],
    ['rotate tag 90', { tags: { rotate: '90' } }, 90],
    ['rotate tag 180', { tags: { rotate: '180' } }, 180],
    ['rotate tag 270', { tags: { rotate: '270' } }, 270],
    ['rotate tag -90', { tags: { rotate: '-90' } }, 270],
    ['rotate tag 360', { tags: { rotate: '360' } }, 0],
    ['rotate tag not a number', { tags: { rotate: 'left' } }, 0],
    ['matrix -90 (counter-clockwise) → 90 clockwise', matrix(-90), 90],
    ['matrix 90 → 270 clockwise', matrix(90), 270],
    ['matrix 180', matrix(180), 180],
    ['matrix -180', matrix(-180), 180],
    ['matrix "-90.00" as text', matrix('-90.00'), 90],
    ['matrix -89.6 snaps to 90', matrix(-89.6), 90],
    ['matrix 0', matrix(0), 0],
    ['the matrix wins over the tag', { ...matrix(-90), tags: { rotate: '180' } }, 90],
    ['other side data is ignored', { side_data_list: [{ side_data_type: 'Stereo 3D' }], tags: { rotate: '90' } }, 90],
    ['a matrix without a rotation is ignored', { side_data_list: [{ side_data_type: 'Display Matrix' }], tags: { rotate: '270' } }, 270],
  ];
  it.each(cases)('%s', (_name, stream, expected) => {
    expect(parseOrientation(stream)).toEqual({ rotation: expected, mirrored: false });
  });
});

/** ffprobe's dump of a display matrix with the 2×2 part a b / c d (16.16 fixed point). */
function dump(a: number, b: number, c: number, d: number): string {
  const row = (i: number, values: number[]) => `${String(i).padStart(8, '0')}:${values.map((v) => String(v * 65536).padStart(13)).join('')}`;
  return `\n${row(0, [a, b, 0])}\n${row(1, [c, d, 0])}\n00000002:            0            0   1073741824\n`;
}

describe('parseOrientation: the whole matrix, reflections included', () => {
  // rotation as ffprobe prints it (counter-clockwise), and what current ffmpeg's autorotate applies to the pixels
  const cases: Array<[string, number, [number, number, number, number], { rotation: number; mirrored: boolean }]> = [
    ['plain 90° clockwise (transpose=clock)', -90, [0, 1, -1, 0], { rotation: 90, mirrored: false }],
    ['90° and a mirror: a transpose (transpose=cclock_flip), as rotate90-mirror-640x360.mp4', -90, [0, 1, 1, 0], { rotation: 90, mirrored: true }],
    ['plain 270° (transpose=cclock)', 90, [0, -1, 1, 0], { rotation: 270, mirrored: false }],
    ['270° and a mirror (transpose=clock_flip)', 90, [0, -1, -1, 0], { rotation: 270, mirrored: true }],
    ['a half turn (hflip + vflip)', -180, [-1, 0, 0, -1], { rotation: 180, mirrored: false }],
    ['a mirror alone (hflip), as hflip-640x360.mp4', -180, [-1, 0, 0, 1], { rotation: 0, mirrored: true }],
    ['upside down mirror (vflip)', 0, [1, 0, 0, -1], { rotation: 180, mirrored: true }],
    ['identity', 0, [1, 0, 0, 1], { rotation: 0, mirrored: false }],
  ];
  it.each(cases)('%s', (_name, rotation, [a, b, c, d], expected) => {
    const stream: FfprobeStream = { side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: dump(a, b, c, d), rotation }] };
    expect(parseOrientation(stream)).toEqual(expected);
  });

  it('parses the dump of rotate90-mirror-640x360.mp4 as ffprobe prints it', () => {
    const text = '\n00000000:            0       65536           0\n00000001:        65536           0           0\n00000002:            0           0  1073741824\n';
    expect(parseDisplayMatrix(text)).toEqual([0, 65536, 0, 65536, 0, 0, 0, 0, 1073741824]);
    expect(parseDisplayMatrix('garbage')).toBeNull();
    expect(orientationOf(90, [0, 65536, 0, 65536, 0, 0, 0, 0, 1073741824])).toEqual({ rotation: 90, mirrored: true });
  });
});
