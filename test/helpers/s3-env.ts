import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { S3_STORE_CREDENTIALS } from '../../src/sandbox/s3-store.js';
import { toolBinary } from '../../src/probe/binaries.js';
import { runProcess } from '../../src/shared/spawn.js';
import { makeS3Client } from '../../src/upload/s3-client.js';
import { uploadSettingsFrom, type UploadSettings } from '../../src/upload/upload-settings.js';

/** The environment that signs requests for s3rver. */
export const S3_ENV = { AWS_ACCESS_KEY_ID: S3_STORE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_STORE_CREDENTIALS.secretAccessKey } as const;

/** Settings for bucket `media` at a local endpoint, path-style. */
export function localSettings(endpoint: string, overrides: Partial<UploadSettings> = {}): UploadSettings {
  return uploadSettingsFrom({}, { bucket: 'media', endpoint, forcePathStyle: true, ...overrides });
}

/** Keys of the multipart uploads the store still holds open (through the fault proxy, which answers the listing). */
export async function openMultipartUploads(endpoint: string, bucket = 'media'): Promise<string[]> {
  const client = makeS3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' }, S3_ENV);
  try {
    const listing = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    return (listing.Uploads ?? []).map((u) => u.Key ?? '');
  } finally {
    client.destroy();
  }
}

/** A real WAV of about `seconds` × 192 kB (48 kHz stereo 16-bit sine): big enough for multipart, made in well under a second. */
export async function writeLongWav(dir: string, seconds: number, name = `tone-${seconds}s.wav`): Promise<string> {
  const path = join(dir, name);
  await runProcess(toolBinary('ffmpeg').path, ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`, '-ac', '2', '-c:a', 'pcm_s16le', '-y', path]);
  return path;
}
