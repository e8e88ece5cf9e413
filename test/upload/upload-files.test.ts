import { createHash } from 'node:crypto';
import { appendFile, copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { makeS3Client } from '../../src/upload/s3-client.js';
import { uploadFiles, type UploadProgressEvent } from '../../src/upload/upload-files.js';
import { UploadError } from '../../src/upload/upload-error.js';
import { CancelledError } from '../../src/shared/cancel.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { S3_ENV, localSettings, openMultipartUploads, writeLongWav } from '../helpers/s3-env.js';
import { startS3FaultProxy, type S3FaultProxy } from '../helpers/s3-fault-proxy.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

const MiB = 1024 * 1024;
let store: S3Store;
let work: { dir: string; cleanup: () => Promise<void> };
let bigWav: string;
const proxies: S3FaultProxy[] = [];

beforeAll(async () => {
  store = await startS3Store({ buckets: ['media'] });
  work = await tempDir('sp-upload-');
  bigWav = await writeLongWav(work.dir, 60); // 11.5 MB: three 5 MiB parts
});
afterAll(async () => {
  await store.close();
  await work.cleanup();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxy(faults: Parameters<typeof startS3FaultProxy>[1] = {}): Promise<S3FaultProxy> {
  const started = await startS3FaultProxy(store, faults);
  proxies.push(started);
  return started;
}

async function fetchBytes(url: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), bytes: Buffer.from(await response.arrayBuffer()) };
}

async function failure(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

/** Statuses of the AbortMultipartUpload calls that went through the proxy. */
const aborts = (p: S3FaultProxy) => p.requests.filter((r) => r.method === 'DELETE' && r.url.includes('uploadId=')).map((r) => r.status);
const puts = (p: S3FaultProxy) => p.requests.filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.url.includes('uploads')));

describe('uploadFiles against s3rver', () => {
  it('uploads each kind in one PUT with its content type and original name, byte-identical over plain HTTP', async () => {
    const names = ['valid-854x480-30fps.mp4', 'valid-854x480.mov', 'landscape-1280x720.jpg', 'alpha-500x500.png', 'valid-800x600.webp', 'valid-3s.mp3', 'valid-3s.wav', 'audio-only.m4a', 'png-named.jpg'];
    const results = await uploadFiles(names.map(fixture), localSettings(store.endpoint, { prefix: 'kinds' }), { env: S3_ENV });
    expect(results.map((r) => [r.key.replace(/[0-9a-f]{64}/, 'HASH'), r.contentType, r.uploaded])).toEqual([
      ['kinds/HASH.mp4', 'video/mp4', true],
      ['kinds/HASH.mov', 'video/quicktime', true],
      ['kinds/HASH.jpg', 'image/jpeg', true],
      ['kinds/HASH.png', 'image/png', true],
      ['kinds/HASH.webp', 'image/webp', true],
      ['kinds/HASH.mp3', 'audio/mpeg', true],
      ['kinds/HASH.wav', 'audio/wav', true],
      ['kinds/HASH.m4a', 'audio/mp4', true],
      ['kinds/HASH.png', 'image/png', true], // PNG bytes under a .jpg name: the key follows the bytes
    ]);
    const mp4 = results[0]!;
    expect(mp4).toEqual({
      path: fixture('valid-854x480-30fps.mp4'),
      key: 'kinds/483fef00a7b8ecdaa0dec0221f740d971d93cfc2b8c86572509e885c919c0f58.mp4',
      url: `${store.endpoint}/media/kinds/483fef00a7b8ecdaa0dec0221f740d971d93cfc2b8c86572509e885c919c0f58.mp4`,
      bytes: 150_465,
      uploaded: true,
      contentType: 'video/mp4',
      sha256: '483fef00a7b8ecdaa0dec0221f740d971d93cfc2b8c86572509e885c919c0f58',
    });
    for (const [i, result] of results.entries()) {
      const fetched = await fetchBytes(result.url);
      expect(fetched.status).toBe(200);
      expect(fetched.type).toBe(result.contentType);
      expect(fetched.disposition).toBe(`inline; filename="${names[i]}"; filename*=UTF-8''${names[i]}`);
      expect(fetched.bytes.equals(await readFile(result.path))).toBe(true);
    }
  });

  it('sends a large file as parallel multipart parts, byte-identical, with progress up to its size', async () => {
    const p = await proxy();
    const events: UploadProgressEvent[] = [];
    const [result] = await uploadFiles([bigWav], localSettings(p.endpoint, { prefix: 'multi' }), { env: S3_ENV, partSize: 5 * MiB, onProgress: (e) => events.push(e) });
    const size = (await readFile(bigWav)).length;
    expect(result!.bytes).toBe(size);
    const parts = p.requests.filter((r) => r.method === 'PUT' && r.url.includes('partNumber='));
    expect(parts.map((r) => r.bodyBytes).sort((a, b) => b - a)).toEqual([5 * MiB, 5 * MiB, size - 10 * MiB]);
    expect(p.requests.filter((r) => r.method === 'POST').map((r) => r.url.replace(/uploadId=[^&]+/, 'uploadId=ID'))).toEqual([
      `/media/${result!.key}?uploads=`,
      `/media/${result!.key}?uploadId=ID`,
    ]);
    const sending = events.filter((e) => e.type === 'sending').map((e) => (e as { loaded: number }).loaded);
    expect(sending.at(-1)).toBe(size);
    expect(events.filter((e) => e.type !== 'sending').map((e) => e.type)).toEqual(['hashed', 'uploaded', 'done']);
    const fetched = await fetchBytes(result!.url);
    expect(fetched.bytes.equals(await readFile(bigWav))).toBe(true);
    expect(await openMultipartUploads(p.endpoint)).toEqual([]);
  });

  it('sends nothing on a re-run: every object is found by HEAD and reported as skipped', async () => {
    const paths = [fixture('valid-3s.mp3'), fixture('landscape-1280x720.jpg'), bigWav];
    const settings = (endpoint: string) => localSettings(endpoint, { prefix: 'rerun' });
    const first = await uploadFiles(paths, settings(store.endpoint), { env: S3_ENV, partSize: 5 * MiB });
    expect(first.map((r) => r.uploaded)).toEqual([true, true, true]);
    const p = await proxy();
    const events: UploadProgressEvent[] = [];
    const again = await uploadFiles(paths, settings(p.endpoint), { env: S3_ENV, partSize: 5 * MiB, onProgress: (e) => events.push(e) });
    expect(again.map((r) => r.uploaded)).toEqual([false, false, false]);
    expect(again.map((r) => r.key)).toEqual(first.map((r) => r.key));
    expect(puts(p)).toEqual([]);
    expect(p.requests.reduce((sum, r) => sum + r.bodyBytes, 0)).toBe(0);
    // HEAD each, list the open uploads of the one above 5 MiB (none), then verify each URL
    expect(p.requests.map((r) => `${r.method} ${r.url.replace(/[0-9a-f]{64}/, 'HASH')}`).sort()).toEqual([
      'GET /media/?prefix=rerun%2FHASH.wav&uploads=',
      'GET /media/rerun/HASH.jpg',
      'GET /media/rerun/HASH.mp3',
      'GET /media/rerun/HASH.wav',
      'HEAD /media/rerun/HASH.jpg',
      'HEAD /media/rerun/HASH.mp3',
      'HEAD /media/rerun/HASH.wav',
    ]);
    expect(events.filter((e) => e.type === 'skipped').map((e) => (e as { reason: string }).reason)).toEqual(['exists', 'exists', 'exists']);
  });

  it('sends the same bytes from two paths once', async () => {
    const copy = join(work.dir, 'same bytes, other name.mp3');
    await copyFile(fixture('valid-3s.mp3'), copy);
    const p = await proxy();
    const results = await uploadFiles([fixture('valid-3s.mp3'), copy], localSettings(p.endpoint, { prefix: 'dupes' }), { env: S3_ENV });
    expect(results.map((r) => r.key)).toEqual([
      'dupes/833d8122a84fb5ed358c83b0ae46e3e3c012395b3cba06e98dd936f8817ea862.mp3',
      'dupes/833d8122a84fb5ed358c83b0ae46e3e3c012395b3cba06e98dd936f8817ea862.mp3',
    ]);
    // the two are hashed at once: whichever finishes first sends, the other is told it was a duplicate
    expect(results.map((r) => r.uploaded).sort()).toEqual([false, true]);
    expect(puts(p).map((r) => r.bodyBytes)).toEqual([24_494]);
  });

  it('two calls at once that share an in-flight map send an object once; both get its URL', async () => {
    const p = await proxy();
    const settings = localSettings(p.endpoint, { prefix: 'shared' });
    const inFlight = new Map();
    const [a, b] = await Promise.all([
      uploadFiles([fixture('valid-3s.wav')], settings, { env: S3_ENV, inFlight }),
      uploadFiles([fixture('valid-3s.wav')], settings, { env: S3_ENV, inFlight }),
    ]);
    expect([a![0]!.uploaded, b![0]!.uploaded].sort()).toEqual([false, true]);
    expect(b![0]!.url).toBe(a![0]!.url);
    expect(puts(p)).toHaveLength(1);
  });

  it('a call that shares an in-flight map sends the object itself when the call sending it fails', async () => {
    const p = await proxy();
    const settings = localSettings(p.endpoint, { prefix: 'shared-retry' });
    const inFlight = new Map();
    const stopped = new AbortController();
    const first = uploadFiles([fixture('valid-3s.mp3')], settings, { env: S3_ENV, inFlight, signal: stopped.signal });
    const second = uploadFiles([fixture('valid-3s.mp3')], settings, { env: S3_ENV, inFlight });
    const reason = new Error('job stopped');
    stopped.abort(reason);
    await expect(first).rejects.toMatchObject({ constructor: CancelledError, reason });
    const [result] = await second;
    expect(result!.uploaded).toBe(true);
    expect((await fetchBytes(result!.url)).bytes.equals(await readFile(fixture('valid-3s.mp3')))).toBe(true);
  });

  it('presigned mode: the URL works without credentials, carries the expiry, and the store refuses it once expired', async () => {
    const [result] = await uploadFiles([fixture('valid-3s.wav')], localSettings(store.endpoint, { prefix: 'signed', urlMode: 'presigned', expiresSeconds: 7200 }), { env: S3_ENV });
    const url = new URL(result!.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('7200');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect((await fetchBytes(result!.url)).bytes.equals(await readFile(fixture('valid-3s.wav')))).toBe(true);
    // the same URL signed 2 hours and 1 second ago has expired
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = makeS3Client(localSettings(store.endpoint), S3_ENV);
    const expired = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'media', Key: result!.key }), { expiresIn: 7200, signingDate: new Date(Date.now() - 7201_000) });
    client.destroy();
    const refused = await fetch(expired);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
  });

  it('public base URL: URLs are built on it and verified there', async () => {
    const [result] = await uploadFiles([fixture('valid-800x600.webp')], localSettings(store.endpoint, { prefix: 'cdn', publicBaseUrl: `${store.endpoint}/media/` }), { env: S3_ENV });
    expect(result!.url).toBe(`${store.endpoint}/media/${result!.key}`);
  });

  it('public base URL that does not serve the bucket: verification fails before anything is submitted', async () => {
    const error = await failure(uploadFiles([fixture('image.gif')], localSettings(store.endpoint, { prefix: 'cdn', publicBaseUrl: `${store.endpoint}/elsewhere` }), { env: S3_ENV }));
    expect(error.stage).toBe('verify');
    expect(error.message).toBe(`${fixture('image.gif')}: its URL ${store.endpoint}/elsewhere/cdn/e6d97bf3183a7008d77a442c7763229a446ace0ba014b8d85fd2dc7592d3824c.gif does not answer a plain GET (it answered HTTP 404): the object is not at that URL: check --public-base-url (or SEEDANCE_S3_PUBLIC_BASE_URL) and --endpoint`);
  });

  it('a bucket that refuses ACLs: warns once, sends without the ACL, and the URL still verifies (a bucket policy serves it)', async () => {
    const p = await proxy({ refuseAcl: true });
    const events: UploadProgressEvent[] = [];
    const results = await uploadFiles([fixture('tiny-200x200.png'), fixture('valid-3s.mp3')], localSettings(p.endpoint, { prefix: 'noacl' }), { env: S3_ENV, concurrency: 1, onProgress: (e) => events.push(e) });
    expect(results.map((r) => r.uploaded)).toEqual([true, true]);
    expect(puts(p).map((r) => [r.acl, r.outcome])).toEqual([
      ['public-read', 'acl-refused'],
      [null, 'forwarded'],
      [null, 'forwarded'],
    ]);
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      'bucket "media" does not allow ACLs (Object Ownership "bucket owner enforced"): sending without the public-read ACL; the URLs work only if a bucket policy or the public base URL makes the objects readable',
    ]);
  });
});

describe('uploadFiles faults', () => {
  it('retries a part whose connection is reset once, then completes byte-identical', async () => {
    const p = await proxy({ resetPartAfterBytes: 1 * MiB, resets: 1 });
    const [result] = await uploadFiles([bigWav], localSettings(p.endpoint, { prefix: 'reset-once' }), { env: S3_ENV, partSize: 5 * MiB });
    expect(p.requests.filter((r) => r.outcome === 'reset')).toHaveLength(1);
    expect((await fetchBytes(result!.url)).bytes.equals(await readFile(bigWav))).toBe(true);
  });

  it('a part reset on every attempt: retried, then the multipart upload is aborted and nothing is left behind', async () => {
    const p = await proxy({ resetPartAfterBytes: 1 * MiB });
    const error = await failure(uploadFiles([bigWav], localSettings(p.endpoint, { prefix: 'reset-always' }), { env: S3_ENV, partSize: 5 * MiB, partConcurrency: 1 }));
    expect(error.stage).toBe('upload');
    expect(error.environment).toBe(false);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(bigWav)}: could not be uploaded: the connection to ${escapeRegExp(p.endpoint)} failed \\((ECONNRESET|EPIPE) after 4 attempts\\): check the network and run again; nothing already uploaded is sent twice$`));
    expect(p.requests.filter((r) => r.outcome === 'reset')).toHaveLength(4);
    expect(aborts(p)).toEqual([204]);
    expect(await openMultipartUploads(p.endpoint)).toEqual([]);
    await expect(headStatus(p.endpoint, `reset-always/${createHash('sha256').update(await readFile(bigWav)).digest('hex')}.wav`)).resolves.toBe(404);
  });

  it('503 SlowDown is retried with backoff', async () => {
    const p = await proxy({ slowDowns: 1 });
    const [result] = await uploadFiles([fixture('valid-3s.wav')], localSettings(p.endpoint, { prefix: 'slow' }), { env: S3_ENV });
    expect(result!.uploaded).toBe(true);
    expect(p.requests.filter((r) => r.method === 'PUT').map((r) => r.outcome)).toEqual(['slow-down', 'forwarded']);
  });

  it('an abort signal stops a multipart upload with a CancelledError (the SDK abort as its cause) and aborts it on the store', async () => {
    const p = await proxy();
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const outcome = await uploadFiles([bigWav], localSettings(p.endpoint, { prefix: 'cancel' }), {
      env: S3_ENV,
      partSize: 5 * MiB,
      partConcurrency: 1,
      signal: controller.signal,
      onProgress: (e) => e.type === 'sending' && e.loaded >= 5 * MiB && controller.abort(reason),
    }).then(() => null, (e: Error) => e);
    expect(outcome).toBeInstanceOf(CancelledError);
    expect(outcome).toMatchObject({ kind: 'cancelled', message: `uploading ${bigWav} was cancelled`, reason });
    expect((outcome!.cause as Error).name).toBe('AbortError');
    expect(aborts(p)).toEqual([204]);
    expect(await openMultipartUploads(p.endpoint)).toEqual([]);
  });

  it('a file that grows after it was hashed is detected and nothing is stored', async () => {
    const growing = join(work.dir, 'growing.wav');
    await copyFile(bigWav, growing);
    const p = await proxy();
    const error = await failure(
      uploadFiles([growing], localSettings(p.endpoint, { prefix: 'grow' }), {
        env: S3_ENV,
        partSize: 5 * MiB,
        onProgress: (e) => e.type === 'hashed' && void appendFileSyncSafe(growing),
      }),
    );
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(growing)}: its size changed after it was hashed \\(11520078 bytes, then \\d+ or more\\): nothing was stored; wait until whatever writes the file has finished, then run again$`));
    expect(error.code).toBe('FileChanged');
    expect(await openMultipartUploads(p.endpoint)).toEqual([]);
  });

  it('wrong credentials: a clear message, and the secret is never in it', async () => {
    const secret = 'wrong-secret-DO-NOT-PRINT';
    const error = await failure(uploadFiles([fixture('valid-3s.mp3')], localSettings(store.endpoint, { prefix: 'creds' }), { env: { AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY', AWS_SECRET_ACCESS_KEY: secret } }));
    expect(error.message).toBe(`${fixture('valid-3s.mp3')}: could not be uploaded: ${store.endpoint} does not know the access key id (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)`);
    expect(error.environment).toBe(true);
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(secret);
  });

  it('a bucket that does not exist is named', async () => {
    const error = await failure(uploadFiles([fixture('valid-3s.mp3')], localSettings(store.endpoint, { bucket: 'no-such-bucket' }), { env: S3_ENV }));
    expect(error.message).toBe(`${fixture('valid-3s.mp3')}: could not be uploaded: bucket "no-such-bucket" does not exist at ${store.endpoint}: create it, or pass the right --bucket (or SEEDANCE_S3_BUCKET)`);
  });

  it('an endpoint where nothing listens', async () => {
    const p = await proxy();
    const dead = p.endpoint;
    await p.close();
    const error = await failure(uploadFiles([fixture('valid-3s.mp3')], localSettings(dead), { env: S3_ENV }));
    expect(error.stage).toBe('check');
    expect(error.message).toBe(`${fixture('valid-3s.mp3')}: could not check whether the bucket already holds it: nothing answers at ${dead} (connection refused after 4 attempts): start the store, or correct --endpoint (or SEEDANCE_S3_ENDPOINT)`);
  });

  it('paths that are not media files are refused before anything is sent', async () => {
    const p = await proxy();
    const folder = join(work.dir, 'a folder');
    await mkdir(folder, { recursive: true });
    const cases: Array<[string, string]> = [
      [folder, `${folder}: is a directory: upload takes media files (for a folder, pass its files: folder/*)`],
      [join(work.dir, 'missing.mp4'), `${join(work.dir, 'missing.mp4')}: does not exist: check the path`],
      [fixture('text-named.mp4'), `${fixture('text-named.mp4')}: is not a media format we recognise (its first bytes are not an image, video or audio signature)`],
    ];
    for (const [path, message] of cases) {
      const error = await failure(uploadFiles([fixture('valid-3s.wav'), path], localSettings(p.endpoint, { prefix: 'bad' }), { env: S3_ENV, concurrency: 1 }));
      expect(error.message).toBe(message);
      expect(error.stage).toBe('read');
    }
    // missing and folder paths are refused before the first file is sent; the text file only after
    expect(puts(p)).toHaveLength(1);
  });
});

async function appendFileSyncSafe(path: string): Promise<void> {
  await appendFile(path, Buffer.alloc(4096, 1));
}

async function headStatus(endpoint: string, key: string): Promise<number> {
  const response = await fetch(`${endpoint}/media/${key}`, { method: 'HEAD' });
  return response.status;
}
