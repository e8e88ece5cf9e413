import { describe, expect, it } from 'vitest';
import { foundFileProblem } from '../../../src/cli/settings/config-file.js';

describe('foundFileProblem: a config file found upward must be yours and writable only by you', () => {
  const fix = 'run chmod go-w c.json, or name it with --config if you trust it';
  it.each([
    [{ uid: 1000, mode: 0o100644 }, 1000, null],
    [{ uid: 1000, mode: 0o100600 }, 1000, null],
    [{ uid: 1000, mode: 0o100444 }, 1000, null],
    [{ uid: 1000, mode: 0o100664 }, 1000, { why: 'the group may change it (mode 0664)', fix }],
    [{ uid: 1000, mode: 0o100646 }, 1000, { why: 'other users may change it (mode 0646)', fix }],
    [{ uid: 1000, mode: 0o100666 }, 1000, { why: 'the group and other users may change it (mode 0666)', fix }],
    // git's rule: only the user's own, root's file included when you are not root
    [{ uid: 0, mode: 0o100644 }, 1000, { why: 'it belongs to another user (uid 0; you are 1000)', fix: 'name it with --config if you trust it' }],
    [{ uid: 1001, mode: 0o100666 }, 1000, { why: 'it belongs to another user (uid 1001; you are 1000)', fix: 'name it with --config if you trust it' }],
  ])('%o for uid %i', (file, uid, expected) => {
    expect(foundFileProblem(file, uid, 'c.json')).toEqual(expected);
  });
});
