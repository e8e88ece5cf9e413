import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3_STORE_CREDENTIALS } from '../../src/sandbox/s3-store.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { fixture } from './fixtures.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', mp4: 'video/mp4', mov: 'video/quicktime', mp3: 'audio/mpeg', wav: 'audio/wav' };

/** Puts fixtures into the sandbox's bucket with a plain PutObject (no upload stage) and returns their public URLs, in order. */
export async function putFixtures(sandbox: Sandbox, names: readonly string[]): Promise<string[]> {
  const client = new S3Client({
    endpoint: sandbox.s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_STORE_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    const urls: string[] = [];
    for (const name of names) {
      const key = `fixtures/${basename(name)}`;
      const extension = name.split('.').pop() ?? '';
      await client.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: await readFile(fixture(name)), ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' }));
      urls.push(`${sandbox.s3.endpoint}/${sandbox.bucket}/${key}`);
    }
    return urls;
  } finally {
    client.destroy();
  }
}

/** The bytes the simulator served as a completed task's result (each task's video is made for its own request). */
export async function servedResult(sandbox: Sandbox, taskId: string): Promise<Buffer> {
  const path = sandbox.simulator.resultFile(taskId);
  if (!path) throw new Error(`task ${taskId} has no result in the simulator`);
  return readFile(path);
}
