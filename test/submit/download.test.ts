import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/shared/cancel.js';
import { STALE_TEMPORARY_MS } from '../../src/shared/temp-file.js';
import { downloadResult, type DownloadContext } from '../../src/submit/download.js';
import { DEFAULT_RETRY_POLICIES } from '../../src/submit/retry-policy.js';
import { abortableSleep } from '../../src/submit/sleep.js';
import type { Task } from '../../src/submit/task.js';

const BODY = Buffer.alloc(256 * 1024, 7);
let server: Server;
let base: string;
let dir: string;
/** Called when /stall has sent its first bytes. */
let onStallStarted: () => void = () => {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-download-'));
  server = createServer((request, response) => {
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
  it('sweeps what a killed download left in the output folder, keeps a fresh one (another process may own it), and writes the result whole', async () => {
    const out = join(dir, 'output');
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;
    await writeFile(join(out, '.task-unified-1-abc.0123abcd.partial.mp4'), 'half a download');
    await utimes(join(out, '.task-unified-1-abc.0123abcd.partial.mp4'), old, old);
    await writeFile(join(out, '.task-unified-1-xyz.89abcdef.partial.mp4'), 'still downloading');
    const result = await downloadResult(completed('/video.mp4'), join(out, 'task-unified-1-abc.mp4'), {}, context);
    expect(result).toEqual({ path: join(out, 'task-unified-1-abc.mp4'), bytes: BODY.length, url: `${base}/video.mp4` });
    expect((await readFile(result.path)).equals(BODY)).toBe(true);
    expect((await readdir(out)).sort()).toEqual(['.task-unified-1-xyz.89abcdef.partial.mp4', 'task-unified-1-abc.mp4']);
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
