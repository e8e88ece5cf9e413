import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFixJson } from '../../src/cli/output/fix-json.js';
import { formatFixText, formatSharedCuts } from '../../src/cli/output/fix-text.js';
import { shower } from '../../src/cli/output/display.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import type { Profile } from '../../src/spec/profile.js';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { startMediaServer } from '../probe/remote/media-server.js';

/** fix --dry-run shows what its plan leaves (issue 20, item 4): real probes of committed fixtures, nothing encoded. */

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-dry-plan-')));
afterAll(async () => cleanup?.());

/** A job folder with request.json naming copies of `files` (fixture names) in video_urls, plus `fields`. */
async function job(name: string, files: readonly string[], fields: Record<string, unknown> = {}): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const refs = await Promise.all(files.map(async (file, i) => (await copyFile(fixture(file), join(folder, `v${i + 1}.mp4`)), `v${i + 1}.mp4`)));
  await writeFile(join(folder, 'request.json'), JSON.stringify({ model: REFERENCE_MODEL, prompt: 'a calm scene', video_urls: refs, ...fields }));
  return join(folder, 'request.json');
}

const dryRun = (requestFile: string, profile: Profile = SEED_PROFILE) => fixTargets({ requestFile, profile, outDir: join(dir, 'out'), dryRun: true });

describe('fix --dry-run: the violations that remain after the plan', () => {
  it('1 s, 16 s and 16 s: the short clip is extended and the long ones share what is left; nothing remains', async () => {
    const outcome = await dryRun(await job('converges', ['short-1s.mp4', 'long-16s.mp4', 'long-16s.mp4']));
    expect(outcome.ok).toBe(true);
    const text = formatFixText(outcome, dir).split('\n');
    expect(text.filter((line) => line.includes('duration'))).toEqual([
      '    video.duration               extend 1 s → 2.1 s (last frame held, silence added)',
      '    video.duration               trim 16 s → 6.3 s (from the start)',
      '    video.duration               trim 16 s → 6.3 s (from the start)',
    ]);
    expect(text.at(-2)).toBe('Plan (dry run, nothing written): 3 files (3 re-encoded, 0 remuxed, 0 converted).');
    expect(JSON.parse(formatFixJson(outcome, dir)).request).toEqual({ ok: true, violations: [] });
  });

  it('a request field fix does not repair: shown under the request, and the dry run fails as the fix would', async () => {
    const outcome = await dryRun(await job('field', ['valid-854x480-30fps.mp4'], { duration: 30 }));
    expect(outcome.ok).toBe(false);
    expect(formatFixText(outcome, dir).split('\n').slice(-4)).toEqual([
      '✗ request field/request.json',
      '    error   duration 30 is not a whole number of seconds from 4 to 15; allowed: 4–15 s (rule request.duration). To do: set "duration" to an integer from 4 to 15.',
      'Plan (dry run, nothing written): 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 to copy as is; the request will still have errors.',
      '',
    ]);
    const json = JSON.parse(formatFixJson(outcome, dir)) as { ok: boolean; request: { ok: boolean; violations: { rule: string }[] } };
    expect([json.ok, json.request.ok, json.request.violations.map((v) => v.rule)]).toEqual([false, false, ['request.duration']]);
  });

  it('three 1 s clips under a 6 s cap: no cut can fit; said before any encode, and left on the request', async () => {
    const tight: Profile = { ...SEED_PROFILE, request: { ...SEED_PROFILE.request, totalVideoSeconds: { value: 6, source: 'test: 6 s' } } };
    const requestFile = await job('tight', ['short-1s.mp4', 'short-1s.mp4', 'short-1s.mp4']);
    let before: string | null = null;
    const outcome = await fixTargets({ requestFile, profile: tight, outDir: join(dir, 'out-tight'), dryRun: true, onPlanned: (label, plans, remaining) => (before = formatSharedCuts(label, plans, shower(dir), remaining)) });
    const sentence = 'no cut can bring the video files under 6 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended), they still need 6.6 s together (v1.mp4 2.2 s, v2.mp4 2.2 s, v3.mp4 2.2 s); allowed: at most 6 s (rule request.video_total_duration). To do: use fewer video files.';
    expect(before).toBe(`tight/request.json: the request cannot conform after this fix:\n    error   ${sentence}\n`);
    expect(outcome.ok).toBe(false);
    expect(formatFixText(outcome, dir).split('\n').slice(-4, -2)).toEqual(['✗ request tight/request.json', `    error   ${sentence}`]);
  });

  it('a media URL (read with remote) is held as it is: the local clip alone is cut around it, or check and the plan both say no cut fits', async () => {
    const server = await startMediaServer(join(fixture('valid-854x480-30fps.mp4'), '..'));
    try {
      const cap = (value: number): Profile => ({ ...SEED_PROFILE, request: { ...SEED_PROFILE.request, totalVideoSeconds: { value, source: `test: ${value} s` } } });
      const requestFile = await job('url', ['long-16s.mp4'], { video_urls: [`${server.base}/valid-854x480-30fps.mp4`, 'v1.mp4'] });
      // 6 s: the URL, read as 3 s, leaves 3 s: the 16 s clip is cut to 2.9 s (its margin kept)
      const roomy = await fixTargets({ requestFile, profile: cap(6), outDir: join(dir, 'out-url'), dryRun: true, remote: true });
      expect(roomy.jobs[0]!.files.map((f) => [f.path, f.actions.map((a) => a.what)])).toEqual([[join(dir, 'url', 'v1.mp4'), ['trim 16 s → 2.9 s (from the start)']]]);
      expect(roomy.ok).toBe(true);
      // 4 s: the URL and a 2 s cut take 5.1 s; check --remote says so, with the plan's sentence
      const checked = await checkTargets({ requestFile, profile: cap(4), remote: true });
      const sentence = `no cut can bring the video files under 4 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended, URLs as they are), they still need 5.1 s together (${server.base}/valid-854x480-30fps.mp4 3 s, v1.mp4 2.1 s)`;
      expect(checked.jobs[0]!.request.violations.map((v) => [v.rule, v.fixable, v.problem])).toEqual([['request.video_total_duration', false, sentence]]);
      const tight = await fixTargets({ requestFile, profile: cap(4), outDir: join(dir, 'out-url'), dryRun: true, remote: true });
      expect(tight.jobs[0]!.request.violations.map((v) => [v.rule, v.fixable, v.problem])).toEqual([['request.video_total_duration', false, sentence]]);
    } finally {
      await server.close();
    }
  });

  it('a file fix cannot repair: its errors by rule, in place of the bare reason', async () => {
    const outcome = await dryRun(await job('unfixable', ['vvc-no-decoder.mp4']));
    const lines = formatFixText(outcome, dir).split('\n');
    expect(lines[0]).toBe('✗ unfixable/v1.mp4  cannot be fixed');
    expect(lines[1]).toBe('    error   video codec is vvc, which the provider may not decode; allowed: one of h264, hevc (rule video.codec). To do: not fixable here: the ffmpeg in use has no decoder for vvc; export the video again as H.264 MP4.');
  });
});
