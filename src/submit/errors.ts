import { describeNetworkError } from '../shared/describe-network-error.js';
import { redactUrls } from '../shared/redact.js';
import { PreflightError } from '../shared/errors.js';
import { isRetryableStatus } from './retry-policy.js';
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

/** What to do about an error answer, by status (TASKS.md "HTTP errors"); 404 is answered for unknown task ids. */
const API_HINTS: Readonly<Record<number, (error: ApiErrorInit & { field: string | undefined }) => string>> = {
  400: ({ field }) => `fix the request${field ? ` (field ${field})` : ''} and submit again`,
  401: () => 'check EVOLINK_API_KEY: it is missing, wrong or expired (keys: https://evolink.ai/dashboard/keys)',
  402: () => 'top up the account (https://evolink.ai/dashboard), then submit again',
  403: () => 'use a key that has access to this model, or enable the model for the key in the dashboard',
  404: () => 'check the task id (the one the create answered with); tasks belong to the key that created them',
  429: ({ retryAfterSeconds }) => `wait a minute${retryAfterSeconds !== undefined ? ` (the server asked for ${retryAfterSeconds} s)` : ''} and try again, or send fewer requests at once`,
  500: () => 'the provider failed; try again in a few minutes',
};
const SERVER_UNAVAILABLE_HINT = 'the service is unavailable; try again in a few minutes';
const UNDOCUMENTED_HINT = 'the API answered in an undocumented way; try again, and report it if it persists';

/** The hint for an error answer: one table by status; other 5xx are "unavailable", anything else undocumented. */
export function apiErrorHint(init: ApiErrorInit): string {
  const hint = API_HINTS[init.status];
  if (hint) return hint({ ...init, field: fieldOf(init.body) });
  return init.status > 500 && init.status < 600 ? SERVER_UNAVAILABLE_HINT : UNDOCUMENTED_HINT;
}

/** An error answer of the API, discriminated by `status`: the body's code/type/message, the request id, the body, and what to do. */
export class ApiError extends PreflightError {
  readonly kind = 'api';
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly body: unknown;
  readonly operation: string | undefined;
  /** The request field a 400 names (the body's error.param), when it names one. */
  readonly field: string | undefined;
  declare readonly hint: string;

  constructor(init: ApiErrorInit) {
    super(init.message, { hint: apiErrorHint(init), retryable: isRetryableStatus(init.status) });
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
    this.operation = init.operation;
    this.field = fieldOf(init.body);
  }

  /** One line for people: "HTTP 402 insufficient_quota: Insufficient quota… (request id r-1)". */
  describe(): string {
    const id = this.requestId ? ` (request id ${this.requestId})` : '';
    return `HTTP ${this.status} ${this.code}: ${this.message}${id}`;
  }
}

function fieldOf(body: unknown): string | undefined {
  const param = (body as { error?: { param?: unknown } } | null | undefined)?.error?.param;
  return typeof param === 'string' && param !== '' ? param : undefined;
}

/** Attempts that each got no answer within their timeout: how many, how long each waited, and the time they took with the waits between. */
export interface NoAnswer {
  baseUrl: string;
  timeoutMs: number;
  tries: number;
  spentMs: number;
}

/** The connection failed and retries (if any) ran out; `noAnswer` when the last attempt got no answer within its timeout. */
export class NetworkError extends PreflightError {
  readonly kind = 'network';
  declare readonly hint: string;
  /** `detail` says what happened when the cause alone would not ("no answer within 60 s"); the cause is kept either way. */
  constructor(readonly operation: string, readonly url: string, cause: unknown, detail: string = describeNetworkError(cause), readonly noAnswer?: NoAnswer) {
    super(noAnswer ? noAnswerMessage(noAnswer) : `${operation} request to ${redactUrls(url)} failed: ${detail}`, {
      cause,
      retryable: true,
      hint: noAnswer ? 'check the network and the API base URL (--api-base, EVOLINK_BASE_URL or apiBase in the config file), or allow each request longer (requestTimeoutMs)' : 'check the network and the API base URL (--api-base, EVOLINK_BASE_URL or apiBase in the config file), then try again',
    });
  }
}

/** "the API at https://… did not answer within 15 s (3 tries, 46.5 s in all)". */
function noAnswerMessage({ baseUrl, timeoutMs, tries, spentMs }: NoAnswer): string {
  return `the API at ${redactUrls(baseUrl)} did not answer within ${formatSeconds(timeoutMs)} (${tries} ${tries === 1 ? 'try' : 'tries'}, ${formatSeconds(Math.ceil(spentMs / 100) * 100)} in all)`;
}

/**
 * A create whose body may have reached the provider before the connection failed (or the caller cancelled). The task
 * may exist and be billed; there is no idempotency key (TASKS.md), so it is never retried.
 */
export class CreateOutcomeUnknownError extends PreflightError {
  readonly kind = 'create-outcome-unknown';
  declare readonly hint: string;
  constructor(readonly url: string, readonly sentAt: Date, cause: unknown, detail: string = describeNetworkError(cause)) {
    super(`the create request to ${redactUrls(url)} was sent at ${sentAt.toISOString()} but no answer came (${detail}); a task may have been created and billed`, {
      cause,
      hint: "do not submit again yet: look the task up first in your dashboard's task list; submit again only if no task was created",
    });
  }
}

/** The answer was not the JSON the documents describe. */
export class InvalidResponseError extends PreflightError {
  readonly kind = 'invalid-response';
  declare readonly hint: string;
  constructor(readonly operation: string, readonly status: number, detail: string, readonly requestId?: string) {
    super(`${operation} answered HTTP ${status} with an unexpected body: ${detail}`, { hint: 'the API answered something unexpected; check that the API base URL (--api-base, EVOLINK_BASE_URL or apiBase in the config file) points at the API' });
  }
}

/** Task error codes after which submitting the same request again can succeed (TASKS.md error codes). */
const TRANSIENT_TASK_CODES: ReadonlySet<string> = new Set(['generation_failed_no_content', 'generation_timeout', 'service_error', 'service_unavailable', 'quota_exceeded', 'resource_exhausted']);

/** The task ended as failed or cancelled: carries its error code and message. */
export class TaskFailedError extends PreflightError {
  readonly kind = 'task-failed';
  readonly code: string;
  declare readonly hint: string;
  constructor(readonly task: Task) {
    const code = task.error?.code ?? (task.status === 'cancelled' ? 'cancelled' : 'unknown_error');
    super(`task ${task.id} ${task.status}: ${code}${task.error?.message ? `: ${task.error.message}` : ''}`, { hint: taskFailureHint(code), retryable: TRANSIENT_TASK_CODES.has(code) });
    this.code = code;
  }
}

/** The wait ran out of time; the task goes on at the provider. */
export class WaitTimeoutError extends PreflightError {
  readonly kind = 'wait-timeout';
  declare readonly hint: string;
  constructor(readonly task: Task | null, readonly timeoutMs: number, readonly taskId: string) {
    super(`task ${taskId} did not finish within ${formatSeconds(timeoutMs)} (last status ${task ? `${task.status} ${task.progress ?? 0}%` : 'unknown'})`, {
      hint: 'the task continues at the provider: wait for it again to get its result',
      retryable: true,
    });
  }
}

/** The result could not be downloaded. */
export class DownloadError extends PreflightError {
  readonly kind = 'download';
  declare readonly hint: string;
  /** The task whose result it is, when known. */
  readonly taskId: string | undefined;
  constructor(readonly url: string, detail: string, options: { cause?: unknown; taskId?: string } = {}) {
    super(`downloading ${redactUrls(url)} failed: ${detail}`, { cause: options.cause, hint: 'the result link is valid for 24 hours after completion: download it again before then', retryable: true });
    this.taskId = options.taskId;
  }
}

/** What to do about a failed task's error code (TASKS.md error codes). */
export function taskFailureHint(code: string): string {
  switch (code) {
    case 'invalid_parameters':
    case 'image_processing_error':
    case 'image_dimension_mismatch':
      return 'the provider rejected the media or parameters: check and fix the media, then submit again';
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

/** "15 s", "0.1 s": seconds as a person reads them. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
