import type { z } from 'zod';
import { CancelledError, cancellationOr, throwIfCancelled } from '../shared/cancel.js';
import { redactUrls } from '../shared/redact.js';
import { ApiError, CreateOutcomeUnknownError, formatSeconds, InvalidResponseError, NetworkError } from './errors.js';
import { attemptTimeoutMs, bodyMaybeSent, parseRetryAfter, planRetry, type AttemptFailure, type Operation, type RetryPolicy } from './retry-policy.js';

/** What the client passes each retried call. */
export interface HttpContext {
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** How long one attempt waits for an answer (a create: at least MIN_CREATE_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** The API's base URL, as a silent API is named. */
  baseUrl: string;
  onRetry?: (event: RetryEvent) => void;
  /** Awaited before every request, each retry included (a fleet's pause after a 429 anywhere). */
  beforeRequest?: (signal?: AbortSignal) => Promise<void>;
}

/** Told before each retry's wait: which call, why, and how long. */
export interface RetryEvent {
  operation: Operation;
  attempt: number;
  delayMs: number;
  /** The error answer, or null after a network error. */
  error: ApiError | null;
  reason: string;
}

export interface JsonCall<T> {
  operation: 'create' | 'query';
  method: 'GET' | 'POST';
  url: string;
  apiKey: string;
  body?: unknown;
  schema: z.ZodType<T>;
  policy: RetryPolicy;
  signal?: AbortSignal;
}

/** One API call with the operation's retry policy; resolves with the parsed body or throws a typed error. */
export async function callJson<T>(call: JsonCall<T>, context: HttpContext): Promise<T> {
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const what = `${call.operation} request to ${call.url}`;
  const timeoutMs = attemptTimeoutMs(call.operation, context.requestTimeoutMs);
  let silentAttempts = 0;
  /** What the call has taken so far as the bound counts it: each attempt (a silent one its timeout) and each wait. */
  let spentMs = 0;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(call.signal, what);
    if (context.beforeRequest) {
      await context.beforeRequest(call.signal);
      throwIfCancelled(call.signal, what);
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const sentAt = new Date();
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const response = await context.fetch(call.url, {
        method: call.method,
        headers: { authorization: `Bearer ${call.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal,
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      const silent = timeout.aborted && !call.signal?.aborted;
      const maybeSent = bodyMaybeSent(error) || timeout.aborted || Boolean(call.signal?.aborted);
      // a create cancelled after its body may have left is still an unknown outcome: the cancellation is its cause
      const detail = silent ? `no answer within ${formatSeconds(timeoutMs)}` : undefined;
      if (call.operation === 'create' && maybeSent) throw new CreateOutcomeUnknownError(call.url, sentAt, call.signal?.aborted ? new CancelledError(what, call.signal.reason, error) : error, detail);
      if (call.signal?.aborted) throw cancellationOr(error, call.signal, what);
      if (silent) silentAttempts++;
      spentMs += silent ? timeoutMs : Date.now() - sentAt.getTime();
      const failure: AttemptFailure = { kind: 'network', bodyMaybeSent: maybeSent, silentAttempts };
      const decision = planRetry(call.operation, failure, attempt, call.policy, context.random);
      const networkError = new NetworkError(call.operation, call.url, error, detail, silent ? { baseUrl: context.baseUrl, timeoutMs, tries: attempt, spentMs } : undefined);
      if (!decision.retry) throw networkError;
      const reason = silent ? `${call.operation} request to ${redactUrls(call.url)} got no answer within ${formatSeconds(timeoutMs)}` : networkError.message;
      context.onRetry?.({ operation: call.operation, attempt, delayMs: decision.delayMs, error: null, reason });
      await context.sleep(decision.delayMs, call.signal);
      spentMs += decision.delayMs;
      continue;
    }

    const requestId = headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
    if (status >= 200 && status < 300) return parseBody(text, call, status, requestId);

    const error = apiErrorFrom(status, text, headers, call.operation, requestId);
    const decision = planRetry(call.operation, { kind: 'status', status, retryAfterSeconds: error.retryAfterSeconds }, attempt, call.policy, context.random);
    if (!decision.retry) throw error;
    context.onRetry?.({ operation: call.operation, attempt, delayMs: decision.delayMs, error, reason: error.describe() });
    spentMs += Date.now() - sentAt.getTime();
    await context.sleep(decision.delayMs, call.signal);
    spentMs += decision.delayMs;
  }
}

function parseBody<T>(text: string, call: JsonCall<T>, status: number, requestId: string | undefined): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(call.operation, status, `not JSON: ${text.slice(0, 200)}`, requestId);
  }
  const parsed = call.schema.safeParse(data);
  if (!parsed.success) throw new InvalidResponseError(call.operation, status, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), requestId);
  return parsed.data;
}

/** The typed error for an error answer; an unreadable body still gives status, code and message. */
function apiErrorFrom(status: number, text: string, headers: Headers, operation: string, requestId?: string): ApiError {
  let body: unknown = text;
  let detail: { code?: unknown; message?: unknown; type?: unknown } = {};
  try {
    body = JSON.parse(text);
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'object' && error !== null) detail = error as typeof detail;
  } catch {
    // not JSON (a proxy's HTML page): keep the text as the body
  }
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return new ApiError({
    status,
    code: str(detail.code) ?? `http_${status}`,
    type: str(detail.type) ?? 'unknown',
    message: str(detail.message) ?? (text.trim() ? text.trim().slice(0, 200) : `HTTP ${status} with an empty body`),
    requestId,
    retryAfterSeconds: parseRetryAfter(headers.get('retry-after')),
    body,
    operation,
  });
}
