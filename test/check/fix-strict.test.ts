import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-fix-strict-'));
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
  await copyFile(fixture('hevc.mp4'), join(dir, 'hevc.mp4'));
  await copyFile(fixture('valid-854x480-30fps.mp4'), join(dir, 'clip.mp4'));
  await writeFile(join(dir, 'misspelled.json'), JSON.stringify({ model: REFERENCE_MODEL, prompt: 'A cat walks along a rainy street.', video_urls: ['clip.mp4'], durration: 5 }));
});
afterAll(() => cleanup());

const fix = (out: string, ...args: string[]) => cli(['fix', '--out', join(dir, out), ...args], { env, cwd: dir });
const hevcWarning = 'video codec is HEVC, accepted but less safe than H.264; allowed: one of h264, hevc (rule video.codec). Fix: re-encode to H.264 if the provider rejects it (seedance-preflight fix does this).';

describe('fix --strict: a warning left on an output or on the written request fails the fix (exit 1)', () => {
  it('an HEVC clip is copied as is and passes without --strict', async () => {
    const run = await fix('plain', 'hevc.mp4');
    expect(run.stdout).toBe('✓ hevc.mp4 → plain/hevc.mp4  copied as is\nFixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check.\n');
    expect(run.code).toBe(0);
  });

  it('with --strict its output keeps the HEVC warning: named under the file, FAILED in the summary, exit 1', async () => {
    const run = await fix('strict', 'hevc.mp4', '--strict');
    expect(run.stdout.split('\n')).toEqual([
      '✓ hevc.mp4 → strict/hevc.mp4  copied as is',
      `    warning ${hevcWarning}`,
      'Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check; FAILED (--strict): 1 warning remains (video.codec).',
      '',
    ]);
    expect(run.code).toBe(1);
  });

  it('--fail-on warning --json: the file and the whole are not ok; outputViolations names what the output still breaks', async () => {
    const run = await fix('json', 'hevc.mp4', '--fail-on', 'warning', '--json');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.files.map((f: { ok: boolean; output: string; outputViolations: Array<{ rule: string; severity: string; subject: string }> }) => [f.ok, f.output, f.outputViolations.map((v) => `${v.severity} ${v.rule} ${v.subject}`)])).toEqual([
      [false, 'json/hevc.mp4', ['warning video.codec json/hevc.mp4']],
    ]);
    expect(doc.request).toEqual({ ok: true, violations: [] });
  });

  it('a request whose unknown field fix copies into request.json fails with --strict, passes without', async () => {
    const strict = await fix('req-strict', '--request', 'misspelled.json', '--strict');
    expect(strict.stdout.split('\n').slice(-3)).toEqual([
      '    warning unknown field "durration" (did you mean "duration"?) (rule request.unknown_field). To do: rename "durration" to "duration".',
      'Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check; FAILED (--strict): 1 warning remains (request.unknown_field).',
      '',
    ]);
    expect(strict.code).toBe(1);
    const plain = await fix('req-plain', '--request', 'misspelled.json');
    expect(plain.stdout.split('\n').at(-2)).toBe('Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check.');
    expect(plain.code).toBe(0);
  });

  it('a clean file passes with --strict', async () => {
    const run = await fix('clean', 'clip.mp4', '--strict');
    expect(run.stdout).toBe('✓ clip.mp4 → clean/clip.mp4  copied as is\nFixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 copied as is; every output passes check.\n');
    expect(run.code).toBe(0);
  });

  it('--strict with --fail-on error is a usage error (exit 2), as in check', async () => {
    const run = await fix('contradict', 'clip.mp4', '--strict', '--fail-on', 'error');
    expect(run.stderr).toContain('--strict and --fail-on error contradict each other: give one (--strict is --fail-on warning)');
    expect(run.code).toBe(2);
  });
});
