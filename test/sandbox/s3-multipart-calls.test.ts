import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { makeS3Client } from '../../src/upload/s3-client.js';
import { S3_ENV } from '../helpers/s3-env.js';

let store: S3Store;
let client: S3Client;
beforeAll(async () => {
  store = await startS3Store({ buckets: ['media'] });
  client = makeS3Client({ endpoint: store.endpoint, forcePathStyle: true, region: 'us-east-1' }, S3_ENV);
});
afterAll(async () => {
  client.destroy();
  await store.close();
});

const begin = async (key: string) => (await client.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: key }))).UploadId!;
const part = (key: string, uploadId: string) => client.send(new UploadPartCommand({ Bucket: 'media', Key: key, UploadId: uploadId, PartNumber: 1, Body: Buffer.from('last part may be small') }));
const list = async (prefix?: string) => ((await client.send(new ListMultipartUploadsCommand({ Bucket: 'media', ...(prefix !== undefined && { Prefix: prefix }) }))).Uploads ?? []).map((u) => [u.Key, u.UploadId]);
const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: { name: string; $metadata: { httpStatusCode: number } }) => [e.name, e.$metadata.httpStatusCode]);
const uploadDir = (uploadId: string) => join(store.directory, 'media', '._S3rver_uploads', uploadId);

describe('the sandbox store answers the multipart calls s3rver lacks', () => {
  it('lists open uploads by prefix, aborts one (its parts removed), and refuses parts and aborts for it afterwards', async () => {
    const a = await begin('list/a b.wav');
    const b = await begin('list/b.wav');
    const other = await begin('elsewhere/c.wav');
    await part('list/a b.wav', a);
    const started = (await client.send(new ListMultipartUploadsCommand({ Bucket: 'media', Prefix: 'list/' }))).Uploads ?? [];
    expect(started.map((u) => [u.Key, u.UploadId])).toEqual([['list/a b.wav', a], ['list/b.wav', b]]);
    expect(started.every((u) => u.Initiated instanceof Date && Math.abs(u.Initiated.getTime() - Date.now()) < 60_000)).toBe(true);
    expect(await list('list/a b.wav')).toEqual([['list/a b.wav', a]]);

    await client.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'list/a b.wav', UploadId: a }));
    expect(existsSync(uploadDir(a))).toBe(false);
    expect(await list()).toEqual([['elsewhere/c.wav', other], ['list/b.wav', b]]);
    // s3rver alone would store the part and recreate the aborted upload's folder
    expect(await failure(part('list/a b.wav', a))).toEqual(['NoSuchUpload', 404]);
    expect(existsSync(uploadDir(a))).toBe(false);
    expect(await failure(client.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'list/a b.wav', UploadId: a })))).toEqual(['NoSuchUpload', 404]);
    // an upload id names one key
    expect(await failure(client.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'list/other.wav', UploadId: b })))).toEqual(['NoSuchUpload', 404]);
    expect(await failure(client.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'list/b.wav', UploadId: '../../etc' })))).toEqual(['NoSuchUpload', 404]);

    // s3rver's own calls still work on the uploads left open
    const sent = await part('list/b.wav', b);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: 'media', Key: 'list/b.wav', UploadId: b, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: sent.ETag! }] } }));
    expect(await (await fetch(`${store.endpoint}/media/list/b.wav`)).text()).toBe('last part may be small');
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'elsewhere/c.wav', UploadId: other }));
    expect(await list()).toEqual([]);
  });

  it('a bucket that does not exist is named as s3rver names it', async () => {
    expect(await failure(client.send(new ListMultipartUploadsCommand({ Bucket: 'nowhere' })))).toEqual(['NoSuchBucket', 404]);
  });
});
