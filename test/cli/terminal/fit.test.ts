import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clock, columns, percent, screenRows, truncateEnd, truncateMiddle } from '../../../src/cli/terminal/fit.js';

describe('fitting progress text', () => {
  it.each([
    ['jobs/shoot-1/clip.webm', 30, 'jobs/shoot-1/clip.webm'],
    ['jobs/shoot-1/clip.webm', 22, 'jobs/shoot-1/clip.webm'],
    ['jobs/shoot-1/clip.webm', 11, 'jobs/….webm'],
    ['jobs/shoot-1/clip.webm', 10, 'jobs….webm'],
    ['abc', 1, 'a'],
    ['abc', 0, ''],
    // CJK characters take two columns: 7 of 8 here, as a third would make 9
    ['ジョブ/クリップ.mp4', 8, 'ジ….mp4'],
    ['ジョブ/クリップ.mp4', 13, 'ジョブ…プ.mp4'],
    ['clip-👩‍👩‍👧-final.mp4', 12, 'clip-…al.mp4'],
    ['👍🏽👍🏽👍🏽👍🏽.mp4', 9, '👍🏽👍🏽….mp4'],
  ])('truncateMiddle(%j, %i) is %j', (text, width, expected) => {
    expect(truncateMiddle(text, width)).toBe(expected);
  });

  it.each([
    ['ジョブ', 6],
    ['clip 🎬.mp4', 11],
    ['👩‍👩‍👧', 2],
    ['\x1b[32mdone\x1b[39m', 4],
  ])('columns(%j) is %i', (text, expected) => {
    expect(columns(text)).toBe(expected);
  });

  it.each<[string, string[], number, number]>([
    ['lines narrower than the screen: one row each', ['abc', 'de'], 10, 2],
    ['an empty line still takes a row', ['', 'x'], 10, 2],
    ['a line exactly as wide as the screen: one row', ['abcdefghij'], 10, 1],
    ['a line one wider: two rows', ['abcdefghijk'], 10, 2],
    ['the frame drawn at 80 columns, the screen narrowed to 30', ['x'.repeat(79), 'y'.repeat(79)], 30, 6],
    ['escapes take no room', ['\x1b[32m' + 'a'.repeat(10) + '\x1b[39m'], 10, 1],
    ['CJK takes two columns a character', ['ジョブ'.repeat(2)], 5, 3],
  ])('screenRows: %s', (_name, lines, width, expected) => {
    expect(screenRows(lines, width)).toBe(expected);
  });

  it.each([
    ['probing and checking every file', 12, 'probing and…'],
    ['short', 12, 'short'],
    ['ab', 1, 'a'],
    ['ジョブの確認', 6, 'ジョ…'],
    ['done 🎬🎬🎬', 8, 'done 🎬…'],
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
