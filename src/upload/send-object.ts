import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { guardedRead } from './guarded-read.js';
import { throwIfCancelled } from '../shared/cancel.js';

/** Parts of 8 MiB: files up to this size go in one PutObject, larger ones as multipart. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** S3 refuses multipart parts under 5 MiB (except the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Parts of one file sent at once. */
export const DEFAULT_PART_CONCURRENCY = 4;

export interface SendObjectInput {
  client: S3Client;
  bucket: string;
  key: string;
  path: string;
  bytes: number;
  sha256: string;
  contentType: string;
  contentDisposition: string;
  acl?: 'public-read';
  partSize?: number;
  partConcurrency?: number;
  signal?: AbortSignal;
  onProgress?: (loaded: number) => void;
}

/**
 * Streams one file to S3 with lib-storage (one PUT, or parallel parts above partSize). A failure, an abort or a file
 * that changes underneath ends the stream, and lib-storage then aborts the multipart upload so no parts are left.
 */
export async function sendObject(input: SendObjectInput): Promise<void> {
  const upload = new Upload({
    client: input.client,
    partSize: Math.max(input.partSize ?? DEFAULT_PART_SIZE, MIN_PART_SIZE),
    queueSize: input.partConcurrency ?? DEFAULT_PART_CONCURRENCY,
    leavePartsOnError: false,
    params: {
      Bucket: input.bucket,
      Key: input.key,
      Body: guardedRead(input.path, input, input.signal),
      ContentLength: input.bytes,
      ContentType: input.contentType,
      ContentDisposition: input.contentDisposition,
      ...(input.acl && { ACL: input.acl }),
    },
  });
  if (input.onProgress) upload.on('httpUploadProgress', (progress) => input.onProgress?.(progress.loaded ?? 0));
  await upload.done();
  // a single PUT already in flight is not cancelled by the stream's abort: report the abort all the same
  throwIfCancelled(input.signal, `uploading ${input.path}`);
}
