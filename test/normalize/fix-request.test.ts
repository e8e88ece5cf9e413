import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixCache } from '../../src/normalize/fix-cache.js';
import type { FixPlan } from '../../src/normalize/fix-plan.js';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { FixInterruptedError, fixTargets } from '../../src/pipeline/fix-targets.js';
import type { VideoInfo } from '../../src/probe/media-info.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { CancelledError } from '../../src/shared/cancel.js';
import { HOST_TAG } from '../../src/shared/temp-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { makeClip, sha256 } from '../helpers/make-media.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-fix-request-')));
afterAll(() => cleanup());

const profile = SEED_PROFILE;
const request = (fields: Record<string, unknown>) => ({ model: 'seedance-2.0-reference-to-video', prompt: 'video 1, video 2 and video 3 in turn', duration: 5, ...fields });

describe('fix --request: durations shared across a request', () => {
  it('cuts three 6 s clips to 4.9 s each (15 s in total), shows the plan first, and writes a request that passes check', async () => {
    const job = join(dir, 'three');
    await mkdir(job);
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) await makeClip(job, name, { width: 854, height: 480, fps: 24, seconds: 6, source: 'color' });
    await writeFile(join(job, 'request.json'), JSON.stringify(request({ video_urls: ['c.mp4', 'a.mp4', 'b.mp4'] })));
    const before = await checkTargets({ requestFile: join(job, 'request.json'), profile });
    expect(before.jobs[0]!.request.violations.map((v) => `${v.rule}:${v.severity}`)).toEqual(['request.video_total_duration:error']);

    const outDir = join(dir, 'three-out');
    const planned: Array<{ label: string; plans: readonly FixPlan[]; written: string[] }> = [];
    const outcome = await fixTargets({
      requestFile: join(job, 'request.json'),
      outDir,
      profile,
      onPlanned: (label, plans) => void planned.push({ label, plans, written: readdirSync(outDir) }),
    });
    expect(outcome.ok).toBe(true);
    expect(planned).toHaveLength(1);
    expect(planned[0]!.written).toEqual([]);
    expect(planned[0]!.plans.map((p) => p.actions.map((a) => `${a.rule}: ${a.what}`))).toEqual([
      ['request.video_total_duration: trim 6 s → 4.9 s (from the start)'],
      ['request.video_total_duration: trim 6 s → 4.9 s (from the start)'],
      ['request.video_total_duration: trim 6 s → 4.9 s (from the start)'],
    ]);

    const [report] = outcome.jobs;
    expect(report!.requestOutput).toBe(join(outDir, 'request.json'));
    const written = JSON.parse(await readFile(join(outDir, 'request.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toEqual(request({ video_urls: ['c.mp4', 'a.mp4', 'b.mp4'] }));
    let total = 0;
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) {
      const probe = await probeFile(join(outDir, name));
      const info = probe.ok ? (probe.info as VideoInfo) : null;
      expect(Math.abs(info!.duration! - 4.9)).toBeLessThan(0.05);
      total += info!.duration!;
    }
    expect(total).toBeLessThanOrEqual(15);
    const after = await checkTargets({ requestFile: join(outDir, 'request.json'), profile });
    expect(after.report.files.flatMap((f) => f.violations)).toEqual([]);
    expect(after.jobs[0]!.request).toEqual({ ok: true, violations: [] });
    expect(report!.request).toEqual({ ok: true, violations: [] });
  });

  it('writes no request.json when one of its files cannot be fixed, and says why', async () => {
    const job = join(dir, 'broken');
    await mkdir(job);
    await copyFile(fixture('truncated.jpg'), join(job, 'photo.jpg'));
    await copyFile(fixture('fps-15.mp4'), join(job, 'clip.mp4'));
    await writeFile(join(job, 'request.json'), JSON.stringify(request({ image_urls: ['photo.jpg'], video_urls: ['clip.mp4'] })));
    const outDir = join(dir, 'broken-out');
    const outcome = await fixTargets({ requestFile: join(job, 'request.json'), outDir, profile });
    expect(outcome.ok).toBe(false);
    const files = outcome.jobs[0]!.files;
    expect(files.map((f) => [f.mode, f.ok, f.error])).toEqual([
      ['unfixable', false, 'it is truncated or damaged (VipsJpeg: premature end of JPEG image)'],
      ['reencode', true, null],
    ]);
    expect(outcome.jobs[0]!.requestOutput).toBeNull();
    // the output, and fix's manifest of what it wrote there
    expect((await readdir(outDir)).sort()).toEqual(['.seedance-preflight-outputs.json', 'clip.mp4']);
  });
});

describe('fix: cache, originals, interruption', () => {
  it('re-running on unchanged inputs encodes nothing: outputs come from the fix cache, same bytes', async () => {
    const cache = new FixCache(join(dir, 'fix-cache'));
    const sources = [fixture('fps-15.mp4'), fixture('tone.flac'), fixture('image.tiff'), fixture('valid-3s.mp3')];
    const hashes = await Promise.all(sources.map(sha256));
    const first = await fixTargets({ paths: sources, outDir: join(dir, 'cache-1'), profile, fixCache: cache });
    const second = await fixTargets({ paths: sources, outDir: join(dir, 'cache-2'), profile, fixCache: cache });
    expect(first.jobs[0]!.files.map((f) => [f.mode, f.cached])).toEqual([['reencode', false], ['reencode', false], ['convert', false], ['copy', false]]);
    expect(second.jobs[0]!.files.map((f) => [f.mode, f.cached])).toEqual([['reencode', true], ['reencode', true], ['convert', true], ['copy', false]]);
    expect(second.ok).toBe(true);
    for (const [i, file] of second.jobs[0]!.files.entries()) expect(await sha256(file.output!)).toBe(await sha256(first.jobs[0]!.files[i]!.output!));
    // originals only ever read
    expect(await Promise.all(sources.map(sha256))).toEqual(hashes);
  });

  it('an aborted run leaves neither a file under a final name nor a partial file, once fixTargets has settled', async () => {
    const source = await makeClip(dir, 'slow-10s.mp4', { width: 854, height: 480, fps: 15, seconds: 10 });
    await copyFile(source, join(dir, 'slow-copy.mp4'));
    const outDir = join(dir, 'aborted');
    const controller = new AbortController();
    let seenWhileRunning: string[] = [];
    const run = fixTargets({
      paths: [source, join(dir, 'slow-copy.mp4')],
      outDir,
      profile,
      concurrency: 2,
      signal: controller.signal,
      onFileProgress: (_path, fraction) => {
        if (fraction >= 1 || controller.signal.aborted) return;
        seenWhileRunning = readdirSync(outDir);
        controller.abort();
      },
    });
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    // the whole fix reports it (its outcome keeps what each file did): both encodes were stopped part-way
    expect((error as CancelledError).message).toBe('the fix was cancelled');
    expect((error as FixInterruptedError).outcome.jobs.flatMap((j) => j.files.map((f) => f.interrupted))).toEqual(['stopped', 'stopped']);
    // while they ran, the outputs existed only under hidden temporary names
    const marker = `spf-${HOST_TAG}-${process.pid}-[0-9a-f]{8}`;
    expect(seenWhileRunning.sort()).toEqual([expect.stringMatching(new RegExp(`^\\.slow-10s\\.${marker}\\.partial\\.mp4$`)), expect.stringMatching(new RegExp(`^\\.slow-copy\\.${marker}\\.partial\\.mp4$`))]);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('removes partial files a killed run of this host left behind, and leaves other files alone (a user\'s old-scheme-looking name too)', async () => {
    const outDir = join(dir, 'stale');
    await mkdir(outDir);
    const killed = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => killed.on('exit', resolve));
    await writeFile(join(outDir, `.clip.spf-${HOST_TAG}-${killed.pid}-0123abcd.partial.mp4`), 'half an encode');
    await writeFile(join(outDir, '.clip.0123abcd.partial.mp4'), 'mine: named like a temporary of an earlier version');
    await writeFile(join(outDir, 'notes.txt'), 'mine');
    const outcome = await fixTargets({ paths: [fixture('valid-3s.wav')], outDir, profile });
    expect(outcome.ok).toBe(true);
    expect((await readdir(outDir)).sort()).toEqual(['.clip.0123abcd.partial.mp4', '.seedance-preflight-outputs.json', 'notes.txt', 'valid-3s.wav']);
  });
});
