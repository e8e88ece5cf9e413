import { describe, expect, it } from 'vitest';
import { colorWanted } from '../../../src/cli/terminal/color.js';

describe('whether to colour', () => {
  it.each<[string, boolean, NodeJS.ProcessEnv, boolean, boolean]>([
    ['a terminal', true, {}, true, true],
    ['a pipe', true, {}, false, false],
    ['--no-color on a terminal', false, {}, true, false],
    ['--no-color beats FORCE_COLOR', false, { FORCE_COLOR: '1' }, true, false],
    ['NO_COLOR on a terminal', true, { NO_COLOR: '1' }, true, false],
    ['NO_COLOR empty is unset (no-color.org)', true, { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR into a pipe', true, { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR empty forces too (as Node reads it)', true, { FORCE_COLOR: '' }, false, true],
    ['FORCE_COLOR=0 forces nothing', true, { FORCE_COLOR: '0' }, false, false],
    ['FORCE_COLOR=false forces nothing', true, { FORCE_COLOR: 'false' }, true, true],
    ['FORCE_COLOR beats NO_COLOR', true, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['TERM=dumb', true, { TERM: 'dumb' }, true, false],
  ])('%s', (_name, flag, env, isTTY, expected) => {
    expect(colorWanted({ flag, env, isTTY })).toBe(expected);
  });
});
