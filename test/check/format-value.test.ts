import { describe, it, expect } from 'vitest';
import { formatLimit, formatNumber, formatValue } from '../../src/check/format-value.js';
import type { LimitSpec, Unit } from '../../src/check/violation.js';

describe('formatValue', () => {
  const cases: Array<[number | string | boolean | null, Unit, number | undefined, string]> = [
    [null, 's', undefined, 'unknown'],
    ['mkv', 'value', undefined, '"mkv"'],
    [true, 'value', undefined, 'true'],
    // bytes: MB = 10^6 by default, KB below a tenth of a MB
    [31_500_000, 'bytes', undefined, '31.5 MB'],
    [30_000_000, 'bytes', undefined, '30 MB'],
    [30_000_001, 'bytes', undefined, '30 MB'],
    [64_123_456, 'bytes', undefined, '64.12 MB'],
    [100_000, 'bytes', undefined, '0.1 MB'],
    [99_999, 'bytes', undefined, '100 KB'],
    [5_668, 'bytes', undefined, '5.67 KB'],
    [0, 'bytes', undefined, '0 KB'],
    // MB = 2^20 when the profile says so
    [31_457_280, 'bytes', 1_048_576, '30 MB'],
    [52_428_801, 'bytes', 1_048_576, '50 MB'],
    // other units
    [3.030204, 's', undefined, '3.03 s'],
    [15, 's', undefined, '15 s'],
    [29.97002997, 'fps', undefined, '29.97 fps'],
    [6001, 'px', undefined, '6,001 px'],
    [1080.4, 'px', undefined, '1,080 px'],
    [2_086_876, 'pixels', undefined, '2,086,876 pixels'],
    [0.3125, 'ratio', undefined, '0.31'],
    [2.5, 'ratio', undefined, '2.5'],
    [3, 'count', undefined, '3'],
    [1.5, 'value', undefined, '1.5'],
    [10_001, 'tokens', undefined, '10,001 tokens'],
    [501, 'chars', undefined, '501 chars'],
    [1000, 'words', undefined, '1,000 words'],
  ];
  it.each(cases)('%j %s (MB = %s) → %s', (value, unit, mb, expected) => {
    expect(formatValue(value, unit, mb)).toBe(expected);
  });
});

describe('formatLimit', () => {
  const cases: Array<[LimitSpec, number | undefined, string]> = [
    [{ oneOf: ['jpeg', 'png', 'webp'], unit: 'value' }, undefined, 'one of jpeg, png, webp'],
    [{ min: 24, max: 60, unit: 'fps' }, undefined, '24–60 fps'],
    [{ min: 300, max: 6000, unit: 'px' }, undefined, '300–6,000 px'],
    [{ min: 409_600, max: 2_086_876, unit: 'pixels' }, undefined, '409,600–2,086,876 pixels'],
    [{ min: 0.4, max: 2.5, unit: 'ratio' }, undefined, '0.4–2.5'],
    [{ min: 2, max: 15, unit: 's' }, undefined, '2–15 s'],
    [{ min: 0.5, max: 15, unit: 's' }, undefined, '0.5–15 s'],
    // a range whose ends print in different units keeps both
    [{ min: 50_000, max: 30_000_000, unit: 'bytes' }, undefined, '50 KB–30 MB'],
    [{ max: 30_000_000, unit: 'bytes' }, undefined, 'at most 30 MB'],
    [{ max: 64 * 1_048_576, unit: 'bytes' }, 1_048_576, 'at most 64 MB'],
    [{ max: 64 * 1_048_576, unit: 'bytes' }, undefined, 'at most 67.11 MB'],
    [{ max: 2048, unit: 'chars' }, undefined, 'at most 2,048 chars'],
    [{ max: 0, unit: 'count' }, undefined, 'at most 0'],
    [{ min: 1, unit: 's' }, undefined, 'at least 1 s'],
    [{ unit: 's' }, undefined, 'no limit'],
  ];
  it.each(cases)('%j → %s', (limit, mb, expected) => {
    expect(formatLimit(limit, mb)).toBe(expected);
  });
});

describe('formatNumber', () => {
  // what Intl.NumberFormat('en-US') prints for the same digits, which it replaced
  const cases: Array<[number, number, string]> = [
    [0, 2, '0'],
    [999, 0, '999'],
    [1000, 0, '1,000'],
    [1_234_567.891, 2, '1,234,567.89'],
    [1_234_567.891, 0, '1,234,568'],
    [0.125, 2, '0.13'],
    [2.5, 0, '3'],
    [1.10, 2, '1.1'],
    [-1500.5, 2, '-1,500.5'],
    [-0.001, 2, '0'],
    [Number.POSITIVE_INFINITY, 2, 'Infinity'],
  ];
  it.each(cases)('%d with %d decimals → %s', (value, digits, expected) => {
    expect(formatNumber(value, digits)).toBe(expected);
  });
  it('agrees with Intl.NumberFormat on a sweep of values', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    for (let i = 0; i < 2000; i++) {
      const value = ((i * 7919) % 100_003) / 7 - 500;
      expect(formatNumber(value, 2)).toBe(intl.format(value).replace(/^-0$/, '0'));
    }
  });
});
