import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { ensureObject, type ObjectOutcome, type UploadRun } from './ensure-object.js';
import { hashFile, requireFile, type HashedFile } from './hash-file.js';
import { objectKey } from './object-key.js';
import { makeS3Client } from './s3-client.js';
import { CancelledError, isCancelled } from '../shared/cancel.js';
import type { UploadProgressEvent } from './upload-progress.js';
import type { UploadResult } from './upload-result.js';
import type { UploadSettings } from './upload-settings.js';

export type { UploadProgressEvent } from './upload-progress.js';
export type { UploadResult } from './upload-result.js';

/** Files uploaded at once. */
export const DEFAULT_FILE_CONCURRENCY = 4;

export interface UploadFilesOptions {
  /** Files at once (default 4); each multipart file also sends `partConcurrency` parts at once. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (event: UploadProgressEvent) => void;
  /** GET each URL from outside the SDK after upload (default true). */
  verify?: boolean;
  /** A client to reuse (not destroyed); otherwise one is made with makeS3Client and destroyed at the end. */
  client?: S3Client;
  /** Environment for credentials when no client is given (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Multipart part size in bytes (default 8 MiB, at least 5 MiB); files up to it go in one PUT. */
  partSize?: number;
  partConcurrency?: number;
  /** Objects other calls are already sending (a batch gives its jobs one map): the same object is sent once. */
  inFlight?: UploadsInFlight;
}

/** Objects being sent, by bucket and key, shared between uploadFiles calls that run at the same time. */
export type UploadsInFlight = Map<string, Promise<ObjectOutcome>>;

/**
 * Uploads media files under content-addressed keys and returns a verified URL for each, in the order of `paths`.
 * An object already in the bucket with the same size is not sent again, nor are the same bytes twice in one call.
 * The first failure stops the others (their multipart uploads are aborted) and is thrown as an UploadError.
 */
export async function uploadFiles(paths: readonly string[], settings: UploadSettings, options: UploadFilesOptions = {}): Promise<UploadResult[]> {
  // every path must be a file before anything is sent
  for (const path of paths) await requireFile(path);
  const client = options.client ?? makeS3Client(settings, options.env);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const run: UploadRun = {
    client,
    settings,
    signal,
    verify: options.verify ?? true,
    ...(options.partSize !== undefined && { partSize: options.partSize }),
    ...(options.partConcurrency !== undefined && { partConcurrency: options.partConcurrency }),
    aclRefused: false,
    leftoversUnchecked: false,
    emit: (event) => options.onProgress?.(event),
  };
  const objects = new Map<string, Promise<ObjectOutcome>>();
  const limit = pLimit(options.concurrency ?? DEFAULT_FILE_CONCURRENCY);

  const uploadOne = async (path: string): Promise<UploadResult> => {
    const file = await hashFile(path, signal);
    run.emit({ type: 'hashed', path, key: objectKey(settings.prefix, file.sha256, file.format), bytes: file.bytes });
    let pending = objects.get(file.sha256);
    const first = pending === undefined;
    if (!pending) {
      pending = ensureOnce(file, run, options.inFlight);
      objects.set(file.sha256, pending);
    }
    const outcome = await pending;
    if (!first) run.emit({ type: 'skipped', path, key: outcome.key, bytes: file.bytes, reason: 'duplicate' });
    const result: UploadResult = { path, key: outcome.key, url: outcome.url, bytes: file.bytes, uploaded: first && outcome.uploaded, contentType: outcome.contentType, sha256: file.sha256 };
    run.emit({ type: 'done', path, result });
    return result;
  };

  try {
    const settled = await Promise.allSettled(
      paths.map((path) =>
        limit(() => uploadOne(path)).catch((error: unknown) => {
          stop.abort(); // the first failure stops the rest; allSettled waits for their cleanup
          throw error;
        }),
      ),
    );
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (options.signal?.aborted) throw failures.find(isCancelled) ?? new CancelledError('uploading', options.signal.reason);
    // the first real failure, not the stops it caused in the other files
    const failure = failures.find((error) => !isCancelled(error)) ?? failures[0];
    if (failure !== undefined) throw failure;
    return settled.map((s) => (s as PromiseFulfilledResult<UploadResult>).value);
  } finally {
    if (!options.client) client.destroy();
  }
}

/**
 * ensureObject, unless another call is sending the same object: then its outcome (as not sent by this call),
 * or, should that call fail or be stopped, this call's own attempt.
 */
function ensureOnce(file: HashedFile, run: UploadRun, inFlight: UploadsInFlight | undefined): Promise<ObjectOutcome> {
  if (!inFlight) return ensureObject(file, run);
  const id = `${run.settings.bucket}/${objectKey(run.settings.prefix, file.sha256, file.format)}`;
  const other = inFlight.get(id);
  if (other) return other.then((outcome) => ({ ...outcome, uploaded: false }), () => ensureObject(file, run));
  const mine = ensureObject(file, run);
  inFlight.set(id, mine);
  // a failed attempt is forgotten, so the next job tries for itself
  mine.catch(() => inFlight.get(id) === mine && inFlight.delete(id));
  return mine;
}
