/** Which step of one file's upload failed. */
export type UploadStage = 'read' | 'check' | 'upload' | 'url' | 'verify';

/** One file could not be uploaded (or its URL does not work); the message says what to do. */
export class UploadError extends Error {
  readonly path: string;
  readonly stage: UploadStage;
  /** True when the fix lies in the settings or environment (bucket, credentials, endpoint), not in the file or the network. */
  readonly environment: boolean;
  /** The S3 error code or the system error code, when there is one. */
  readonly code: string | null;
  /** What went wrong and what to do, without the path (the message is "<path>: <detail>"). */
  readonly detail: string;

  constructor(path: string, stage: UploadStage, message: string, options: { environment?: boolean; code?: string | null; cause?: unknown } = {}) {
    super(`${path}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UploadError';
    this.path = path;
    this.stage = stage;
    this.environment = options.environment ?? false;
    this.code = options.code ?? null;
    this.detail = message;
  }
}

/** The cancelled operation's error: uploads stopped because the caller's AbortSignal fired. */
export function isAbortError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}
