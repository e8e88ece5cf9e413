import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { makeS3Client } from '../../src/upload/s3-client.js';
import { uploadFiles, type UploadProgressEvent } from '../../src/upload/upload-files.js';
import { tempDir } from '../helpers/fixtures.js';
import { S3_ENV, localSettings, openMultipartUploads, writeLongWav } from '../helpers/s3-env.js';
import { startS3FaultProxy, type S3FaultProxy } from '../helpers/s3-fault-proxy.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;
let store: S3Store;
let work: { dir: string; cleanup: () => Promise<void> };
let bigWav: string;
let bigKey: string;
const proxies: S3FaultProxy[] = [];

beforeAll(async () => {
  store = await startS3Store({ buckets: ['media'] });
  work = await tempDir('sp-leftover-');
  bigWav = await writeLongWav(work.dir, 60); // 11.5 MB: two parts of 8 MiB (the default) or three of 5 MiB
  bigKey = `${createHash('sha256').update(await readFile(bigWav)).digest('hex')}.wav`;
});
afterAll(async () => {
  await store.close();
  await work.cleanup();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxy(faults: Parameters<typeof startS3FaultProxy>[1]): Promise<S3FaultProxy> {
  const started = await startS3FaultProxy(store, faults);
  proxies.push(started);
  return started;
}

/** Upload ids s3rver still keeps parts for on disk (what ListMultipartUploads is answered from). */
const uploadFolders = () => readdir(join(store.directory, 'media', '._S3rver_uploads')).catch(() => [] as string[]);

/** Resolves once `test` holds for the proxy's requests. */
async function until(p: S3FaultProxy, test: (requests: S3FaultProxy['requests']) => boolean): Promise<void> {
  while (!test(p.requests)) await new Promise((resolve) => setTimeout(resolve, 20));
}

const partAnswered = (n: number) => (requests: S3FaultProxy['requests']) => requests.some((r) => r.url.includes(`partNumber=${n}&`) && r.status === 200);
const partHeld = (n: number) => (requests: S3FaultProxy['requests']) => requests.some((r) => r.url.includes(`partNumber=${n}&`) && r.outcome === 'held');

describe('no multipart upload is left behind', () => {
  it('an uploader SIGKILLed after its first part leaves an open upload; the resumed upload of the same file aborts it', async () => {
    const p = await proxy({ holdPartsFrom: 2 });
    const prefix = 'killed/';
    // the upload command in its own process, as a worker runs it: part 1 reaches the store, part 2 hangs, then kill -9
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'upload', bigWav, '--bucket', 'media', '--prefix', prefix, '--endpoint', p.endpoint, '--force-path-style'], {
      cwd: REPO,
      env: { ...process.env, ...S3_ENV },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await until(p, (requests) => partAnswered(1)(requests) && partHeld(2)(requests));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const leftover = await uploadFolders();
    expect(leftover).toHaveLength(1);
    expect(await openMultipartUploads(store.endpoint)).toEqual([`${prefix}${bigKey}`]);

    const events: UploadProgressEvent[] = [];
    const [result] = await uploadFiles([bigWav], localSettings(store.endpoint, { prefix }), { env: S3_ENV, onProgress: (e) => events.push(e) });
    expect(result!.uploaded).toBe(true);
    expect(events.filter((e) => e.type !== 'sending')).toEqual([
      { type: 'hashed', path: bigWav, key: `${prefix}${bigKey}`, bytes: 11_520_078 },
      { type: 'uploaded', path: bigWav, key: `${prefix}${bigKey}`, bytes: 11_520_078 },
      { type: 'aborted-leftovers', path: bigWav, key: `${prefix}${bigKey}`, uploadIds: leftover },
      { type: 'done', path: bigWav, result },
    ]);
    expect(await openMultipartUploads(store.endpoint)).toEqual([]);
    expect(await uploadFolders()).toEqual([]);
    expect(Buffer.from(await (await fetch(result!.url)).arrayBuffer()).equals(await readFile(bigWav))).toBe(true);
  });

  it('a run that finds the object already there (another job sent it) still aborts an upload left open for its key', async () => {
    const prefix = 'found/';
    const p = await proxy({ holdPartsFrom: 2 });
    const stalled = uploadFiles([bigWav], localSettings(p.endpoint, { prefix }), { env: S3_ENV, partSize: 5 * MiB, partConcurrency: 1 });
    await until(p, partHeld(2));
    // the same bytes reach the key by a copy, which (unlike an upload of ours) aborts nothing: the stalled upload stays open
    const first = await uploadFiles([bigWav], localSettings(store.endpoint, { prefix: 'elsewhere/' }), { env: S3_ENV });
    expect(first[0]!.uploaded).toBe(true);
    const client = makeS3Client(localSettings(store.endpoint), S3_ENV);
    await client.send(new CopyObjectCommand({ Bucket: 'media', Key: `${prefix}${bigKey}`, CopySource: `media/elsewhere/${bigKey}` }));
    client.destroy();
    const leftover = await uploadFolders();
    expect(leftover).toHaveLength(1);

    const events: UploadProgressEvent[] = [];
    const [result] = await uploadFiles([bigWav], localSettings(store.endpoint, { prefix }), { env: S3_ENV, onProgress: (e) => events.push(e) });
    expect(result!.uploaded).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['hashed', 'skipped', 'aborted-leftovers', 'done']);
    expect(events[2]).toEqual({ type: 'aborted-leftovers', path: bigWav, key: `${prefix}${bigKey}`, uploadIds: leftover });
    expect(await openMultipartUploads(store.endpoint)).toEqual([]);
    p.release();
    expect(await stalled).toEqual([{ ...result, url: `${p.endpoint}/media/${prefix}${bigKey}`, uploaded: false }]);
    // its part 2 was told NoSuchUpload; it found the object
    expect(p.requests.filter((r) => r.url.includes('partNumber=2&')).map((r) => [r.outcome, r.status])).toEqual([['held', 404]]);
  });

  it('an uploader of the same bytes still sending is overtaken: its upload is aborted, it finds the object and counts it as there', async () => {
    const prefix = 'live/';
    const p = await proxy({ holdPartsFrom: 2 });
    const slowEvents: UploadProgressEvent[] = [];
    const slow = uploadFiles([bigWav], localSettings(p.endpoint, { prefix }), { env: S3_ENV, partSize: 5 * MiB, partConcurrency: 1, onProgress: (e) => slowEvents.push(e) });
    await until(p, partHeld(2));
    const slowUpload = await uploadFolders();

    const events: UploadProgressEvent[] = [];
    const [fast] = await uploadFiles([bigWav], localSettings(store.endpoint, { prefix }), { env: S3_ENV, onProgress: (e) => events.push(e) });
    expect(fast!.uploaded).toBe(true);
    expect(events.filter((e) => e.type === 'aborted-leftovers')).toEqual([{ type: 'aborted-leftovers', path: bigWav, key: `${prefix}${bigKey}`, uploadIds: slowUpload }]);
    p.release();
    const [overtaken] = await slow;
    expect(overtaken).toEqual({ ...fast, url: `${p.endpoint}/media/${prefix}${bigKey}`, uploaded: false });
    expect(slowEvents.filter((e) => e.type !== 'sending').map((e) => e.type)).toEqual(['hashed', 'skipped', 'done']);
    expect(p.requests.filter((r) => r.url.includes('partNumber=2&')).map((r) => [r.outcome, r.status])).toEqual([['held', 404]]);
    expect(await openMultipartUploads(store.endpoint)).toEqual([]);
    expect(await uploadFolders()).toEqual([]);
  });

  it('a store without ListMultipartUploads: one warning naming the fix, the uploads succeed, and it is not asked again', async () => {
    const p = await proxy({ noUploadListing: true });
    const otherWav = await writeLongWav(work.dir, 31); // 5.95 MB: above the smallest part size too
    const events: UploadProgressEvent[] = [];
    const results = await uploadFiles([bigWav, otherWav], localSettings(p.endpoint, { prefix: 'unlisted/' }), { env: S3_ENV, concurrency: 1, onProgress: (e) => events.push(e) });
    expect(results.map((r) => r.uploaded)).toEqual([true, true]);
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        path: bigWav,
        message: `could not look for multipart uploads that an interrupted upload left open in bucket "media": ${p.endpoint} does not implement ListMultipartUploads or AbortMultipartUpload (NotImplemented); their parts are stored (and billed) until removed: add a lifecycle rule with AbortIncompleteMultipartUpload to the bucket, or allow s3:ListBucketMultipartUploads and s3:AbortMultipartUpload`,
      },
    ]);
    expect(p.requests.filter((r) => r.outcome === 'not-implemented')).toHaveLength(1);
  });

  it('files no larger than the smallest part size are never sent in parts: no listing', async () => {
    const p = await proxy({});
    const small = await writeLongWav(work.dir, 27); // 5.18 MB, under 5 MiB = 5.24 MB
    const [result] = await uploadFiles([small], localSettings(p.endpoint, { prefix: 'small/' }), { env: S3_ENV });
    expect(result!.bytes).toBeLessThanOrEqual(5 * MiB);
    expect(p.requests.map((r) => r.method)).toEqual(['HEAD', 'PUT', 'GET']);
  });
});
