import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';

let dir: string;
let cleanup: () => Promise<void>;
let misspelled: string;
let clean: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-check-strict-'));
  await copyFile(fixture('valid-854x480-30fps.mp4'), join(dir, 'clip.mp4'));
  // the request: the media field misspelled, so the request has no media at all, and a misspelled duration
  misspelled = join(dir, 'misspelled.json');
  await writeFile(misspelled, JSON.stringify({ model: REFERENCE_MODEL, prompt: 'A cat walks along a rainy street.', video_url: ['clip.mp4'], durration: 5 }));
  clean = join(dir, 'clean.json');
  await writeFile(clean, JSON.stringify({ model: REFERENCE_MODEL, prompt: 'A cat walks along a rainy street.', video_urls: ['clip.mp4'], duration: 5 }));
});
afterAll(() => cleanup());

// run in the temp folder: its files are named by their names there
const check = (...args: string[]) => cli(['check', '--no-cache', ...args], { cwd: dir });
const warningLines = [
  '    warning unknown field "video_url" (did you mean "video_urls"?); as written the request names no media at all (rule request.unknown_field). To do: rename "video_url" to "video_urls".',
  '    warning unknown field "durration" (did you mean "duration"?) (rule request.unknown_field). To do: rename "durration" to "duration".',
];

describe('check: unknown request fields name the field they likely mean', () => {
  it('warns with "did you mean" and exits 0 without --strict', async () => {
    const run = await check('--request', misspelled);
    expect(run.stdout.split('\n')).toEqual(['! request misspelled.json', ...warningLines, 'OK: 0 files checked: 0 ok, 0 failing; 0 errors, 2 warnings', '']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('--json carries the guess as the fix', async () => {
    const run = await check('--request', misspelled, '--json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.ok).toBe(true);
    expect(json.request.ok).toBe(true);
    expect(json.request.violations.map((v: { rule: string; actual: string; fix: string }) => [v.rule, v.actual, v.fix])).toEqual([
      ['request.unknown_field', 'video_url', 'rename "video_url" to "video_urls"'],
      ['request.unknown_field', 'durration', 'rename "durration" to "duration"'],
    ]);
  });
});

describe('check --strict (alias --fail-on warning)', () => {
  it('fails on warnings with exit 1 and says why in the summary', async () => {
    const run = await check('--request', misspelled, '--strict');
    expect(run.stdout.split('\n')).toEqual(['! request misspelled.json', ...warningLines, 'FAILED (--strict): 0 files checked: 0 ok, 0 failing; 0 errors, 2 warnings', '']);
    expect(run).toMatchObject({ code: 1, stderr: '' });
  });

  it('--fail-on warning is the same, and names itself', async () => {
    const run = await check('--request', misspelled, '--fail-on', 'warning');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').at(-2)).toBe('FAILED (--fail-on warning): 0 files checked: 0 ok, 0 failing; 0 errors, 2 warnings');
  });

  it('--fail-on error is the default', async () => {
    const run = await check('--request', misspelled, '--fail-on', 'error');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').at(-2)).toBe('OK: 0 files checked: 0 ok, 0 failing; 0 errors, 2 warnings');
  });

  it('--json: ok is false at the top, and for the request', async () => {
    const run = await check('--request', misspelled, '--json', '--strict');
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect([json.ok, json.request.ok, json.request.violations.map((v: { severity: string }) => v.severity)]).toEqual([false, false, ['warning', 'warning']]);
  });

  it('a file with only a warning counts as failing', async () => {
    const hevc = fixture('hevc.mp4');
    const plain = await check(hevc);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n').at(-2)).toBe('OK: 1 file checked: 1 ok, 0 failing; 0 errors, 1 warning');
    const strict = await check(hevc, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stdout.split('\n').at(-2)).toBe('FAILED (--strict): 1 file checked: 0 ok, 1 failing; 0 errors, 1 warning');
    const json = JSON.parse((await check(hevc, '--strict', '--json')).stdout);
    expect(json.files.map((f: { ok: boolean }) => f.ok)).toEqual([false]);
  });

  it('passes a clean request: exit 0, OK', async () => {
    const run = await check('--request', clean, '--strict');
    expect(run.stdout.split('\n').at(-2)).toBe('OK: 1 file checked: 1 ok, 0 failing; 0 errors, 0 warnings');
    expect(run.code).toBe(0);
  });

  it('errors fail as before, without naming --strict', async () => {
    const run = await check(fixture('fps-15.mp4'), '--strict');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').at(-2)).toBe('FAILED: 1 file checked: 0 ok, 1 failing; 1 error, 0 warnings (1 fixable: run seedance-preflight fix)');
  });

  it('JUnit: warnings are failures under --strict, output otherwise', async () => {
    const strictXml = join(dir, 'strict.xml');
    const plainXml = join(dir, 'plain.xml');
    expect((await check('--request', misspelled, '--strict', '--junit', strictXml)).code).toBe(1);
    expect((await check('--request', misspelled, '--junit', plainXml)).code).toBe(0);
    const strict = await readFile(strictXml, 'utf8');
    const plain = await readFile(plainXml, 'utf8');
    expect(strict).toContain('<testsuites tests="1" failures="1" errors="0" skipped="0">');
    expect(strict).toContain(
      `<failure message="warning: misspelled.json: unknown field &quot;video_url&quot; (did you mean &quot;video_urls&quot;?); as written the request names no media at all (rule request.unknown_field). To do: rename &quot;video_url&quot; to &quot;video_urls&quot;.&#xA;warning: misspelled.json: unknown field &quot;durration&quot; (did you mean &quot;duration&quot;?) (rule request.unknown_field). To do: rename &quot;durration&quot; to &quot;duration&quot;." type="request.unknown_field"/>`,
    );
    expect(plain).toContain('<testsuites tests="1" failures="0" errors="0" skipped="0">');
    expect(plain).not.toContain('<failure');
    expect(plain).toContain('<system-out>');
  });

  it("--report: the header's verdict is the exit code's", async () => {
    const plainHtml = join(dir, 'plain.html');
    const strictHtml = join(dir, 'strict.html');
    expect((await check('--request', misspelled, '--report', plainHtml)).code).toBe(0);
    expect((await check('--request', misspelled, '--strict', '--report', strictHtml)).code).toBe(1);
    const header = async (file: string) => (await readFile(file, 'utf8')).match(/<h1>.*?<\/h1>/)?.[0];
    expect(await header(plainHtml)).toBe('<h1>seedance-preflight check <span class="badge ok">ok</span></h1>');
    expect(await header(strictHtml)).toBe('<h1>seedance-preflight check <span class="badge failed">failed</span></h1>');
  });

  it('--strict with --fail-on error is a usage error; so is an unknown level', async () => {
    expect(await check('--request', misspelled, '--strict', '--fail-on', 'error')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'seedance-preflight: --strict and --fail-on error contradict each other: give one (--strict is --fail-on warning)\n',
    });
    expect(await check('--request', misspelled, '--fail-on', 'bogus')).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: option '--fail-on <level>' argument 'bogus' is invalid. Allowed choices are error, warning.\n(run with --help for usage)\n",
    });
  });
});
