import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { ThumbnailStore } from '../../src/report/thumbnail-store.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { writeReport, ReportError } from '../../src/report/write-report.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-report-')));
afterAll(() => cleanup());

async function dims(path: string): Promise<[number, number, number]> {
  const meta = await sharp(path).metadata();
  return [meta.width!, meta.height!, (await stat(path)).size];
}

async function thumbnailsOf(name: string, store: ThumbnailStore) {
  const probe = await probeFile(fixture(name));
  if (!probe.ok) throw new Error(`${name} does not probe: ${probe.failure.detail}`);
  const stored = await store.get(probe.info);
  if (!stored) throw new Error(`no thumbnails for ${name}`);
  return { stored, main: await dims(join(stored.dir, stored.main)), frames: await Promise.all(stored.frames.map((f) => dims(join(stored.dir, f)))) };
}

describe('thumbnails (real sharp and ffmpeg)', () => {
  it.each([
    // displayed portrait 480×640: EXIF orientation applied, long side 320
    { name: 'exif-orientation-6.jpg', kind: 'image', main: [240, 320], frames: [] },
    // rotated 90°: the decoder turns the frames upright (480×854 as shown)
    { name: 'rotated-90-854x480.mp4', kind: 'video', main: [180, 320], frames: [[90, 160], [90, 160], [90, 160], [90, 160]], times: [0.375, 1.125, 1.875, 2.625] },
    { name: 'vp9.webm', kind: 'video', main: [320, 180], frames: [[160, 90], [160, 90], [160, 90], [160, 90]], times: [0.314, 0.941, 1.568, 2.195] },
    // BMP: sharp cannot read it, ffmpeg draws it
    { name: 'image.bmp', kind: 'image', main: [320, 240], frames: [] },
    { name: 'wide-3000x1000.png', kind: 'image', main: [320, 107], frames: [] },
    { name: 'valid-3s.mp3', kind: 'audio', main: [320, 80], frames: [] },
    { name: 'tone.flac', kind: 'audio', main: [320, 80], frames: [] },
  ])('$name: $kind thumbnails within 320 px and 30 KB', async ({ name, kind, main, frames, times }) => {
    const store = new ThumbnailStore(join(dir, 'store-sizes'));
    const got = await thumbnailsOf(name, store);
    expect(got.stored.kind).toBe(kind);
    expect(got.main.slice(0, 2)).toEqual(main);
    expect(got.frames.map((f) => f.slice(0, 2))).toEqual(frames);
    for (const [, , bytes] of [got.main, ...got.frames]) expect(bytes).toBeLessThanOrEqual(30_000);
    if (times) expect(got.stored.frameTimes).toEqual(times);
  });

  it('draws a file once: copies share an entry, and a later store on the same folder reads it back without drawing', async () => {
    const storeDir = join(dir, 'store-reuse');
    await copyFile(fixture('fps-15.mp4'), join(dir, 'copy-a.mp4'));
    await copyFile(fixture('fps-15.mp4'), join(dir, 'copy-b.mp4'));
    const probes = await Promise.all(['copy-a.mp4', 'copy-b.mp4'].map((n) => probeFile(join(dir, n))));
    const store = new ThumbnailStore(storeDir);
    const [a, b] = await Promise.all(probes.map((p) => store.get((p as { ok: true; info: never }).info)));
    expect(a!.dir).toBe(b!.dir);
    expect(await readdir(storeDir)).toEqual([a!.key]);
    const drawnAt = (await stat(join(a!.dir, 'main.jpg'))).mtimeMs;

    const again = await new ThumbnailStore(storeDir).get((probes[0] as { ok: true; info: never }).info);
    expect(again).toEqual(a);
    expect((await stat(join(a!.dir, 'main.jpg'))).mtimeMs).toBe(drawnAt);
    expect(await readdir(storeDir)).toEqual([a!.key]);
  });
});

describe('writeReport', () => {
  it('writes FILE.html and FILE.assets/ with every image it references, and nothing else', async () => {
    const check = await checkTargets({ paths: [fileURLToPathSafe('../../fixtures/demo')], profile: SEED_PROFILE });
    const file = join(dir, 'demo report.html');
    const written = await writeReport({ check }, { file, thumbnailCacheDir: join(dir, 'cache'), now: new Date('2026-12-01T12:00:00Z') });
    expect(written.file).toBe(file);
    expect(written.assetsDir).toBe(join(dir, 'demo report.assets'));
    const html = await readFile(file, 'utf8');
    const sources = [...html.matchAll(/src="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
    const assets = (await readdir(written.assetsDir)).filter((n) => n.endsWith('.jpg')).sort();
    expect(sources).toHaveLength(1 + 5 + 1);
    expect([...new Set(sources)].sort()).toEqual(assets.map((n) => `demo report.assets/${n}`));
    expect(written.thumbnails).toBe(assets.length);
    const sizes = await Promise.all(assets.map(async (n) => (await stat(join(written.assetsDir, n))).size));
    expect(written.bytes).toBe(sizes.reduce((a, b) => a + b, 0) + Buffer.byteLength(html));
    expect(html).toContain('generated 2026-12-01T12:00:00.000Z');
  });

  it('replaces its own assets folder on a re-write, and refuses to replace a folder it did not write', async () => {
    const check = await checkTargets({ paths: [fixture('valid-3s.mp3')], profile: SEED_PROFILE });
    const file = join(dir, 'again.html');
    await writeReport({ check }, { file, thumbnailCacheDir: null });
    await writeFile(join(dir, 'again.assets', 'stale.jpg'), 'old');
    await writeReport({ check }, { file, thumbnailCacheDir: null });
    expect((await readdir(join(dir, 'again.assets'))).filter((n) => n.endsWith('.jpg'))).toHaveLength(1);

    await mkdir(join(dir, 'mine.assets'));
    await writeFile(join(dir, 'mine.assets', 'holiday.jpg'), 'precious');
    const refused = writeReport({ check }, { file: join(dir, 'mine.html'), thumbnailCacheDir: null });
    await expect(refused).rejects.toThrow(ReportError);
    await expect(refused).rejects.toThrow(`the report's thumbnail folder ${join(dir, 'mine.assets')} already exists and was not written by seedance-preflight: move it away or choose another report file name`);
    expect(await readFile(join(dir, 'mine.assets', 'holiday.jpg'), 'utf8')).toBe('precious');
    await expect(stat(join(dir, 'mine.html'))).rejects.toThrow(/ENOENT/);
  });
});

describe('--report on the command line', () => {
  it('check --report writes the report, says where on stderr, and keeps the exit code and stdout of check', async () => {
    const plain = await cli(['check', '--no-cache', fixture('fps-15.mp4')], { cwd: dir });
    const run = await cli(['check', '--no-cache', fixture('fps-15.mp4'), '--report', join(dir, 'cli.html')], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(plain.stdout);
    // an absolute --report is named from the folder the command ran in, as every path is
    expect(run.stderr).toMatch(/^report: cli\.html \(5 thumbnails in cli\.assets\/, [\d.]+ KB in all\)\n$/);
    expect(await readFile(join(dir, 'cli.html'), 'utf8')).toContain('data-rules="video.fps"');
  });

  it('a report over a folder it did not write is a usage error (exit 2) naming the folder', async () => {
    await mkdir(join(dir, 'taken.assets'));
    const run = await cli(['check', '--no-cache', fixture('valid-3s.mp3'), '--report', join(dir, 'taken.html')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the report's thumbnail folder ${join(dir, 'taken.assets')} already exists and was not written by seedance-preflight`);
  });
});

function fileURLToPathSafe(relative: string): string {
  return new URL(relative, import.meta.url).pathname;
}
