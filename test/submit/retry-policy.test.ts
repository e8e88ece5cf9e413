import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_POLICY, pollDelay, pollTimes } from '../../src/submit/poll-policy.js';
import { attemptTimeoutMs, backoffDelay, bodyMaybeSent, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_RETRY_POLICIES, parseRetryAfter, planRetry, silentBoundMs, type AttemptFailure, type Operation } from '../../src/submit/retry-policy.js';

const noJitter = () => 0;
const policy = { ...DEFAULT_RETRY_POLICIES.query, baseDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0.5, rateLimitBaseDelayMs: 5000, maxRetryAfterMs: 60_000, maxAttempts: 4 };

describe('planRetry', () => {
  const cases: [Operation, AttemptFailure, number, ReturnType<typeof planRetry>][] = [
    ['create', { kind: 'status', status: 400 }, 1, { retry: false, reason: 'HTTP 400 is not retried' }],
    ['create', { kind: 'status', status: 401 }, 1, { retry: false, reason: 'HTTP 401 is not retried' }],
    ['query', { kind: 'status', status: 402 }, 1, { retry: false, reason: 'HTTP 402 is not retried' }],
    ['query', { kind: 'status', status: 403 }, 1, { retry: false, reason: 'HTTP 403 is not retried' }],
    ['create', { kind: 'status', status: 500 }, 1, { retry: true, delayMs: 100 }],
    ['create', { kind: 'status', status: 503 }, 2, { retry: true, delayMs: 200 }],
    ['query', { kind: 'status', status: 502 }, 3, { retry: true, delayMs: 400 }],
    ['query', { kind: 'status', status: 500 }, 4, { retry: false, reason: '4 attempts made' }],
    ['create', { kind: 'status', status: 429, retryAfterSeconds: 2 }, 1, { retry: true, delayMs: 2000 }],
    ['create', { kind: 'status', status: 429, retryAfterSeconds: 0.25 }, 1, { retry: true, delayMs: 250 }],
    ['query', { kind: 'status', status: 429, retryAfterSeconds: 61 }, 1, { retry: false, reason: 'Retry-After 61 s is longer than 60 s' }],
    ['query', { kind: 'status', status: 429 }, 1, { retry: true, delayMs: 1000 }],
    ['create', { kind: 'network', bodyMaybeSent: true }, 1, { retry: false, reason: 'the create body may have been received' }],
    ['create', { kind: 'network', bodyMaybeSent: false }, 1, { retry: true, delayMs: 100 }],
    ['query', { kind: 'network', bodyMaybeSent: true }, 2, { retry: true, delayMs: 200 }],
    ['download', { kind: 'network', bodyMaybeSent: true }, 4, { retry: false, reason: '4 attempts made' }],
    // a silent attempt (no answer within the request timeout): retried without jitter, up to maxSilentAttempts (3)
    ['query', { kind: 'network', bodyMaybeSent: true, silentAttempts: 1 }, 1, { retry: true, delayMs: 100 }],
    ['query', { kind: 'network', bodyMaybeSent: true, silentAttempts: 2 }, 2, { retry: true, delayMs: 200 }],
    ['query', { kind: 'network', bodyMaybeSent: true, silentAttempts: 3 }, 3, { retry: false, reason: '3 attempts got no answer' }],
    ['query', { kind: 'network', bodyMaybeSent: true, silentAttempts: 1 }, 4, { retry: false, reason: '4 attempts made' }],
    ['create', { kind: 'network', bodyMaybeSent: true, silentAttempts: 1 }, 1, { retry: false, reason: 'the create body may have been received' }],
  ];
  it.each(cases)('%s after %j (attempt %i) → %j', (operation, failure, attempts, expected) => {
    expect(planRetry(operation, failure, attempts, policy, noJitter)).toEqual(expected);
  });

  it('takes up to `jitter` of a backoff delay off at random, never adds to it', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(50);
    expect(backoffDelay(0, policy, () => 0.5)).toBe(75);
    expect(backoffDelay(5, policy, noJitter)).toBe(1000);
  });

  it('jitter never shortens the wait after a silent attempt (the bound stays exact)', () => {
    expect(planRetry('query', { kind: 'network', bodyMaybeSent: true, silentAttempts: 1 }, 1, policy, () => 0.999)).toEqual({ retry: true, delayMs: 100 });
  });

  it('retries creates less than queries by default', () => {
    expect(DEFAULT_RETRY_POLICIES.create.maxAttempts).toBeLessThan(DEFAULT_RETRY_POLICIES.query.maxAttempts);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['3', 3],
    ['1.5', 1.5],
    ['soon', undefined],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ])('%j → %j', (header, seconds) => {
    expect(parseRetryAfter(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(seconds);
  });
});

describe('bodyMaybeSent', () => {
  const fetchError = (code?: string) => Object.assign(new TypeError('fetch failed'), { cause: code ? Object.assign(new Error(code), { code }) : undefined });
  it.each([
    ['ECONNREFUSED', false],
    ['ENOTFOUND', false],
    ['EAI_AGAIN', false],
    ['UND_ERR_CONNECT_TIMEOUT', false],
    ['ECONNRESET', true],
    ['UND_ERR_SOCKET', true],
    [undefined, true],
  ])('%s → %s', (code, expected) => {
    expect(bodyMaybeSent(fetchError(code))).toBe(expected);
  });
});

describe('poll policy', () => {
  it('grows from 1 s by 1.5× to a 5 s ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => pollDelay(i, DEFAULT_POLL_POLICY, noJitter))).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
  });

  it('queries a 60 s task 16 times and sees completion within the ceiling', () => {
    const times = pollTimes(60_000, DEFAULT_POLL_POLICY);
    expect(times).toEqual([0, 1000, 2500, 4750, 8125, 13125, 18125, 23125, 28125, 33125, 38125, 43125, 48125, 53125, 58125, 63125]);
    expect(times.at(-1)! - 60_000).toBeLessThanOrEqual(DEFAULT_POLL_POLICY.maxDelayMs);
  });
});

describe('the bound on an API that accepts the connection and never answers (defaults, as data)', () => {
  it.each([
    // operation, request timeout, per-attempt timeout, silent tries, total bound: tries × timeout + the waits between them
    ['query', DEFAULT_REQUEST_TIMEOUT_MS, 15_000, 3, 46_500],
    ['download', DEFAULT_REQUEST_TIMEOUT_MS, 15_000, 3, 46_500],
    ['create', DEFAULT_REQUEST_TIMEOUT_MS, 60_000, 1, 60_000],
    ['query', 1000, 1000, 3, 4500],
    ['create', 90_000, 90_000, 1, 90_000],
  ] as const)('%s, request timeout %i ms: %i ms per try, %i tries, %i ms in all', (operation, requestTimeoutMs, perTry, tries, bound) => {
    const policy = DEFAULT_RETRY_POLICIES[operation];
    expect(attemptTimeoutMs(operation, requestTimeoutMs)).toBe(perTry);
    expect(Math.min(policy.maxSilentAttempts, policy.maxAttempts)).toBe(tries);
    expect(silentBoundMs(policy, perTry)).toBe(bound);
  });

  it('status against a silent API fails in under a minute by default', () => {
    expect(silentBoundMs(DEFAULT_RETRY_POLICIES.query, attemptTimeoutMs('query', DEFAULT_REQUEST_TIMEOUT_MS))).toBeLessThan(60_000);
  });
});
