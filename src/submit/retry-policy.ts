import { networkErrorCode } from '../shared/describe-network-error.js';

/** How one operation retries: exponential backoff with jitter, capped, and a bound on Retry-After. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the first retry (milliseconds). */
  baseDelayMs: number;
  /** Growth per retry. */
  factor: number;
  /** No backoff delay exceeds this. */
  maxDelayMs: number;
  /** Up to this fraction of a backoff delay is taken off at random, so many clients do not retry in step. */
  jitter: number;
  /** First delay after a 429 without Retry-After (TASKS.md: one source suggests 60 s; we start lower and grow). */
  rateLimitBaseDelayMs: number;
  /** A Retry-After longer than this is not waited out: the error is returned to the caller. */
  maxRetryAfterMs: number;
  /** Attempts that got no answer within the request timeout, at most: a silent server fails within a stated bound (silentBoundMs). */
  maxSilentAttempts: number;
}

export type Operation = 'create' | 'query' | 'download';

/** Defaults per operation: queries are safe to repeat, so they retry more than creates (which bill). */
export const DEFAULT_RETRY_POLICIES: Readonly<Record<Operation, RetryPolicy>> = {
  // a create that got no answer may have been received: never tried twice (1 silent attempt)
  create: { maxAttempts: 4, baseDelayMs: 1000, factor: 2, maxDelayMs: 30_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000, maxSilentAttempts: 1 },
  // 3 silent tries of 15 s with 0.5 s and 1 s between them: a silent API fails a status within 46.5 s
  query: { maxAttempts: 8, baseDelayMs: 500, factor: 2, maxDelayMs: 30_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000, maxSilentAttempts: 3 },
  download: { maxAttempts: 5, baseDelayMs: 500, factor: 2, maxDelayMs: 15_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000, maxSilentAttempts: 3 },
};

/** One attempt waits this long for an answer (the headers; for a download, also each pause in its body) before it counts as silent. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * A create waits at least this long: one that times out is an unknown outcome (a task may exist, and is never re-sent),
 * so it is given the time a provider that fetches the media before answering may take.
 */
export const MIN_CREATE_TIMEOUT_MS = 60_000;

/** The per-attempt timeout of an operation: the request timeout, and for a create at least MIN_CREATE_TIMEOUT_MS. */
export function attemptTimeoutMs(operation: Operation, requestTimeoutMs: number): number {
  return operation === 'create' ? Math.max(requestTimeoutMs, MIN_CREATE_TIMEOUT_MS) : requestTimeoutMs;
}

/** The longest a call to a server that accepts the connection and never answers takes: its silent tries and the waits between them. Pure. */
export function silentBoundMs(policy: RetryPolicy, timeoutMs: number): number {
  const tries = Math.min(policy.maxSilentAttempts, policy.maxAttempts);
  let total = tries * timeoutMs;
  for (let retry = 0; retry < tries - 1; retry++) total += backoffDelay(retry, policy, () => 0);
  return total;
}

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /**
   * bodyMaybeSent: false only when the connection was never made (refused, no such host). silentAttempts: how many
   * attempts so far (this one included) got no answer within the request timeout.
   */
  | { kind: 'network'; bodyMaybeSent: boolean; silentAttempts?: number };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** The n-th backoff delay (n = 0 for the first retry), with jitter taken off. Pure given `random`. */
export function backoffDelay(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random, baseMs = policy.baseDelayMs): number {
  const full = Math.min(policy.maxDelayMs, baseMs * policy.factor ** retryIndex);
  return Math.round(full * (1 - policy.jitter * random()));
}

/** Whether to retry after `attempts` attempts failed, and after how long. Pure given `random`. */
export function planRetry(operation: Operation, failure: AttemptFailure, attempts: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (failure.kind === 'network') {
    // TASKS.md: no idempotency key, so a create that may have been received is never sent again
    if (operation === 'create' && failure.bodyMaybeSent) return { retry: false, reason: 'the create body may have been received' };
    const silent = failure.silentAttempts ?? 0;
    if (silent >= policy.maxSilentAttempts) return { retry: false, reason: `${silent} attempts got no answer` };
    if (attempts >= policy.maxAttempts) return { retry: false, reason: `${attempts} attempts made` };
    // after a silent try, no jitter: a server that does not answer is no crowd to spread out, and the bound stays exact
    if (silent > 0) return { retry: true, delayMs: backoffDelay(attempts - 1, policy, () => 0) };
  } else if (!isRetryableStatus(failure.status)) {
    return { retry: false, reason: `HTTP ${failure.status} is not retried` };
  }
  if (attempts >= policy.maxAttempts) return { retry: false, reason: `${attempts} attempts made` };
  const retryIndex = attempts - 1;
  if (failure.kind === 'status' && failure.status === 429) {
    if (failure.retryAfterSeconds !== undefined) {
      const delayMs = Math.ceil(failure.retryAfterSeconds * 1000);
      if (delayMs > policy.maxRetryAfterMs) return { retry: false, reason: `Retry-After ${failure.retryAfterSeconds} s is longer than ${policy.maxRetryAfterMs / 1000} s` };
      return { retry: true, delayMs };
    }
    return { retry: true, delayMs: backoffDelay(retryIndex, policy, random, policy.rateLimitBaseDelayMs) };
  }
  return { retry: true, delayMs: backoffDelay(retryIndex, policy, random) };
}

/** 429 and every 5xx are worth another try (TASKS.md "HTTP errors"); 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status < 600);
}

/** Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/** System errors that mean the connection was never made, so no request byte left this machine. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a fetch failure may have happened after the request body was sent. */
export function bodyMaybeSent(error: unknown): boolean {
  const code = networkErrorCode(error);
  return !(code && NOT_SENT_CODES.has(code));
}
