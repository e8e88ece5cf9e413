import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { PreflightError } from '../shared/errors.js';

/** The file's bytes no longer match what was hashed: sending them would put wrong content under a content-addressed key. */
export class FileChangedError extends PreflightError {
  readonly kind = 'file-changed';
  constructor(readonly expectedBytes: number, readonly actualBytes: number, readonly sameSize: boolean) {
    super(sameSize ? 'its content changed after it was hashed' : `its size changed after it was hashed (${expectedBytes} bytes, then ${actualBytes}${actualBytes > expectedBytes ? ' or more' : ''})`, {
      hint: 'wait until whatever writes the file has finished, then try again',
      retryable: true,
    });
  }
}

/** Reads a file as a stream that fails (before its end is seen) when the bytes differ in size or hash from `expected`. */
export function guardedRead(path: string, expected: { bytes: number; sha256: string }, signal?: AbortSignal): Transform {
  const hash = createHash('sha256');
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > expected.bytes) return callback(new FileChangedError(expected.bytes, seen, false));
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (seen !== expected.bytes) return callback(new FileChangedError(expected.bytes, seen, false));
      if (hash.digest('hex') !== expected.sha256) return callback(new FileChangedError(expected.bytes, seen, true));
      callback();
    },
  });
  // pipeline carries a read error or an abort from the file into the guard, which lib-storage is reading
  pipeline(createReadStream(path, { signal }), guard, () => {});
  return guard;
}
