import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DownloadError } from '../../src/submit/errors.js';
import { downloadResult } from '../../src/submit/download.js';
import { DEFAULT_RETRY_POLICIES } from '../../src/submit/retry-policy.js';
import { abortableSleep } from '../../src/submit/sleep.js';
import type { Task } from '../../src/submit/task.js';

// a CDN that answers the headers and part of the body, then goes silent (the connection stays open)
let server: Server;
let base: string;
let dir: string;
let requests = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-download-silence-'));
  server = createServer((request, response) => {
    requests++;
    if (request.url === '/silent.mp4') return; // not even the headers
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '2048' });
    response.write(Buffer.alloc(1024, 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const task = (path: string): Task => ({ id: 'task-unified-1-abc', status: 'completed', results: [`${base}${path}`] }) as Task;
const context = { fetch: globalThis.fetch, sleep: abortableSleep, random: () => 0, policy: { ...DEFAULT_RETRY_POLICIES.download, baseDelayMs: 10 }, requestTimeoutMs: 200 };

it.each([
  ['no headers at all', '/silent.mp4'],
  ['half the body, then nothing', '/stall.mp4'],
])('%s: 3 silent tries of 0.2 s, then a DownloadError saying so; no temporary left', async (_what, path) => {
  const before = requests;
  const out = join(dir, path.slice(1, -4));
  const error = await downloadResult(task(path), join(out, 'result.mp4'), {}, context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DownloadError);
  expect((error as DownloadError).message).toBe(`downloading ${base}${path} failed: nothing arrived for 0.2 s (3 tries)`);
  expect(requests - before).toBe(3);
  expect(await readdir(out)).toEqual([]);
});
