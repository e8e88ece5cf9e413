import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../src/probe/probe-file.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { checkMedia } from '../../src/check/file-rules.js';
import { applyOverrides } from '../../src/spec/load-profile.js';
import { fixture } from '../helpers/fixtures.js';
import { putFixtures } from '../helpers/sandbox-media.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 400, allowInsecureCallbacks: true, callbackPolicy: { retryDelaysMs: [10, 20, 40] } });
});
afterAll(() => sandbox.close());

const text = { model: 'seedance-2.0-text-to-video', prompt: 'a frog' };
const reference = { model: 'seedance-2.0-reference-to-video', prompt: 'image 1 comes alive' };
const authorization = () => ({ authorization: `Bearer ${sandbox.apiKey}` });

interface TaskAnswer {
  id: string;
  status: string;
  progress: number;
  results?: string[];
  error?: { code: string; message: string; type: string };
}

async function settled(id: string): Promise<TaskAnswer> {
  for (;;) {
    const task = (await (await fetch(`${sandbox.apiBaseUrl}/v1/tasks/${id}`, { headers: authorization() })).json()) as TaskAnswer;
    if (task.status === 'completed' || task.status === 'failed') return task;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The served result as the project's probe reads it, duration to a tenth of a second. */
async function resultFacts(id: string) {
  const path = sandbox.simulator.resultFile(id);
  if (!path) return null;
  const probe = await probeFile(path);
  if (!probe.ok || probe.info.kind !== 'video') return probe;
  const { format, videoCodec: codec, width, height, duration, hasAudio: audio } = probe.info;
  return { format, codec, width, height, duration: Math.round((duration ?? 0) * 10) / 10, audio };
}
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

    // the documents' defaults: 5 s of 16:9 720p with audio
    expect(await resultFacts(created.id)).toEqual({ format: 'mp4', codec: 'h264', width: 1280, height: 720, duration: 5, audio: true });
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

  it('serves a result made for the request: its duration, the size of quality × aspect ratio, audio only when asked', async () => {
    const [image] = await putFixtures(sandbox, ['valid-800x600.webp']);
    const asks = [
      { ...text, duration: 4, quality: '480p', aspect_ratio: '9:16', generate_audio: false },
      { ...text, duration: 10, quality: '1080p', aspect_ratio: '21:9' },
      // adaptive follows image 1 (800×600): 4:3
      { ...reference, image_urls: [image], aspect_ratio: 'adaptive', duration: 6 },
    ];
    const ids = await Promise.all(asks.map(async (body) => ((await (await post(body)).json()) as { id: string }).id));
    const done = await Promise.all(ids.map(settled));
    expect(done.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect(await Promise.all(ids.map(resultFacts))).toEqual([
      { format: 'mp4', codec: 'h264', width: 496, height: 864, duration: 4, audio: false },
      { format: 'mp4', codec: 'h264', width: 2206, height: 946, duration: 10, audio: true },
      { format: 'mp4', codec: 'h264', width: 1112, height: 834, duration: 6, audio: true },
    ]);
    const served = await fetch(done[0]!.results![0]!);
    expect([served.status, served.headers.get('content-type'), Number(served.headers.get('content-length'))]).toEqual([200, 'video/mp4', (await stat(sandbox.simulator.resultFile(ids[0]!)!)).size]);
    await served.body?.cancel();
  });

  it('can be told to serve a result that does not match the request (for QC), then answers truly again', async () => {
    sandbox.simulator.alterNextResults(1, { seconds: 5, audio: false });
    const wrong = ((await (await post({ ...text, duration: 10 })).json()) as { id: string }).id;
    const right = ((await (await post({ ...text, duration: 10 })).json()) as { id: string }).id;
    await Promise.all([settled(wrong), settled(right)]);
    expect(await resultFacts(wrong)).toEqual({ format: 'mp4', codec: 'h264', width: 1280, height: 720, duration: 5, audio: false });
    expect(await resultFacts(right)).toEqual({ format: 'mp4', codec: 'h264', width: 1280, height: 720, duration: 10, audio: true });
  });

  it("fails a task whose media break its own reading of the documents, in the provider's words and codes", async () => {
    const [clip, tiny, long] = await putFixtures(sandbox, ['tiny-200x200-2s.mp4', 'tiny-200x200.png', 'long-16s.mp4']);
    const bodies = [
      { ...reference, video_urls: [clip] },
      { ...reference, image_urls: [tiny] },
      { ...reference, video_urls: [long] },
      { ...reference, image_urls: [`${sandbox.s3.endpoint}/${sandbox.bucket}/missing.png`] },
    ];
    const ids = await Promise.all(bodies.map(async (body) => ((await (await post(body)).json()) as { id: string }).id));
    const failed = await Promise.all(ids.map(settled));
    expect(failed.map((t) => [t.status, t.error, t.results])).toEqual([
      ['failed', { code: 'invalid_parameters', message: 'video_urls[0]: width and height must be 300-6000 px, got 200x200', type: 'invalid_request_error' }, undefined],
      ['failed', { code: 'image_processing_error', message: 'image_urls[0]: width and height must be 300-6000 px, got 200x200', type: 'invalid_request_error' }, undefined],
      ['failed', { code: 'invalid_parameters', message: 'video_urls[0]: duration must be 2-15 seconds, got 16.0', type: 'invalid_request_error' }, undefined],
      ['failed', { code: 'image_processing_error', message: `image_urls[0]: the file at ${sandbox.s3.endpoint}/${sandbox.bucket}/missing.png could not be downloaded (HTTP 404)`, type: 'invalid_request_error' }, undefined],
    ]);
    expect(ids.map((id) => sandbox.simulator.resultFile(id))).toEqual([null, null, null, null]);
  });

  it("judges by its own table, not the project's limits: a profile relaxed to 10 fps passes a 15 fps clip, the sandbox still refuses it", async () => {
    const relaxed = applyOverrides({ video: { fps: { min: 10, max: 60 } } }, 'relaxed.json');
    const probe = await probeFile(fixture('fps-15.mp4'));
    expect(probe.ok ? checkMedia(probe.info, relaxed).filter((v) => v.severity === 'error') : probe).toEqual([]);
    const [clip] = await putFixtures(sandbox, ['fps-15.mp4']);
    const id = ((await (await post({ ...reference, video_urls: [clip] })).json()) as { id: string }).id;
    expect((await settled(id)).error).toEqual({ code: 'invalid_parameters', message: 'video_urls[0]: frame rate must be 24-60 FPS, got 15', type: 'invalid_request_error' });
  });

  it('counts requests and lists created tasks', async () => {
    const before = sandbox.simulator.counters();
    const tasksBefore = sandbox.simulator.createdTasks().length;
    await post(text);
    await fetch(`${sandbox.apiBaseUrl}/v1/tasks/abc`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
    const after = sandbox.simulator.counters();
    expect([after.create - before.create, after.query - before.query, after.total - before.total]).toEqual([1, 1, 2]);
    expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 1);
  });

  it('gives env with every variable the tool reads', () => {
    expect(Object.keys(sandbox.env).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'EVOLINK_API_KEY', 'EVOLINK_BASE_URL', 'SEEDANCE_S3_BUCKET', 'SEEDANCE_S3_ENDPOINT', 'SEEDANCE_S3_FORCE_PATH_STYLE', 'SEEDANCE_S3_URL_MODE', 'SEEDANCE_SANDBOX_API_BASE']);
    expect(sandbox.env).toMatchObject({ EVOLINK_API_KEY: sandbox.apiKey, EVOLINK_BASE_URL: sandbox.apiBaseUrl, AWS_REGION: 'us-east-1', SEEDANCE_S3_BUCKET: 'seedance', SEEDANCE_S3_ENDPOINT: sandbox.s3.endpoint, SEEDANCE_S3_FORCE_PATH_STYLE: 'true', SEEDANCE_S3_URL_MODE: 'public', SEEDANCE_SANDBOX_API_BASE: sandbox.apiBaseUrl });
    expect(sandbox.apiKey).toMatch(/^sk-sandbox-[0-9a-f]{32}$/);
  });
});
