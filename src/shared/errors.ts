/** Every kind of error the library throws: a stable name scripts and the CLI can switch on. */
export type ErrorKind =
  | 'api'
  | 'api-key-missing'
  | 'api-settings'
  | 'binary-missing'
  | 'cancelled'
  | 'create-outcome-unknown'
  | 'create-claim'
  | 'download'
  | 'file-changed'
  | 'file-system'
  | 'fix-verification'
  | 'input-file'
  | 'invalid-response'
  | 'job-stage'
  | 'journal'
  | 'network'
  | 'output-guard'
  | 'process'
  | 'profile'
  | 'queue'
  | 'report'
  | 'request-file'
  | 'task-failed'
  | 'upload'
  | 'upload-settings'
  | 'wait-timeout';

export interface PreflightErrorOptions {
  /** What to do about it, when the message does not already say so. Never names a CLI command: the CLI adds those. */
  hint?: string;
  /** Whether the same call can succeed if tried again later. */
  retryable?: boolean;
  /** The original error, kept whole. */
  cause?: unknown;
}

/** The base of every error the library throws: a kind, what to do, whether a retry can help, and the original error. */
export abstract class PreflightError extends Error {
  abstract readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: PreflightErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}
