import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { camelKey } from '../../../src/cli/settings/config-values.js';
import { switchValue } from '../../../src/cli/settings/settle-settings.js';
import { UsageError } from '../../../src/cli/io.js';

describe('switchValue: a switch from a variable or a config file', () => {
  it.each([
    ['1', true], ['true', true], ['YES', true], [' yes ', true], [true, true],
    ['0', false], ['False', false], ['no', false], [false, false], [0, false], [1, true],
  ] as const)('%j → %s', (raw, expected) => {
    expect(switchValue(raw, 'SEEDANCE_STRICT')).toBe(expected);
  });

  it.each([
    ['', 'SEEDANCE_STRICT must be 1, 0, true, false, yes or no, not ""'],
    ['on', 'SEEDANCE_STRICT must be 1, 0, true, false, yes or no, not "on"'],
    ['2', 'SEEDANCE_STRICT must be 1, 0, true, false, yes or no, not "2"'],
  ])('refuses %j', (raw, message) => {
    expect(() => switchValue(raw, 'SEEDANCE_STRICT')).toThrow(new UsageError(message));
  });

  it('any other text is refused in one line naming the variable, never taken for a switch', () => {
    const words = new Set(['1', '0', 'true', 'false', 'yes', 'no']);
    fc.assert(
      fc.property(fc.string(), (raw) => {
        if (words.has(raw.trim().toLowerCase())) {
          expect(typeof switchValue(raw, 'X')).toBe('boolean');
          return;
        }
        let message = '';
        try {
          switchValue(raw, 'SEEDANCE_X');
        } catch (error) {
          message = (error as UsageError).message;
        }
        expect(message.startsWith('SEEDANCE_X must be 1, 0, true, false, yes or no, not ')).toBe(true);
        // JSON quoting keeps a line break in the value from breaking the one line
        expect(message).not.toContain('\n');
      }),
    );
  });
});

describe('camelKey: a key as the flag is written, or in camelCase', () => {
  it.each([
    ['api-base', 'apiBase'], ['apiBase', 'apiBase'], ['s3-port', 's3Port'], ['fail-on', 'failOn'], ['concurrency', 'concurrency'],
  ])('%s → %s', (key, expected) => {
    expect(camelKey(key)).toBe(expected);
  });
});
