import { describe, expect, it } from 'vitest';
import { shareDurations } from '../../src/normalize/duration-shares.js';

describe('shareDurations', () => {
  it.each([
    ['already within the total: unchanged', [4, 5, 5], 15, 2, [4, 5, 5]],
    ['three 6 s clips share 15 s equally', [6, 6, 6], 15, 2, [5, 5, 5]],
    ['in proportion to their lengths', [10, 5, 5], 15, 2, [7.5, 3.75, 3.75]],
    ['a clip whose share would fall under 2 s is held at 2 s, the rest share what is left', [20, 20, 2.5], 15, 2, [6.5, 6.5, 2]],
    ['a clip already under the floor keeps its length', [20, 1.5], 15, 2, [13.5, 1.5]],
    ['rounded down to 0.01 s so the sum never exceeds the total', [7, 7, 7], 14.7, 2, [4.9, 4.9, 4.9]],
    ['uneven thirds round down', [10, 10, 10], 14.9, 2, [4.96, 4.96, 4.96]],
  ] as const)('%s', (_name, durations, total, floor, expected) => {
    const shares = shareDurations(durations, total, floor);
    expect(shares).toEqual(expected);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total + 1e-9);
  });
});
