import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaleTemporary, isTemporaryName, STALE_TEMPORARY_MS, sweepTemporaries, temporaryPath, temporaryPathFor } from '../../src/shared/temp-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-temp-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the temporary-file scheme', () => {
  it('names a hidden temporary beside its final path, extension last', () => {
    expect(temporaryPathFor('/out/clip.mp4')).toMatch(/^\/out\/\.clip\.[0-9a-f]{8}\.partial\.mp4$/);
    expect(temporaryPathFor('/work/journal.json')).toMatch(/^\/work\/\.journal\.[0-9a-f]{8}\.partial\.json$/);
    expect(temporaryPathFor('/work/README')).toMatch(/^\/work\/\.README\.[0-9a-f]{8}\.partial$/);
    expect(temporaryPath('/out', 'photo', 'jpg')).toMatch(/^\/out\/\.photo\.[0-9a-f]{8}\.partial\.jpg$/);
    expect(temporaryPathFor('/out/clip.mp4')).not.toBe(temporaryPathFor('/out/clip.mp4'));
  });

  it.each([
    ['.clip.1a2b3c4d.partial.mp4', true],
    ['.journal.1a2b3c4d.partial.json', true],
    ['.README.1a2b3c4d.partial', true],
    ['.photo.1a2b3c4d.partial.jpg.decoded.png', true],
    ['clip.1a2b3c4d.partial.mp4', false],
    ['.clip.partial.mp4', false],
    ['.clip.1A2B3C4D.partial.mp4', false],
    ['clip.mp4', false],
    ['.hidden', false],
  ])('%s is a temporary: %s', (name, expected) => {
    expect(isTemporaryName(name)).toBe(expected);
  });

  it.each([
    [0, 1000, 1000, true],
    [0, 999, 1000, false],
    [5000, 5000, 0, true],
  ])('written at %i, now %i, older than %i ms: stale %s', (mtime, now, olderThan, stale) => {
    expect(isStaleTemporary(mtime, now, olderThan)).toBe(stale);
  });

  it('sweeps only stale temporaries by default, all of them with olderThanMs 0, and never anything else', async () => {
    const folder = join(dir, 'sweep');
    await mkdir(folder);
    const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;
    for (const name of ['.killed.0123abcd.partial.mp4', '.fresh.89abcdef.partial.mp4', 'keep.mp4', '.keep.partial.mp4']) await writeFile(join(folder, name), 'x');
    await utimes(join(folder, '.killed.0123abcd.partial.mp4'), old, old);
    await utimes(join(folder, 'keep.mp4'), old, old);
    expect(await sweepTemporaries(folder)).toEqual(['.killed.0123abcd.partial.mp4']);
    expect((await readdir(folder)).sort()).toEqual(['.fresh.89abcdef.partial.mp4', '.keep.partial.mp4', 'keep.mp4']);
    expect(await sweepTemporaries(folder, { olderThanMs: 0 })).toEqual(['.fresh.89abcdef.partial.mp4']);
    expect((await readdir(folder)).sort()).toEqual(['.keep.partial.mp4', 'keep.mp4']);
    expect(await sweepTemporaries(join(dir, 'no-such-folder'))).toEqual([]);
  });
});
