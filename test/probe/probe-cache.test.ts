import { copyFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeCache } from '../../src/probe/probe-cache.js';
import { probeMany } from '../../src/probe/probe-many.js';
import type { ProbeResult } from '../../src/probe/media-info.js';
import { fixture, tempDir } from '../helpers/fixtures.js';

const fake = (path: string, width: number): ProbeResult => ({
  ok: true,
  info: { path, kind: 'image', format: 'png', extension: 'png', extensionMatches: true, sizeBytes: 4, width, height: 400, storedWidth: width, storedHeight: 400, orientation: 1, hasAlpha: false, frames: 1 },
});

/** A file a.png and a cache in dir/cache that holds its entry on disk. */
async function savedEntry() {
  const { dir, cleanup } = await tempDir();
  const file = join(dir, 'a.png');
  await writeFile(file, 'abcd');
  const cache = await ProbeCache.open(join(dir, 'cache'));
  cache.set(file, fake(file, 500));
  await cache.save();
  return { dir, file, cleanup };
}

describe('ProbeCache', () => {
  it('answers for an unchanged file, across instances, and forgets a changed one', async () => {
    const { dir, file, cleanup } = await savedEntry();

    const second = await ProbeCache.open(join(dir, 'cache'));
    expect(second.get(file)).toEqual(fake(file, 500));

    await utimes(file, new Date(), new Date(Date.now() + 5000));
    expect(second.get(file)).toBeUndefined();
    await writeFile(file, 'abcdef');
    expect(second.get(file)).toBeUndefined();
    await cleanup();
  });

  it('leaves the cache file alone when a re-check only hits fresh entries', async () => {
    const { dir, file, cleanup } = await savedEntry();
    const cacheFile = join(dir, 'cache', 'probe-cache.json');
    const written = (await stat(cacheFile)).ino;

    const second = await ProbeCache.open(join(dir, 'cache'));
    expect(second.get(file)).toEqual(fake(file, 500));
    await second.save();
    // an atomic rewrite would have renamed a new inode into place
    expect((await stat(cacheFile)).ino).toBe(written);
    await cleanup();
  });

  it('keys an entry by the identity the file had before it was probed, so a file changed meanwhile is probed again', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'a.png');
    await writeFile(file, 'abcd');
    const before = await stat(file);
    const cache = ProbeCache.inMemory();
    cache.set(file, fake(file, 500), { size: before.size, mtimeMs: before.mtimeMs, ino: before.ino });
    expect(cache.get(file)).toEqual(fake(file, 500));

    cache.set(file, fake(file, 600), { size: before.size - 1, mtimeMs: before.mtimeMs, ino: before.ino });
    expect(cache.get(file)).toBeUndefined();
    await cleanup();
  });

  it('does not keep failures that depend on more than the bytes', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'b.mp4');
    await writeFile(file, 'x');
    const cache = ProbeCache.inMemory();
    cache.set(file, { ok: false, failure: { path: file, code: 'unreadable', detail: 'permission denied', extension: 'mp4', sizeBytes: null, format: null } });
    expect(cache.get(file)).toBeUndefined();
    await cleanup();
  });

  it('starts empty from a damaged cache file', async () => {
    const { dir, cleanup } = await tempDir();
    await writeFile(join(dir, 'probe-cache.json'), '{not json');
    const cache = await ProbeCache.open(dir);
    expect(cache.get(join(dir, 'anything'))).toBeUndefined();
    await cleanup();
  });
});

describe('probeMany', () => {
  it('keeps the input order, reports progress, and probes an unchanged file only once', async () => {
    const { dir, cleanup } = await tempDir();
    const paths = ['valid-3s.mp3', 'landscape-1280x720.jpg', 'valid-854x480-30fps.mp4'].map((name) => join(dir, name));
    await Promise.all(paths.map((path) => copyFile(fixture(path.split('/').pop()!), path)));
    const fixedTime = new Date('2026-01-01T00:00:00Z');
    await utimes(paths[0]!, fixedTime, fixedTime);
    const cache = await ProbeCache.open(join(dir, 'cache'));
    const progress: number[] = [];
    const results = await probeMany(paths, { cache, concurrency: 2, onProbed: (done) => progress.push(done) });
    expect(results.map((r) => (r.ok ? r.info.kind : r.failure.code))).toEqual(['audio', 'image', 'video']);
    expect(progress).toEqual([1, 2, 3]);

    // overwrite a file with garbage of the same size and restore its mtime: only a cache hit still calls it audio
    const { readFile } = await import('node:fs/promises');
    await writeFile(paths[0]!, Buffer.alloc((await readFile(paths[0]!)).length, 0x20));
    await utimes(paths[0]!, fixedTime, fixedTime);
    const reopened = await ProbeCache.open(join(dir, 'cache'));
    const again = await probeMany(paths, { cache: reopened, concurrency: 2 });
    expect(again).toEqual(results);
    const uncached = await probeMany(paths.slice(0, 1));
    expect(uncached[0]!.ok).toBe(false);
    await cleanup();
  });
});
