import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

// every URL setting carries a user and a password; none of these texts may appear in any output or file the tool writes
const PASS = { api: 'API-URL-PASS-7f3a', s3: 'S3-URL-PASS-91bc', cdn: 'CDN-URL-PASS-04de', redis: 'REDIS-URL-PASS-5e21', proxy: 'PROXY-URL-PASS-c8d9', media: 'MEDIA-URL-PASS-3b6f' };
const USERS = ['apiuser', 's3user', 'cdnuser', 'proxyuser', 'mediauser'];
const box = useSandbox('sp-redact-', { taskDurationMs: 300 });

const port = (url: string) => new URL(url).port;
const urls = () => ({
  api: `http://apiuser:${PASS.api}@127.0.0.1:${port(box.sandbox.apiBaseUrl)}`,
  s3: `http://s3user:${PASS.s3}@127.0.0.1:${port(box.sandbox.s3.endpoint)}`,
  cdn: `http://cdnuser:${PASS.cdn}@127.0.0.1:${port(box.sandbox.s3.endpoint)}/${box.sandbox.env.SEEDANCE_S3_BUCKET}`,
  // no Redis listens on port 1: the error that names it must not name its password
  redis: `redis://:${PASS.redis}@127.0.0.1:1/0`,
  proxy: `http://proxyuser:${PASS.proxy}@127.0.0.1:3128`,
});
const masked = { api: () => `http://***@127.0.0.1:${port(box.sandbox.apiBaseUrl)}`, s3: () => `http://***@127.0.0.1:${port(box.sandbox.s3.endpoint)}` };

/** The sandbox's settings with a URL carrying credentials in every variable that takes one. */
const env = () => ({ ...box.sandbox.env, SEEDANCE_S3_ENDPOINT: urls().s3, SEEDANCE_S3_PUBLIC_BASE_URL: urls().cdn, SEEDANCE_QUEUE_URL: urls().redis, HTTPS_PROXY: urls().proxy, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') });

const outputs: string[] = [];
async function cli(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const run = startCli(args, { ...env(), ...extraEnv });
  const { code } = await run.exited;
  outputs.push(run.stdout(), run.stderr());
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Every file under a folder, as bytes. */
async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const found: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) found.push({ path, bytes: await readFile(path) });
  }
  return found;
}

const secrets = () => [...Object.values(PASS), ...USERS, box.sandbox.apiKey, box.sandbox.env.AWS_SECRET_ACCESS_KEY!];

describe('one redaction policy: a URL\'s credentials are ***@ in every output and file', () => {
  it('doctor shows every URL setting masked', async () => {
    const { code, stdout } = await cli(['doctor', '--endpoint', urls().s3]);
    expect(code).toBe(0);
    expect(stdout).toContain(`API: ${box.sandbox.apiBaseUrl}  EVOLINK_API_KEY set (hidden)  request timeout 15 s\n`);
    expect(stdout).toContain(`endpoint ${masked.s3()} path-style  region`);
    expect(stdout).toContain(`public base URL http://***@127.0.0.1:${port(box.sandbox.s3.endpoint)}/${box.sandbox.env.SEEDANCE_S3_BUCKET}\n`);
    expect(stdout).toContain('queue: redis://***@127.0.0.1:1/0\n');
    expect(stdout).toContain('proxies: HTTPS_PROXY http://***@127.0.0.1:3128\n');
    const api = await cli(['--json', 'doctor', '--api-base', urls().api]);
    expect(JSON.parse(api.stdout).settings.api).toEqual({ baseUrl: masked.api(), apiKey: 'set (hidden)', requestTimeoutSeconds: 15, error: 'the API base URL carries credentials (user:password@), which are never sent: remove them' });
  });

  it('an API base with credentials: status and run refuse it before any request (exit 2), masked', async () => {
    const line = `seedance-preflight: --api-base ${masked.api()} carries credentials (user:password@), which are never sent (the API takes EVOLINK_API_KEY): remove the "user:password@" part\n`;
    const status = await cli(['status', 'task-unified-1-abc', '--api-base', urls().api]);
    expect([status.code, status.stderr]).toEqual([2, line]);
    const job = await writeAssetFolder(join(box.dir, 'job-api'), 91);
    const run = await cli(['--api-base', urls().api, 'run', job]);
    expect([run.code, run.stderr]).toEqual([2, line.replace('seedance-preflight: ', 'seedance-preflight: run cannot start: 1 setting is wrong: ')]);
    const fromEnv = await cli(['status', 'task-unified-1-abc'], { EVOLINK_BASE_URL: urls().api });
    expect([fromEnv.code, fromEnv.stderr]).toEqual([2, line.replace('--api-base', 'EVOLINK_BASE_URL')]);
  });

  it('a store endpoint with credentials: they are never sent; a failing upload names it masked', async () => {
    const file = join(box.dir, 'job-upload', 'still.png');
    await writeAssetFolder(join(box.dir, 'job-upload'), 92);
    const { code, stdout, stderr } = await cli(['upload', file, '--bucket', 'no-such-bucket-redact', '--endpoint', urls().s3, '--force-path-style']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`bucket "no-such-bucket-redact" does not exist at ${masked.s3()}`);
  });

  it('a run with the endpoint and public base URL carrying credentials: object URLs never carry them; journal and report hold none', async () => {
    const job = await writeAssetFolder(join(box.dir, 'job-run'), 93);
    const { code, stderr } = await cli(['run', job, '--force-path-style', '--report', join(box.dir, 'run.html')]);
    expect(stderr).not.toContain('Error:');
    const journal = await readFile(join(job, '.seedance-preflight', 'journal.json'), 'utf8');
    const uploads = (JSON.parse(journal) as { uploads?: { url: string }[] }).uploads ?? [];
    expect(uploads.length).toBeGreaterThan(0);
    for (const { url } of uploads) expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port(box.sandbox.s3.endpoint)}/`));
    expect(code).toBe(0);
    expect((await stat(join(box.dir, 'run.html'))).size).toBeGreaterThan(0);
  });

  it('a media URL with credentials in a request: refused at check, masked; nothing sent', async () => {
    const job = await writeAssetFolder(join(box.dir, 'job-media'), 94);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 over video 1', image_urls: ['still.png', `http://mediauser:${PASS.media}@127.0.0.1:9/extra.png`], video_urls: ['clip.mp4'] }));
    const creates = box.sandbox.simulator.counters().create;
    const { code, stdout, stderr } = await cli(['run', job, '--force-path-style', '--report', join(box.dir, 'media.html')]);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain('image_urls[1] (http://***@127.0.0.1:9/extra.png) carries credentials; the provider fetches media URLs without them');
    expect(box.sandbox.simulator.counters().create).toBe(creates);
  });

  it('the queue: queue status and batch --queue name the Redis URL masked (exit 2)', async () => {
    const unreachable = 'seedance-preflight: cannot reach Redis at 127.0.0.1:1 (ECONNREFUSED): start Redis there, or point --queue (or SEEDANCE_QUEUE_URL) at a running server\n';
    const status = await cli(['queue', 'status']);
    expect([status.code, status.stderr]).toEqual([2, unreachable]);
    const batch = await cli(['batch', join(box.dir, 'job-run'), '--queue', urls().redis]);
    expect([batch.code, batch.stderr]).toEqual([2, unreachable]);
    const malformed = await cli(['queue', 'status', '--queue', `redis://:${PASS.redis}@127.0.0.1:1/cache`]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--queue "redis://***@127.0.0.1:1/cache" names database "cache", not a whole number');
  });

  it('no password, user name, API key or AWS secret in any output, nor in any file under the work folder', async () => {
    for (const secret of secrets()) {
      for (const output of outputs) expect(output).not.toContain(secret);
    }
    // the user's own request.json holds its media URL's password: an input, not an output
    const userRequest = join(box.dir, 'job-media', 'request.json');
    const files = (await allFiles(box.dir)).filter((f) => f.path !== userRequest);
    expect(files.some((f) => f.path.endsWith('journal.json'))).toBe(true);
    expect(files.some((f) => f.path.endsWith('.html'))).toBe(true);
    // the journal's inputs (written before the check refused the job) hold that URL as a hash: a change still shows
    const mediaJournal = files.find((f) => f.path === join(box.dir, 'job-media', '.seedance-preflight', 'journal.json'))!;
    const { inputs } = JSON.parse(mediaJournal.bytes.toString('utf8')) as { inputs: { request: { image_urls: string[] } } };
    expect(inputs.request.image_urls[1]).toMatch(/^credentials:sha256:[0-9a-f]{64}$/);
    for (const { path, bytes } of files) {
      for (const secret of secrets()) expect(bytes.includes(secret), `${secret} in ${path}`).toBe(false);
    }
  });
});
