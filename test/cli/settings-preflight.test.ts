import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_TEXT } from '../../src/cli/settings-check.js';
import { fixture } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';

let dir: string;
/** Nothing set: no AWS_*, SEEDANCE_S3_*, SEEDANCE_QUEUE_URL or EVOLINK_* variable of this process, and the shared AWS files missing. */
let bare: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-settings-'));
  const unset = Object.keys(process.env).filter((name) => /^(AWS_|SEEDANCE_S3_|SEEDANCE_QUEUE_URL|EVOLINK_)/.test(name));
  bare = {
    ...Object.fromEntries(unset.map((name) => [name, undefined])),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    // no instance role either: otherwise credentials may come from the EC2 metadata service, and nothing is missing up front
    AWS_EC2_METADATA_DISABLED: 'true',
    SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache'),
  };
  // the dry runs get their own folder: they make a work folder, the refused runs must not
  for (const job of ['job', 'dry']) {
    await mkdir(join(dir, job));
    await copyFile(fixture('landscape-1280x720.jpg'), join(dir, job, 'a.jpg'));
    await writeFile(join(dir, job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 turns', image_urls: ['a.jpg'], duration: 5 }));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const prefix = 'seedance-preflight: ';

describe('settings are checked once, before any work', () => {
  it('run with nothing set: exit 2, one line naming every missing setting, nothing fixed (no work folder)', async () => {
    const result = await cli(['run', 'job'], { env: bare, cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `${prefix}run cannot start: 3 settings are missing: ${MISSING_TEXT.bucket}; ${MISSING_TEXT['aws-credentials']}; ${MISSING_TEXT['api-key']}\n`,
    });
    expect(await readdir(join(dir, 'job'))).toEqual(['a.jpg', 'request.json']);
  });

  it('batch with nothing set: the same three, exit 2; worker: the queue too', async () => {
    const line = `3 settings are missing: ${MISSING_TEXT.bucket}; ${MISSING_TEXT['aws-credentials']}; ${MISSING_TEXT['api-key']}\n`;
    const batch = await cli(['batch', '.'], { env: bare, cwd: dir });
    expect(batch).toEqual({ code: 2, stdout: '', stderr: `${prefix}batch cannot start: ${line}` });
    const worker = await cli(['worker'], { env: bare, cwd: dir });
    expect(worker).toEqual({ code: 2, stdout: '', stderr: `${prefix}worker cannot start: 4 settings are missing: ${MISSING_TEXT.queue}; ${line.slice('3 settings are missing: '.length)}` });
    expect(existsSync(join(dir, 'job/.seedance-preflight'))).toBe(false);
  });

  it('the same missing credentials: exit 2 with the same wording in upload and run (run once the rest is set)', async () => {
    const upload = await cli(['upload', 'job/a.jpg', '--bucket', 'media'], { env: bare, cwd: dir });
    const run = await cli(['run', 'job', '--bucket', 'media'], { env: { ...bare, EVOLINK_API_KEY: 'k' }, cwd: dir });
    expect(upload).toEqual({ code: 2, stdout: '', stderr: `${prefix}upload cannot start: 1 setting is missing: ${MISSING_TEXT['aws-credentials']}\n` });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${prefix}run cannot start: 1 setting is missing: ${MISSING_TEXT['aws-credentials']}\n` });
    expect(existsSync(join(dir, 'job/.seedance-preflight'))).toBe(false);
  });

  it('a missing setting and a wrong value are reported together', async () => {
    const result = await cli(['run', 'job', '--url-mode', 'private'], { env: { ...bare, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', EVOLINK_API_KEY: 'k' }, cwd: dir });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${prefix}run cannot start: 2 settings are missing or wrong: ${MISSING_TEXT.bucket}; --url-mode must be "public" or "presigned", not "private"\n` });
  });

  it('run --dry-run with nothing set: exit 0, placeholder URLs, one note on what a real run needs', async () => {
    const result = await cli(['run', 'dry', '--dry-run'], { env: bare, cwd: dir });
    const key = `${createHash('sha256').update(await readFile(fixture('landscape-1280x720.jpg'))).digest('hex')}.jpg`;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`          "s3://<bucket: not set>/${key}"\n`);
    const notes = result.stderr.split('\n').filter((line) => line.includes('note: a dry run'));
    expect(notes).toEqual([`${prefix}note: a dry run needs no settings; a real run would also need ${MISSING_TEXT.bucket}; ${MISSING_TEXT['aws-credentials']}; ${MISSING_TEXT['api-key']}`]);
  });

  it('batch --dry-run with nothing set: exit 0, placeholder URLs, the note once for the whole batch', async () => {
    const result = await cli(['--json', 'batch', 'dry', '--dry-run'], { env: bare, cwd: dir });
    const key = `${createHash('sha256').update(await readFile(fixture('landscape-1280x720.jpg'))).digest('hex')}.jpg`;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).jobs.map((job: { request: { image_urls: string[] } }) => job.request.image_urls)).toEqual([[`s3://<bucket: not set>/${key}`]]);
    expect(result.stderr.split('\n').filter((line) => line.includes('note: a dry run'))).toEqual([`${prefix}note: a dry run needs no settings; a real batch would also need ${MISSING_TEXT.bucket}; ${MISSING_TEXT['aws-credentials']}; ${MISSING_TEXT['api-key']}`]);
  });

  it('run --dry-run with a bucket: its URLs as a real run would have them, no note about the bucket', async () => {
    const result = await cli(['run', 'dry', '--dry-run', '--bucket', 'media', '--prefix', 'seedance'], { env: bare, cwd: dir });
    const key = `${createHash('sha256').update(await readFile(fixture('landscape-1280x720.jpg'))).digest('hex')}.jpg`;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`          "https://media.s3.us-east-1.amazonaws.com/seedance/${key}"\n`);
    expect(result.stderr.split('\n').filter((line) => line.includes('note: a dry run'))).toEqual([`${prefix}note: a dry run needs no settings; a real run would also need ${MISSING_TEXT['aws-credentials']}; ${MISSING_TEXT['api-key']}`]);
  });
});
