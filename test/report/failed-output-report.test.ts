import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/run-cli.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { video } from '../helpers/media-info.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-failed-output-report-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// a video cap no encode of the demo clip can meet: the fixed copy fails its re-check and is removed
const TINY_PROFILE = { name: 'tiny', description: 'a 20 KB video cap', extends: 'seed', video: { maxBytes: { value: 20_000, source: 'this test' } } };

it('fix --report writes the report when an output fails its re-check (the removed copy crashed it: ENOENT, no report)', async () => {
  const job = await copyDemo(join(dir, 'job'));
  const profile = join(dir, 'tiny.json');
  await writeFile(profile, JSON.stringify(TINY_PROFILE));
  const report = join(dir, 'report.html');
  const run = await cli(['--profile', profile, 'fix', join(job, 'clip.webm'), '--out', join(dir, 'out'), '--report', report], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') } });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 could not be fixed.\n');
  expect(run.stderr).not.toContain('does not exist');
  const html = await readFile(report, 'utf8');
  expect(html).toMatch(/the fixed copy still does not conform: file is [\d.]+ KB \([\d,]+ bytes; 1 MB = 1,000,000 bytes\); allowed: at most 20 KB \(rule video\.size\)/);
  expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
});

it('a file removed after it was probed gets no thumbnails, not an error', async () => {
  const { ThumbnailStore } = await import('../../src/report/thumbnail-store.js');
  const store = new ThumbnailStore(join(dir, 'thumbs'));
  const gone = { ...video({ path: join(dir, 'vanished.mp4') }) };
  expect(await store.get(gone)).toBeNull();
});
