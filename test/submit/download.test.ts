import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/shared/cancel.js';
import { HOST_TAG } from '../../src/shared/temp-file.js';
import { downloadResult, type DownloadContext } from '../../src/submit/download.js';
import { DownloadError } from '../../src/submit/errors.js';
import { DEFAULT_RETRY_POLICIES } from '../../src/submit/retry-policy.js';
import { abortableSleep } from '../../src/submit/sleep.js';
import type { Task } from '../../src/submit/task.js';

const BODY = Buffer.alloc(256 * 1024, 7);
let server: Server;
let base: string;
let dir: string;
let requests = 0;
/** Called when /stall has sent its first bytes. */
let onStallStarted: () => void = () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-download-'));
  server = createServer((request, response) => {
    requests++;
    // a CDN that goes silent: not even the headers (the connection stays open)
    if (request.url === '/silent.mp4') return;
    if (request.url === '/video.mp4') {
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(BODY.length) });
      response.end(BODY);
      return;
    }
    // half the body, then nothing: only an abort ends it
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(BODY.length) });
    response.write(BODY.subarray(0, BODY.length / 2), () => onStallStarted());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const context: DownloadContext = { fetch: globalThis.fetch, sleep: abortableSleep, random: () => 0, policy: { ...DEFAULT_RETRY_POLICIES.download, maxAttempts: 1 } };
const completed = (path: string): Task => ({ id: 'task-unified-1-abc', status: 'completed', results: [`${base}${path}`] }) as Task;

describe('downloadResult and its temporaries', () => {
  it('sweeps what a killed download of this host left in the output folder, keeps a running writer\'s and a fresh one of another host, and writes the result whole', async () => {
    const out = join(dir, 'output');
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const killed = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => killed.on('exit', resolve));
    const otherHost = HOST_TAG === '00000000' ? '11111111' : '00000000';
    const names = {
      killed: `.task-unified-1-abc.spf-${HOST_TAG}-${killed.pid}-0123abcd.partial.mp4`,
      running: `.task-unified-1-def.spf-${HOST_TAG}-${process.pid}-0123abcd.partial.mp4`,
      otherHost: `.task-unified-1-xyz.spf-${otherHost}-1-89abcdef.partial.mp4`,
    };
    await writeFile(join(out, names.killed), 'half a download');
    await writeFile(join(out, names.running), 'still downloading');
    await writeFile(join(out, names.otherHost), 'still downloading, elsewhere');
    const result = await downloadResult(completed('/video.mp4'), join(out, 'task-unified-1-abc.mp4'), {}, context);
    expect(result).toEqual({ path: join(out, 'task-unified-1-abc.mp4'), bytes: BODY.length, url: `${base}/video.mp4` });
    expect((await readFile(result.path)).equals(BODY)).toBe(true);
    expect((await readdir(out)).sort()).toEqual([names.running, names.otherHost, 'task-unified-1-abc.mp4'].sort());
  });

  it('an abort midway rejects with CancelledError (the reason and the interrupted stream kept) and leaves no file at all', async () => {
    const out = join(dir, 'cancelled');
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    onStallStarted = () => setTimeout(() => controller.abort(reason), 50);
    const error = await downloadResult(completed('/stall'), join(out, 'task-unified-1-abc.mp4'), { signal: controller.signal }, context).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ message: 'downloading the result of task task-unified-1-abc was cancelled', reason });
    expect((error as CancelledError).cause).toBeDefined();
    expect(await readdir(out)).toEqual([]);
  });
});

describe('downloadResult against a CDN that goes silent', () => {
  const silent: DownloadContext = { ...context, policy: { ...DEFAULT_RETRY_POLICIES.download, baseDelayMs: 10 }, requestTimeoutMs: 200 };

  it.each([
    ['no headers at all', '/silent.mp4'],
    ['half the body, then nothing', '/stall-silent.mp4'],
  ])('%s: 3 silent tries of 0.2 s, then a DownloadError saying so; no temporary left', async (_what, path) => {
    const before = requests;
    const out = join(dir, path.slice(1, -4));
    const error = await downloadResult(completed(path), join(out, 'result.mp4'), {}, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toBe(`downloading ${base}${path} failed: nothing arrived for 0.2 s (3 tries)`);
    expect(requests - before).toBe(3);
    expect(await readdir(out)).toEqual([]);
  });
});
