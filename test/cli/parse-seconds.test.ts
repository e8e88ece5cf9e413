import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/io.js';
import { parseSeconds } from '../../src/cli/parse-seconds.js';

describe('parseSeconds: one behaviour for every flag in seconds', () => {
  it.each([
    [undefined, undefined],
    ['600', 600_000],
    ['0.05', 50],
    [' 2.5 ', 2500],
    ['.5', 500],
    ['3.', 3000],
    ['2147483.647', 2_147_483_647],
  ])('%j → %j ms', (value, ms) => {
    expect(parseSeconds('--timeout', value)).toBe(ms);
  });

  it.each([
    ['0', '--timeout must be a number of seconds greater than 0, not "0"'],
    ['0.0004', '--timeout must be a number of seconds greater than 0, not "0.0004"'],
    ['-5', '--timeout must be a number of seconds greater than 0, not "-5"'],
    ['', '--timeout must be a number of seconds greater than 0, not ""'],
    ['ten', '--timeout must be a number of seconds greater than 0, not "ten"'],
    ['10s', '--timeout must be a number of seconds greater than 0, not "10s"'],
    ['0x10', '--timeout must be a number of seconds greater than 0, not "0x10"'],
    ['1e3', '--timeout must be a number of seconds greater than 0, not "1e3"'],
    ['Infinity', '--timeout must be a number of seconds greater than 0, not "Infinity"'],
    ['2147484', '--timeout must be at most 2147483 seconds (about 24 days), not "2147484"'],
  ])('%j is refused: %s', (value, message) => {
    expect(() => parseSeconds('--timeout', value)).toThrow(new UsageError(message));
  });
});
