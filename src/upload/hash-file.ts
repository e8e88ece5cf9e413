import { stat } from 'node:fs/promises';
import { SNIFF_BYTES, detectFormat } from '../probe/detect-format.js';
import type { MediaFormat } from '../probe/media-info.js';
import { cancellationOr } from '../shared/cancel.js';
import { sha256File } from '../shared/sha256-file.js';
import { NOT_MEDIA, UploadError } from './upload-error.js';

export interface HashedFile {
  path: string;
  bytes: number;
  sha256: string;
  format: MediaFormat;
}

/** Streams a file once: its SHA-256, byte count and format; refuses paths that are not media files. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<HashedFile> {
  await requireFile(path);
  let head = Buffer.alloc(0);
  let hashed: { sha256: string; bytes: number };
  try {
    hashed = await sha256File(path, {
      signal,
      onChunk: (chunk) => {
        if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      },
    });
  } catch (error) {
    if (signal?.aborted) throw cancellationOr(error, signal, `reading ${path}`);
    throw new UploadError(path, 'read', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { code: (error as NodeJS.ErrnoException).code ?? null, cause: error });
  }
  const format = await detectFormat(head);
  if (format === null) throw new UploadError(path, 'read', 'is not a media format we recognise (its first bytes are not an image, video or audio signature)', { environment: false, code: NOT_MEDIA });
  return { path, bytes: hashed.bytes, sha256: hashed.sha256, format };
}

/** Throws unless `path` is an existing regular file. */
export async function requireFile(path: string): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UploadError(path, 'read', error.code === 'ENOENT' ? 'does not exist: check the path' : `cannot be read (${error.code ?? error.message})`, { environment: true, code: error.code ?? null, cause: error });
  });
  if (!info.isFile()) throw new UploadError(path, 'read', `is ${info.isDirectory() ? 'a directory' : 'not a regular file'}: upload takes media files (for a folder, pass its files: folder/*)`, { environment: true });
}
