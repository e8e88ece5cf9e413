import diagnostics from 'node:diagnostics_channel';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRemote } from '../../src/probe/remote/read-remote.js';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { setVerboseSink, verboseEnabled } from '../../src/shared/verbose-log.js';
import { uploadFiles } from '../../src/upload/upload-files.js';
import { fixture } from '../helpers/fixtures.js';
import { S3_ENV, localSettings } from '../helpers/s3-env.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { putFixtures } from '../helpers/sandbox-media.js';
import { refusedConnection } from '../helpers/refused-connection.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-verbose-http-', { taskDurationMs: 100 });
let store: S3Store;
beforeAll(async () => (store = await startS3Store({ buckets: ['media'] })));
afterAll(() => store.close());

let lines: string[] = [];
afterEach(() => {
  setVerboseSink(null);
  lines = [];
});
const listen = () => setVerboseSink((line) => lines.push(line));
/** Each line with its milliseconds written as MS (and a task id as TASK). */
const shapes = () => lines.map((line) => line.replace(/in \d+ ms/g, 'in MS ms').replace(/task-unified-[\w-]+/g, 'TASK'));
const CHANNELS = ['undici:request:create', 'undici:request:headers', 'undici:request:error', 'http.client.request.start', 'http.client.response.finish', 'http.client.request.error'];

describe('without a sink', () => {
  it('no channel has a subscriber, so fetch and node:http do not even publish; with one they do, and null stops them again', () => {
    expect(verboseEnabled()).toBe(false);
    expect(CHANNELS.filter((name) => diagnostics.hasSubscribers(name))).toEqual([]);
    listen();
    expect(CHANNELS.filter((name) => diagnostics.hasSubscribers(name))).toEqual(CHANNELS);
    setVerboseSink(null);
    expect(CHANNELS.filter((name) => diagnostics.hasSubscribers(name))).toEqual([]);
  });
});

describe('the API client over real HTTP (sandbox)', () => {
  it('logs each request and answer by method, URL, status and time, and never the API key', async () => {
    const { sandbox } = box;
    const client = sandboxClient(sandbox);
    listen();
    const created = await client.createTask({ model: 'seedance-2.0-text-to-video', prompt: 'A glass frog on a leaf' });
    const done = await client.waitForTask(created.id);
    await client.downloadResult(done, join(box.dir, 'result.mp4'));
    const base = sandbox.apiBaseUrl;
    const shown = shapes();
    expect(shown.slice(0, 2)).toEqual([`→ POST ${base}/v1/videos/generations`, `← 200 POST ${base}/v1/videos/generations in MS ms`]);
    const polls = shown.slice(2, -2);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(polls)).toEqual(new Set([`→ GET ${base}/v1/tasks/TASK`, `← 200 GET ${base}/v1/tasks/TASK in MS ms`]));
    const result = done.results![0]!;
    const resultShown = result.replace(/task-unified-[\w-]+/g, 'TASK');
    expect(shown.slice(-2)).toEqual([`→ GET ${resultShown}`, `← 200 GET ${resultShown} in MS ms`]);
    expect(lines.join('\n')).not.toContain(sandbox.apiKey);
  });

  it('a refused connection: one failure line with the reason', async () => {
    // a port that refused a connection a moment ago (its server closed)
    const { port } = (await refusedConnection()) as Error & { port: number };
    listen();
    await expect(fetch(`http://127.0.0.1:${port}/v1/tasks/x`)).rejects.toThrow('fetch failed');
    expect(shapes()).toEqual([`→ GET http://127.0.0.1:${port}/v1/tasks/x`, `✗ GET http://127.0.0.1:${port}/v1/tasks/x failed in MS ms: connect ECONNREFUSED 127.0.0.1:${port}`]);
  });

  it('a media URL read (ranged GETs) logs each range request, not its Range header', async () => {
    const [url] = await putFixtures(box.sandbox, ['valid-854x480-30fps.mp4']);
    listen();
    const read = await readRemote(url!);
    expect(read.ok).toBe(true);
    const http = shapes().filter((line) => !line.includes('ffmpeg'));
    expect(http.slice(0, 2)).toEqual([`→ GET ${url}`, `← 206 GET ${url} in MS ms`]);
    // mediabunny may drop a request it no longer needs, before or after its answer: the tool's own abort, said as such
    expect(http.filter((line) => ![`→ GET ${url}`, `← 206 GET ${url} in MS ms`, `✗ GET ${url} aborted in MS ms`, `✗ GET ${url} aborted after 206 in MS ms`].includes(line))).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/range|bytes=/i);
  });
});

describe('S3 (AWS SDK over node:http) against s3rver', () => {
  it('a presigned upload logs HEAD and PUT without signature or credentials, and the URL check with its query masked', async () => {
    listen();
    const [result] = await uploadFiles([fixture('valid-3s.wav')], localSettings(store.endpoint, { prefix: 'verbose', urlMode: 'presigned', expiresSeconds: 7200 }), { env: S3_ENV });
    const object = `${store.endpoint}/media/${result!.key}`;
    const date = new URL(result!.url).searchParams.get('X-Amz-Date');
    const signed = `${object}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=***&X-Amz-Date=${date}&X-Amz-Expires=7200&X-Amz-Signature=***&X-Amz-SignedHeaders=host&x-id=GetObject`;
    expect(shapes()).toEqual([
      `→ HEAD ${object}`,
      `← 404 HEAD ${object} in MS ms`,
      `→ PUT ${object}?x-id=PutObject`,
      `← 200 PUT ${object}?x-id=PutObject in MS ms`,
      `→ GET ${signed}`,
      `← 206 GET ${signed} in MS ms`,
    ]);
    const all = lines.join('\n');
    for (const secret of [S3_ENV.AWS_ACCESS_KEY_ID, S3_ENV.AWS_SECRET_ACCESS_KEY, new URL(result!.url).searchParams.get('X-Amz-Signature')!]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/authorization|x-amz-content-sha256:|AWS4-HMAC-SHA256 Credential/i);
  });
});
