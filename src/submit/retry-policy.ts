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
}

export type Operation = 'create' | 'query' | 'download';

/** Defaults per operation: queries are safe to repeat, so they retry more than creates (which bill). */
export const DEFAULT_RETRY_POLICIES: Readonly<Record<Operation, RetryPolicy>> = {
  create: { maxAttempts: 4, baseDelayMs: 1000, factor: 2, maxDelayMs: 30_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000 },
  query: { maxAttempts: 8, baseDelayMs: 500, factor: 2, maxDelayMs: 30_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000 },
  download: { maxAttempts: 5, baseDelayMs: 500, factor: 2, maxDelayMs: 15_000, jitter: 0.2, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 120_000 },
};

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** bodyMaybeSent: false only when the connection was never made (refused, no such host). */
  | { kind: 'network'; bodyMaybeSent: boolean };

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
