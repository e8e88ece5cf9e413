import type { Task } from './task.js';

export interface ApiErrorInit {
  status: number;
  code: string;
  type: string;
  message: string;
  requestId?: string;
  /** Seconds the server asked us to wait (Retry-After), when given. */
  retryAfterSeconds?: number;
  /** The parsed error body, with any extra fields (param, fallback_suggestion). */
  body?: unknown;
  /** Which call failed: "create" or "query". */
  operation?: string;
}

/** An error answer of the API: the status, the body's code/type/message, the request id, and what to do. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly body: unknown;
  readonly operation: string | undefined;
  /** What the user should do about it. */
  readonly hint: string;
  /** Whether trying again later can succeed. */
  readonly retryable: boolean;

  constructor(init: ApiErrorInit, hint: string, retryable: boolean) {
    super(init.message);
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
    this.operation = init.operation;
    this.hint = hint;
    this.retryable = retryable;
  }

  /** One line for people: "HTTP 402 insufficient_quota: Insufficient quota… (request id r-1)". */
  describe(): string {
    const id = this.requestId ? ` (request id ${this.requestId})` : '';
    return `HTTP ${this.status} ${this.code}: ${this.message}${id}`;
  }
}

/** 400: the request breaks a rule the provider checks. */
export class BadRequestError extends ApiError {
  constructor(init: ApiErrorInit) {
    const param = typeof (init.body as { error?: { param?: unknown } })?.error?.param === 'string' ? ` (field ${(init.body as { error: { param: string } }).error.param})` : '';
    super(init, `fix the request${param} and submit again; run seedance-preflight check --request FILE to see every rule it breaks`, false);
  }
}

/** 401: key missing, wrong or expired. */
export class UnauthorizedError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'check EVOLINK_API_KEY: it is missing, wrong or expired (keys: https://evolink.ai/dashboard/keys)', false);
  }
}

/** 402: the account has no quota left. */
export class InsufficientQuotaError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'top up the account (https://evolink.ai/dashboard), then submit again', false);
  }
}

/** 403: the key may not use this model. */
export class ModelAccessDeniedError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'use a key that has access to this model, or enable the model for the key in the dashboard', false);
  }
}

/** 404: no such task (not in the documents' table; answered for unknown ids). */
export class NotFoundError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'check the task id (it is printed by submit); tasks belong to the key that created them', false);
  }
}

/** 429: too many requests; honour Retry-After. */
export class RateLimitError extends ApiError {
  constructor(init: ApiErrorInit) {
    const after = init.retryAfterSeconds !== undefined ? ` (the server asked for ${init.retryAfterSeconds} s)` : '';
    super(init, `wait a minute${after} and try again, or send fewer requests at once`, true);
  }
}

/** 500: the provider failed. */
export class InternalServerError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'the provider failed; try again in a few minutes', true);
  }
}

/** 502, 503 and other 5xx: the provider or its upstream is unavailable. */
export class ServiceUnavailableError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'the service is unavailable; try again in a few minutes', true);
  }
}

/** Any other status: kept with its body so nothing is lost. */
export class UnexpectedStatusError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'the API answered in an undocumented way; try again, and report it if it persists', false);
  }
}

/** The typed error for an error status (TASKS.md "HTTP errors"). */
export function errorForStatus(init: ApiErrorInit): ApiError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new UnauthorizedError(init);
    case 402:
      return new InsufficientQuotaError(init);
    case 403:
      return new ModelAccessDeniedError(init);
    case 404:
      return new NotFoundError(init);
    case 429:
      return new RateLimitError(init);
    case 500:
      return new InternalServerError(init);
    default:
      return init.status > 500 && init.status < 600 ? new ServiceUnavailableError(init) : new UnexpectedStatusError(init);
  }
}

/** The connection failed and retries (if any) ran out. */
export class NetworkError extends Error {
  readonly hint = 'check the network and EVOLINK_BASE_URL / --api-base, then try again';
  constructor(readonly operation: string, readonly url: string, cause: unknown) {
    super(`${operation} request to ${url} failed: ${describeNetworkCause(cause)}`, { cause });
    this.name = 'NetworkError';
  }
}

/**
 * A create whose body may have reached the provider before the connection failed. The task may
 * exist and be billed; there is no idempotency key (TASKS.md), so it is never retried.
 */
export class CreateOutcomeUnknownError extends Error {
  readonly hint: string;
  constructor(readonly url: string, readonly sentAt: Date, cause: unknown) {
    super(`the create request to ${url} was sent at ${sentAt.toISOString()} but no answer came (${describeNetworkCause(cause)}); a task may have been created and billed`, { cause });
    this.name = 'CreateOutcomeUnknownError';
    this.hint =
      'do not submit again yet: look the task up first (your dashboard\'s task list, or seedance-preflight status TASK_ID once you know its id); submit again only if no task was created';
  }
}

/** The answer was not the JSON the documents describe. */
export class InvalidResponseError extends Error {
  readonly hint = 'the API answered something unexpected; check --api-base / EVOLINK_BASE_URL points at the API';
  constructor(readonly operation: string, readonly status: number, detail: string, readonly requestId?: string) {
    super(`${operation} answered HTTP ${status} with an unexpected body: ${detail}`);
    this.name = 'InvalidResponseError';
  }
}

/** The task ended as failed or cancelled: carries its error code and message. */
export class TaskFailedError extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(readonly task: Task) {
    const code = task.error?.code ?? (task.status === 'cancelled' ? 'cancelled' : 'unknown_error');
    super(`task ${task.id} ${task.status}: ${code}${task.error?.message ? `: ${task.error.message}` : ''}`);
    this.name = 'TaskFailedError';
    this.code = code;
    this.hint = taskFailureHint(code);
  }
}

/** The wait ran out of time; the task goes on at the provider. */
export class WaitTimeoutError extends Error {
  readonly hint: string;
  constructor(readonly task: Task | null, readonly timeoutMs: number, readonly taskId: string) {
    super(`task ${taskId} did not finish within ${formatSeconds(timeoutMs)} (last status ${task ? `${task.status} ${task.progress ?? 0}%` : 'unknown'})`);
    this.name = 'WaitTimeoutError';
    this.hint = `the task continues at the provider: run seedance-preflight wait ${taskId} to keep waiting`;
  }
}

/** The result could not be downloaded. */
export class DownloadError extends Error {
  readonly hint = 'the result link is valid for 24 hours: run seedance-preflight wait TASK_ID --download FILE again';
  constructor(readonly url: string, detail: string, cause?: unknown) {
    super(`downloading ${url} failed: ${detail}`, { cause });
    this.name = 'DownloadError';
  }
}

/** What to do about a failed task's error code (TASKS.md error codes). */
export function taskFailureHint(code: string): string {
  switch (code) {
    case 'invalid_parameters':
    case 'image_processing_error':
    case 'image_dimension_mismatch':
      return 'the provider rejected the media or parameters: run seedance-preflight check (and fix) on the media, then submit again';
    case 'content_policy_violation':
      return 'change the prompt or media so they meet the content policy';
    case 'quota_exceeded':
    case 'resource_exhausted':
      return 'top up the account or wait for quota, then submit again';
    case 'generation_failed_no_content':
    case 'generation_timeout':
    case 'service_error':
    case 'service_unavailable':
      return 'the generation failed at the provider; submit again later';
    case 'cancelled':
      return 'the task was cancelled; submit again if you still want it';
    default:
      return 'submit again; if it fails the same way, contact the provider with the task id';
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A network failure's code and message (undici puts the system error in `cause`). */
export function describeNetworkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if ((error as { code?: string }).code) return `${(error as { code: string }).code}: ${(error as Error).message}`;
  return (error as Error)?.message ?? String(error);
}
