import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Store, type S3Store } from '../../src/sandbox/s3-store.js';
import { makeS3Client } from '../../src/upload/s3-client.js';
import { fixture } from '../helpers/fixtures.js';
import { S3_ENV } from '../helpers/s3-env.js';

let store: S3Store;
beforeAll(async () => {
  store = await startS3Store({ buckets: ['media'] });
});
afterAll(() => store.close());

describe('makeS3Client', () => {
  it('computes request checksums only when required for a custom endpoint, and as AWS does otherwise', async () => {
    const custom = makeS3Client({ endpoint: store.endpoint, forcePathStyle: true, region: 'us-east-1' }, S3_ENV);
    const aws = makeS3Client({ forcePathStyle: false, region: 'eu-west-1' }, S3_ENV);
    expect([await custom.config.requestChecksumCalculation(), await custom.config.responseChecksumValidation()]).toEqual(['WHEN_REQUIRED', 'WHEN_REQUIRED']);
    expect([await aws.config.requestChecksumCalculation(), await aws.config.responseChecksumValidation()]).toEqual(['WHEN_SUPPORTED', 'WHEN_SUPPORTED']);
    expect(await aws.config.region()).toBe('eu-west-1');
    expect(await custom.config.credentials()).toMatchObject({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    custom.destroy();
    aws.destroy();
  });

  it('a streamed PUT to an S3-compatible store reads back byte-identical (no aws-chunked framing stored as data)', async () => {
    const client = makeS3Client({ endpoint: store.endpoint, forcePathStyle: true, region: 'us-east-1' }, S3_ENV);
    const path = fixture('valid-854x480.mov');
    await client.send(new PutObjectCommand({ Bucket: 'media', Key: 'streamed.mov', Body: createReadStream(path), ContentLength: (await stat(path)).size }));
    client.destroy();
    const fetched = Buffer.from(await (await fetch(`${store.endpoint}/media/streamed.mov`)).arrayBuffer());
    expect(fetched.length).toBe(146_189);
    expect(fetched.equals(await readFile(path))).toBe(true);
  });
});
