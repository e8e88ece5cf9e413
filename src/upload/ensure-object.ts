import { basename } from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, isTransientS3Error } from './describe-s3-error.js';
import { FileChangedError } from './guarded-read.js';
import type { HashedFile } from './hash-file.js';
import { CONTENT_TYPES, contentDisposition, objectKey } from './object-key.js';
import { presignedObjectUrl, publicObjectUrl } from './object-url.js';
import { abortLeftoverUploads, isNoSuchUpload } from './leftover-uploads.js';
import { MIN_PART_SIZE, sendObject } from './send-object.js';
import { UploadError } from './upload-error.js';
import { CancelledError } from '../shared/cancel.js';
import type { UploadProgressEvent } from './upload-progress.js';
import type { UploadSettings } from './upload-settings.js';
import { checkObjectUrl } from './check-object-url.js';

export interface ObjectOutcome {
  key: string;
  url: string;
  contentType: string;
  uploaded: boolean;
}

/** State shared by the objects of one uploadFiles call. */
export interface UploadRun {
  client: S3Client;
  settings: UploadSettings;
  signal: AbortSignal;
  verify: boolean;
  partSize?: number;
  partConcurrency?: number;
  /** Set once the bucket refused an ACL: later objects are sent without one. */
  aclRefused: boolean;
  /** Set once the store refused to list or abort multipart uploads: not asked again, warned once. */
  leftoversUnchecked: boolean;
  emit: (event: UploadProgressEvent) => void;
}

/** Makes sure the bucket holds `file` under its content key (HEAD first, send only when absent) and returns a working URL. */
export async function ensureObject(file: HashedFile, run: UploadRun): Promise<ObjectOutcome> {
  const { settings } = run;
  const key = objectKey(settings.prefix, file.sha256, file.format);
  const contentType = CONTENT_TYPES[file.format];
  const sent = !(await objectExists(file, key, run)) && (await sendWithAclFallback(file, key, contentType, run));
  run.emit(sent ? { type: 'uploaded', path: file.path, key, bytes: file.bytes } : { type: 'skipped', path: file.path, key, bytes: file.bytes, reason: 'exists' });
  await abortLeftovers(file, key, run);
  const url = await objectUrl(file.path, key, run);
  if (run.verify) await checkObjectUrl(file.path, url, contentType, { urlMode: settings.urlMode, aclRefused: run.aclRefused, bucket: settings.bucket, prefix: settings.prefix, signal: run.signal });
  return { key, url, contentType, uploaded: sent };
}

/**
 * The object is in the bucket: abort the multipart uploads of its key still open (left by a killed uploader, or an
 * uploader of the same bytes still sending). Only a warning when the store refuses: the object itself is fine.
 */
async function abortLeftovers(file: HashedFile, key: string, run: UploadRun): Promise<void> {
  // a file no larger than the smallest part is never sent in parts, by this caller or any other
  if (file.bytes <= MIN_PART_SIZE || run.leftoversUnchecked) return;
  try {
    const uploadIds = await abortLeftoverUploads(run.client, run.settings.bucket, key, run.signal);
    if (uploadIds.length > 0) run.emit({ type: 'aborted-leftovers', path: file.path, key, uploadIds });
  } catch (error) {
    if (run.signal.aborted) throw new CancelledError(`uploading ${file.path}`, run.signal.reason, error);
    run.leftoversUnchecked = true;
    run.emit({ type: 'warning', path: file.path, message: leftoverWarning(error, run) });
  }
}

function leftoverWarning(error: unknown, run: UploadRun): string {
  const { code, message } = describeS3Error(error, run.settings);
  const where = run.settings.endpoint ?? `AWS S3 (${run.settings.region})`;
  const why = code === 'NotImplemented' || code === 'MethodNotAllowed' ? `${where} does not implement ListMultipartUploads or AbortMultipartUpload (${code})` : message;
  return `could not look for multipart uploads that an interrupted upload left open in bucket "${run.settings.bucket}": ${why}; their parts are stored (and billed) until removed: add a lifecycle rule with AbortIncompleteMultipartUpload to the bucket, or allow s3:ListBucketMultipartUploads and s3:AbortMultipartUpload`;
}

/** True when the bucket holds the key with the same size; 404 and 403 (no s3:ListBucket) both mean "send it". */
async function objectExists(file: HashedFile, key: string, run: UploadRun): Promise<boolean> {
  try {
    const head = await run.client.send(new HeadObjectCommand({ Bucket: run.settings.bucket, Key: key }), { abortSignal: run.signal });
    return head.ContentLength === file.bytes;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return false;
    // stopped by the caller, or because another file failed: that file's error is the one to report, not this stop
    if (run.signal.aborted) throw new CancelledError(`uploading ${file.path}`, run.signal.reason, error);
    throw s3Failure(file.path, 'check', error, run);
  }
}

/** True once sent; false when another uploader completed the same object first and aborted this upload as a leftover. */
async function sendWithAclFallback(file: HashedFile, key: string, contentType: string, run: UploadRun): Promise<boolean> {
  const send = (acl: 'public-read' | undefined) =>
    sendObject({
      client: run.client,
      bucket: run.settings.bucket,
      key,
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      contentType,
      contentDisposition: contentDisposition(basename(file.path)),
      ...(acl && { acl }),
      ...(run.partSize !== undefined && { partSize: run.partSize }),
      ...(run.partConcurrency !== undefined && { partConcurrency: run.partConcurrency }),
      signal: run.signal,
      onProgress: (loaded) => run.emit({ type: 'sending', path: file.path, key, loaded, bytes: file.bytes }),
    });
  try {
    try {
      await send(run.settings.urlMode === 'public' && !run.aclRefused ? 'public-read' : undefined);
    } catch (error) {
      if ((error as { name?: string }).name !== 'AccessControlListNotSupported') throw error;
      if (!run.aclRefused) {
        run.aclRefused = true;
        run.emit({ type: 'warning', path: file.path, message: `bucket "${run.settings.bucket}" does not allow ACLs (Object Ownership "bucket owner enforced"): sending without the public-read ACL; the URLs work only if a bucket policy or the public base URL makes the objects readable` });
      }
      await send(undefined);
    }
    return true;
  } catch (error) {
    if (run.signal.aborted) throw new CancelledError(`uploading ${file.path}`, run.signal.reason, error);
    if (isNoSuchUpload(error) && (await objectExists(file, key, run))) return false;
    if (error instanceof FileChangedError) {
      throw new UploadError(file.path, 'upload', `${error.message}: nothing was stored; wait until whatever writes the file has finished, then run again`, { code: 'FileChanged', cause: error, retryable: true });
    }
    throw s3Failure(file.path, 'upload', error, run);
  }
}

async function objectUrl(path: string, key: string, run: UploadRun): Promise<string> {
  if (run.settings.urlMode === 'public') return publicObjectUrl(run.settings, key);
  try {
    return await presignedObjectUrl(run.client, run.settings.bucket, key, run.settings.expiresSeconds);
  } catch (error) {
    throw s3Failure(path, 'url', error, run);
  }
}

function s3Failure(path: string, stage: 'check' | 'upload' | 'url', error: unknown, run: UploadRun): UploadError {
  const text = describeS3Error(error, run.settings);
  const verb = stage === 'check' ? 'could not check whether the bucket already holds it' : stage === 'url' ? 'could not sign its URL' : 'could not be uploaded';
  return new UploadError(path, stage, `${verb}: ${text.message}`, { environment: text.environment, code: text.code, cause: error, retryable: isTransientS3Error(error) });
}
