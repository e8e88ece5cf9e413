import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../src/probe/probe-file.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 400, allowInsecureCallbacks: true, callbackPolicy: { retryDelaysMs: [10, 20, 40] } });
});
afterAll(() => sandbox.close());

const text = { model: 'seedance-2.0-text-to-video', prompt: 'a frog' };
const post = (body: unknown, key: string | null = sandbox.apiKey) =>
  fetch(`${sandbox.apiBaseUrl}/v1/videos/generations`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) }, body: JSON.stringify(body) });

describe('simulator', () => {
  it('answers 401 with the documented body without a key or with a wrong one', async () => {
    for (const key of [null, 'sk-wrong']) {
      const response = await post(text, key);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'Invalid or expired token', type: 'authentication_error' } });
    }
  });

  it('answers a forced 429 with Retry-After and the documented body, then serves again', async () => {
    sandbox.simulator.failNext(429, 1, { retryAfterSeconds: 7 });
    const limited = await post(text);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ error: { code: 'rate_limit_exceeded', message: 'Too many requests, please try again later', type: 'rate_limit_error' } });
    expect((await post(text)).status).toBe(200);
  });

  it('moves a task pending → processing → completed with rising progress, and serves a real MP4', async () => {
    const created = (await (await post(text)).json()) as { id: string };
    const get = async () => (await (await fetch(`${sandbox.apiBaseUrl}/v1/tasks/${created.id}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })).json()) as { status: string; progress: number; results?: string[] };
    const seen: { status: string; progress: number }[] = [];
    for (;;) {
      const task = await get();
      seen.push({ status: task.status, progress: task.progress });
      if (task.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses).toEqual(['pending', 'processing', 'completed']);
    expect(seen.map((s) => s.progress)).toEqual([...seen.map((s) => s.progress)].sort((a, b) => a - b));
    expect(seen.at(-1)!.progress).toBe(100);

    const probe = await probeFile(sandbox.simulator.resultPath);
    expect(probe.ok && probe.info.kind === 'video' ? [probe.info.format, probe.info.videoCodec, probe.info.width, probe.info.height, probe.info.duration] : probe).toEqual(['mp4', 'h264', 1280, 720, 2]);
  });

  it('POSTs the callback, retrying at the configured delays until a 2xx', async () => {
    let calls = 0;
    const receiver = createServer((req, res) => {
      req.resume();
      res.statusCode = ++calls < 3 ? 500 : 204;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const created = (await (await post({ ...text, callback_url: url })).json()) as { id: string };
      await expect.poll(() => sandbox.simulator.callbacks().filter((c) => c.taskId === created.id).map((c) => c.status), { timeout: 3000 }).toEqual([500, 500, 204]);
    } finally {
      receiver.close();
    }
  });

  it('counts requests and lists created tasks', async () => {
    const before = sandbox.simulator.counters();
    await post(text);
    await fetch(`${sandbox.apiBaseUrl}/v1/tasks/abc`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
    const after = sandbox.simulator.counters();
    expect([after.create - before.create, after.query - before.query, after.total - before.total]).toEqual([1, 1, 2]);
    expect(sandbox.simulator.createdTasks().length).toBe(4);
  });

  it('gives env with every variable the tool reads', () => {
    expect(Object.keys(sandbox.env).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'EVOLINK_API_KEY', 'EVOLINK_BASE_URL', 'SEEDANCE_S3_BUCKET', 'SEEDANCE_S3_ENDPOINT', 'SEEDANCE_S3_FORCE_PATH_STYLE', 'SEEDANCE_S3_URL_MODE']);
    expect(sandbox.env).toMatchObject({ EVOLINK_API_KEY: sandbox.apiKey, EVOLINK_BASE_URL: sandbox.apiBaseUrl, AWS_REGION: 'us-east-1', SEEDANCE_S3_BUCKET: 'seedance', SEEDANCE_S3_ENDPOINT: sandbox.s3.endpoint, SEEDANCE_S3_FORCE_PATH_STYLE: 'true', SEEDANCE_S3_URL_MODE: 'public' });
    expect(sandbox.apiKey).toMatch(/^sk-sandbox-[0-9a-f]{32}$/);
  });
});
