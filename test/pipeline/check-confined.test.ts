import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { PROMPT_FILE_MAX_BYTES } from '../../src/pipeline/asset-folder.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-check-confined-')));
afterAll(() => cleanup());

const rulesOf = (violations: readonly { rule: string }[]) => violations.map((v) => v.rule);

describe('checkTargets: a job opens nothing outside its folder', () => {
  it('request entries by ../, by absolute path and by a link in the folder: each file.outside_job, none probed; inside ones are', async () => {
    const job = join(dir, 'req');
    await mkdir(join(dir, 'shared'), { recursive: true });
    await mkdir(job);
    await copyFile(fixture('landscape-1280x720.jpg'), join(dir, 'shared/a.jpg'));
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'inside.jpg'));
    await symlink(join(dir, 'shared/a.jpg'), join(job, 'link.jpg'));
    await symlink('inside.jpg', join(job, 'link-in.jpg'));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1', image_urls: ['../shared/a.jpg', join(dir, 'shared/a.jpg'), 'link.jpg', 'inside.jpg', 'link-in.jpg'] }));
    const probed: string[] = [];
    const outcome = await checkTargets({ requestFile: join(job, 'request.json'), profile: SEED_PROFILE, onProbed: (_d, _t, path) => probed.push(path) });
    expect(outcome.report.files.map((f) => [f.path.slice(dir.length + 1), f.kind, rulesOf(f.violations)])).toEqual([
      ['shared/a.jpg', null, ['file.outside_job']],
      ['shared/a.jpg', null, ['file.outside_job']],
      ['req/link.jpg', null, ['file.outside_job']],
      ['req/inside.jpg', 'image', []],
      ['req/link-in.jpg', 'image', []],
    ]);
    expect(outcome.report.files[2]!.violations[0]!.problem).toBe(`it resolves to ${join(dir, 'shared/a.jpg')}, outside the job's folder ${job}; nothing outside a job is opened`);
    expect(probed.sort()).toEqual([join(job, 'inside.jpg'), join(job, 'link-in.jpg')]);
    const allowed = await checkTargets({ requestFile: join(job, 'request.json'), profile: SEED_PROFILE, allowOutsidePaths: true });
    expect(allowed.report.ok).toBe(true);
  });

  it('a prompt.txt past the bound is request.prompt, named once; one byte under it is read', async () => {
    const folder = join(dir, 'long-prompt');
    await mkdir(folder);
    await copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'a.jpg'));
    await writeFile(join(folder, 'prompt.txt'), 'a'.repeat(PROMPT_FILE_MAX_BYTES + 1));
    const long = await checkTargets({ paths: [folder], profile: SEED_PROFILE });
    expect(long.report.request.violations.map((v) => [v.rule, v.problem])).toEqual([
      ['request.prompt', `the prompt file ${join(folder, 'prompt.txt')} cannot be used: it is 262,145 bytes, over the 256 KiB a prompt file may hold`],
    ]);
    await writeFile(join(folder, 'prompt.txt'), `${'word '.repeat(100)}\n`);
    expect((await checkTargets({ paths: [folder], profile: SEED_PROFILE })).inputs[0]!.request!.prompt).toBe('word '.repeat(100).trim());
  });
});

describe('fixTargets: the fixed request keeps why the source prompt.txt was refused', () => {
  it('a FIFO prompt.txt: the verdict names the FIFO, not "prompt is missing"', async () => {
    const folder = join(dir, 'fifo-prompt');
    await mkdir(folder);
    await copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'a.jpg'));
    execFileSync('mkfifo', [join(folder, 'prompt.txt')]);
    const outcome = await fixTargets({ paths: [folder], profile: SEED_PROFILE, outDir: join(dir, 'fixed') });
    expect(outcome.ok).toBe(false);
    expect(outcome.jobs[0]!.request.violations.map((v) => [v.rule, v.subject, v.problem])).toEqual([
      ['request.prompt', folder, `the prompt file ${join(folder, 'prompt.txt')} cannot be used: it is a named pipe (FIFO), not a regular file`],
    ]);
  }, 30_000);
});
