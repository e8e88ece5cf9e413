import { PreflightError } from '../shared/errors.js';

/** UploadError's code for a file whose bytes are no image, video or audio format. */
export const NOT_MEDIA = 'NotMedia';

/** Which step of one file's upload failed. */
export type UploadStage = 'read' | 'check' | 'upload' | 'url' | 'verify';

/** One file could not be uploaded (or its URL does not work); the message says what to do. */
export class UploadError extends PreflightError {
  readonly kind = 'upload';
  readonly path: string;
  readonly stage: UploadStage;
  /** True when the fix lies in the settings or environment (bucket, credentials, endpoint), not in the file or the network. */
  readonly environment: boolean;
  /** The S3 error code or the system error code, when there is one. */
  readonly code: string | null;
  /** What went wrong and what to do, without the path (the message is "<path>: <detail>"). */
  readonly detail: string;

  constructor(path: string, stage: UploadStage, message: string, options: { environment?: boolean; code?: string | null; cause?: unknown; retryable?: boolean } = {}) {
    super(`${path}: ${message}`, { cause: options.cause, retryable: options.retryable });
    this.path = path;
    this.stage = stage;
    this.environment = options.environment ?? false;
    this.code = options.code ?? null;
    this.detail = message;
  }
}
