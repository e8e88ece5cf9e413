import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clock, columns, percent, truncateEnd, truncateMiddle } from '../../../src/cli/terminal/fit.js';

describe('fitting progress text', () => {
  it.each([
    ['jobs/shoot-1/clip.webm', 30, 'jobs/shoot-1/clip.webm'],
    ['jobs/shoot-1/clip.webm', 22, 'jobs/shoot-1/clip.webm'],
    ['jobs/shoot-1/clip.webm', 11, 'jobs/….webm'],
    ['jobs/shoot-1/clip.webm', 10, 'jobs….webm'],
    ['abc', 1, 'a'],
    ['abc', 0, ''],
    ['ジョブ/クリップ.mp4', 8, 'ジョブ….mp4'],
  ])('truncateMiddle(%j, %i) is %j', (text, width, expected) => {
    expect(truncateMiddle(text, width)).toBe(expected);
  });

  it.each([
    ['probing and checking every file', 12, 'probing and…'],
    ['short', 12, 'short'],
    ['ab', 1, 'a'],
  ])('truncateEnd(%j, %i) is %j', (text, width, expected) => {
    expect(truncateEnd(text, width)).toBe(expected);
  });

  it('never exceeds the width and keeps both ends of a name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 60 }), fc.integer({ min: 2, max: 80 }), (text, width) => {
        const cut = truncateMiddle(text, width);
        expect(columns(cut)).toBeLessThanOrEqual(Math.max(width, 0));
        if (columns(text) <= width) expect(cut).toBe(text);
        else expect(cut).toContain('…');
      }),
    );
  });

  it.each([
    [0, '0:00'],
    [999, '0:01'],
    [42_000, '0:42'],
    [63_000, '1:03'],
    [3_723_000, '1:02:03'],
    [-5, '0:00'],
  ])('clock(%i) is %j', (ms, expected) => {
    expect(clock(ms)).toBe(expected);
  });

  it('rounds a time spent down', () => {
    expect([clock(999, 'down'), clock(1000, 'down'), clock(61_999, 'down')]).toEqual(['0:00', '0:01', '1:01']);
  });

  it.each([
    [0, '0%'],
    [0.421, '42%'],
    [0.999, '99%'],
    [1, '100%'],
    [1.7, '100%'],
    [-1, '0%'],
  ])('percent(%d) is %j', (fraction, expected) => {
    expect(percent(fraction)).toBe(expected);
  });
});
