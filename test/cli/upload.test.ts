import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { fixture } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { S3_ENV } from '../helpers/s3-env.js';

let store: S3Store;
beforeAll(async () => {
  store = await startS3Store({ buckets: ['media'] });
});
afterAll(() => store.close());

const MP3_KEY = '833d8122a84fb5ed358c83b0ae46e3e3c012395b3cba06e98dd936f8817ea862.mp3';
const PNG_KEY = 'db01032b281ff05d46136973e1218493fd6b50678071b44c7e05f0673c8cba6f.png';
const local = () => ['--endpoint', store.endpoint, '--force-path-style'];

describe('upload command', () => {
  it('prints each URL, then skips everything on a re-run (text)', async () => {
    const args = ['upload', 'fixtures/media/valid-3s.mp3', 'fixtures/media/tiny-200x200.png', '--bucket', 'media', '--prefix', 'cli-text', ...local()];
    const first = await cli(args, { env: S3_ENV });
    expect(first).toEqual({
      code: 0,
      stderr: '',
      stdout:
        `↑ uploaded fixtures/media/valid-3s.mp3  24.49 KB\n    ${store.endpoint}/media/cli-text/${MP3_KEY}\n` +
        `↑ uploaded fixtures/media/tiny-200x200.png  1.09 KB\n    ${store.endpoint}/media/cli-text/${PNG_KEY}\n` +
        '2 files: 2 uploaded (25.58 KB sent), 0 skipped (already in the bucket, 0 KB)\n',
    });
    const again = await cli(args, { env: S3_ENV });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('2 files: 0 uploaded (0 KB sent), 2 skipped (already in the bucket, 25.58 KB)\n');
    expect(again.stdout).toContain('= skipped  fixtures/media/valid-3s.mp3  24.49 KB\n');
  });

  it('--json with settings from SEEDANCE_S3_* variables: one document, per file path/key/url/bytes/uploaded, and the summary', async () => {
    const env = { ...S3_ENV, SEEDANCE_S3_BUCKET: 'media', SEEDANCE_S3_PREFIX: '/cli-json/', SEEDANCE_S3_ENDPOINT: store.endpoint, SEEDANCE_S3_FORCE_PATH_STYLE: 'true' };
    const run = await cli(['--json', 'upload', 'fixtures/media/valid-3s.mp3'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      files: [{ path: 'fixtures/media/valid-3s.mp3', key: `cli-json/${MP3_KEY}`, url: `${store.endpoint}/media/cli-json/${MP3_KEY}`, bytes: 24_494, uploaded: true, contentType: 'audio/mpeg', sha256: MP3_KEY.slice(0, 64) }],
      summary: { files: 1, uploaded: 1, skipped: 0, bytesSent: 24_494, bytesSkipped: 0 },
      warnings: [],
      error: null,
    });
  });

  it('presigned URLs shorter than an hour work but warn on stderr', async () => {
    const run = await cli(['--json', 'upload', 'fixtures/media/valid-3s.mp3', '--bucket', 'media', '--url-mode', 'presigned', '--expires', '600', ...local()], { env: S3_ENV });
    expect(run.code).toBe(0);
    const warning = "presigned URLs expire after 600 s, less than an hour: a task that waits in the provider's queue longer may fail to fetch its media (use --expires 86400 or more)";
    expect(run.stderr).toBe(`seedance-preflight: warning: ${warning}\n`);
    const doc = JSON.parse(run.stdout);
    expect(doc.warnings).toEqual([warning]);
    expect(new URL(doc.files[0].url).searchParams.get('X-Amz-Expires')).toBe('600');
  });

  it.each([
    [['upload', 'fixtures/media/valid-3s.mp3'], 'upload cannot start: 1 setting is missing: the S3 bucket (--bucket, SEEDANCE_S3_BUCKET or bucket in the config file)'],
    [['upload', 'fixtures/media', '--bucket', 'media'], 'fixtures/media: is a directory: upload takes media files (for a folder, pass its files: folder/*)'],
    [['upload', 'nope.mp4', '--bucket', 'media'], 'nope.mp4: does not exist: check the path'],
    [['upload', 'fixtures/media/valid-3s.mp3', '--bucket', 'media', '--url-mode', 'private'], 'upload cannot start: 1 setting is wrong: --url-mode must be "public" or "presigned", not "private"'],
    [['upload', 'fixtures/media/valid-3s.mp3', '--bucket', 'media', '--url-mode', 'presigned', '--expires', '604801'], 'upload cannot start: 1 setting is wrong: --expires must be between 1 and 604800 seconds (7 days, the longest a presigned URL lives), not 604801'],
    [['upload', 'fixtures/media/valid-3s.mp3', '--bucket', 'media', '--expires', '1h'], 'upload cannot start: 1 setting is wrong: --expires must be a whole number of seconds, not "1h"'],
  ])('usage error %j exits 2 with one line', async (args, message) => {
    const run = await cli(args, { env: { ...S3_ENV, SEEDANCE_S3_BUCKET: '' } });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
  });

  it('wrong credentials exit 2 with a clear message and no secret, in the JSON document too', async () => {
    const secret = 'cli-secret-NEVER-SHOWN';
    const run = await cli(['--json', 'upload', 'fixtures/media/valid-3s.mp3', '--bucket', 'media', ...local()], { env: { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN', AWS_SECRET_ACCESS_KEY: secret } });
    expect(run.code).toBe(2);
    const message = `fixtures/media/valid-3s.mp3: could not be uploaded: ${store.endpoint} does not know the access key id (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)`;
    expect(run.stderr).toBe(`seedance-preflight: ${message}\n  to do: seedance-preflight doctor shows the S3 settings in use\n`);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, files: [], summary: { files: 0, uploaded: 0, skipped: 0, bytesSent: 0, bytesSkipped: 0 }, warnings: [], error: { path: 'fixtures/media/valid-3s.mp3', stage: 'upload', code: 'InvalidAccessKeyId', message, hint: 'seedance-preflight doctor shows the S3 settings in use' } });
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('an absolute path is named from the folder the command ran in, in text and --json', async () => {
    const mp3 = fixture('valid-3s.mp3');
    const args = ['upload', mp3, '--bucket', 'media', '--prefix', 'cli-shown', ...local()];
    const text = await cli(args, { env: S3_ENV, cwd: dirname(mp3) });
    expect(text.stdout.split('\n')[0]).toBe('↑ uploaded valid-3s.mp3  24.49 KB');
    const json = await cli(['--json', ...args], { env: S3_ENV, cwd: join(dirname(mp3), '..') });
    expect((JSON.parse(json.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(['media/valid-3s.mp3']);
  });

  it('a URL that fails verification exits 1', async () => {
    const run = await cli(['upload', 'fixtures/media/valid-3s.wav', '--bucket', 'media', '--public-base-url', `${store.endpoint}/wrong-bucket`, ...local()], { env: S3_ENV });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^seedance-preflight: fixtures\/media\/valid-3s\.wav: its URL http:\/\/127\.0\.0\.1:\d+\/wrong-bucket\/[0-9a-f]{64}\.wav does not answer a plain GET \(it answered HTTP 404\): the object is not at that URL: check --public-base-url \(or SEEDANCE_S3_PUBLIC_BASE_URL\) and --endpoint\n$/);
  });
});
