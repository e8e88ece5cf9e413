import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAge, MAX_AGE_MS, parseAge } from '../../src/queue/age-text.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseAge: the ages --older-than takes', () => {
  it.each([
    ['7d', 7 * D],
    ['12h', 12 * H],
    ['30m', 30 * M],
    ['45s', 45 * S],
    ['2w', 14 * D],
    ['1h30m', H + 30 * M],
    ['1d12h', D + 12 * H],
    ['0s', 0],
    [' 7D ', 7 * D],
    ['1w2d3h4m5s', 7 * D + 2 * D + 3 * H + 4 * M + 5 * S],
    ['10000d', MAX_AGE_MS],
  ])('%j is %d ms', (text, ms) => {
    expect(parseAge(text)).toBe(ms);
  });

  it.each(['7', '', 'd', '7days', '1.5h', '-1d', '7d7d', '1h1h', '7 d', '1m 30s', '10001d', '7y', 'h1', '99999999999999999999w'])('%j is not an age', (text) => {
    expect(parseAge(text)).toBeNull();
  });

  it('property: any set of distinct units, each with a whole number, in any order, adds up', () => {
    const units = { w: 7 * D, d: D, h: H, m: M, s: S } as const;
    const part = fc.tuple(fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), fc.integer({ min: 0, max: 999 }));
    fc.assert(
      fc.property(fc.uniqueArray(part, { minLength: 1, maxLength: 5, selector: ([unit]) => unit }), (parts) => {
        const text = parts.map(([unit, n]) => `${n}${unit}`).join('');
        expect(parseAge(text)).toBe(parts.reduce((sum, [unit, n]) => sum + n * units[unit], 0));
      }),
    );
  });

  it('property: a text with no unit letter at its end is never an age', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (!/[wdhms]$/i.test(text.trim())) expect(parseAge(text)).toBeNull();
      }),
    );
  });
});

describe('formatAge: how messages say an age', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [7_400, '7 s'],
    [119_999, '119 s'],
    [120_000, '2 min'],
    [119 * M + 59 * S, '119 min'],
    [2 * H, '2 h'],
    [47 * H + 59 * M, '47 h'],
    [2 * D, '2 d'],
    [-5, '0 s'],
  ])('%d ms is %j', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
