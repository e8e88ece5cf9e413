import { z } from 'zod';
import { downloadResult, type DownloadResult } from './download.js';
import { callJson, type HttpContext, type RetryEvent } from './http.js';
import { DEFAULT_POLL_POLICY, type PollPolicy } from './poll-policy.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_RETRY_POLICIES, type Operation, type RetryPolicy } from './retry-policy.js';
import { abortableSleep } from './sleep.js';
import { taskSchema, type Task } from './task.js';
import { waitForTask, type WaitOptions } from './wait.js';
import type { VideoRequest } from '../spec/request-schema.js';
import { resolveBaseUrl } from './base-url.js';
import { ApiBaseCredentialsError } from './settings.js';
import { hasCredentials } from '../shared/redact.js';

export { DEFAULT_REQUEST_TIMEOUT_MS } from './retry-policy.js';

export interface ApiClientOptions {
  apiKey: string;
  /** Default: $EVOLINK_BASE_URL, else https://api.evolink.ai. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Overrides applied to every operation's retry policy. */
  retry?: Partial<RetryPolicy>;
  /** Overrides for one operation (applied after `retry`). */
  retryPolicies?: Partial<Record<Operation, Partial<RetryPolicy>>>;
  poll?: Partial<PollPolicy>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter, 0 ≤ x < 1. */
  random?: () => number;
  /** How long one attempt waits for an answer (default 15 s; a create waits at least 60 s: one cut off is an unknown outcome). */
  requestTimeoutMs?: number;
  /** Told before each retry's wait (for a "rate limited, retrying in 5 s" line). */
  onRetry?: (event: RetryEvent) => void;
  /** Awaited before every API request, each retry and poll included: a fleet's workers pause together after a 429 (src/queue/fleet-pause.ts). */
  beforeRequest?: (signal?: AbortSignal) => Promise<void>;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** POST /v1/videos/generations. Retried on 429/5xx answers; never after the body may have been sent. */
  createTask(request: VideoRequest | Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<Task>;
  /** GET /v1/tasks/{id}. Retried on network errors, 429 and 5xx. */
  getTask(taskId: string, options?: { signal?: AbortSignal }): Promise<Task>;
  /** Polls with backoff until completed, failed or cancelled; resolves with that task. */
  waitForTask(taskId: string, options?: WaitOptions): Promise<Task>;
  /** Streams results[0] to filePath (atomic rename). */
  downloadResult(task: Task, filePath: string, options?: { signal?: AbortSignal }): Promise<DownloadResult>;
}

/** The Seedance 2.0 API client: both models, typed errors, retry per operation. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  // fetch refuses a URL with credentials, and the API takes its key as a bearer token: said before any request
  if (hasCredentials(baseUrl)) throw new ApiBaseCredentialsError(baseUrl);
  const policy = (operation: Operation): RetryPolicy => ({ ...DEFAULT_RETRY_POLICIES[operation], ...options.retry, ...options.retryPolicies?.[operation] });
  const context: HttpContext = {
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    baseUrl,
    onRetry: options.onRetry,
    beforeRequest: options.beforeRequest,
  };
  const poll: PollPolicy = { ...DEFAULT_POLL_POLICY, ...options.poll };

  const getTask: ApiClient['getTask'] = (taskId, { signal } = {}) =>
    callJson({ operation: 'query', method: 'GET', url: `${baseUrl}/v1/tasks/${encodeURIComponent(taskId)}`, apiKey: options.apiKey, schema: taskSchema, policy: policy('query'), signal }, context);

  return {
    baseUrl,
    createTask: (request, { signal } = {}) =>
      callJson({ operation: 'create', method: 'POST', url: `${baseUrl}/v1/videos/generations`, apiKey: options.apiKey, body: request, schema: taskSchema as z.ZodType<Task>, policy: policy('create'), signal }, context),
    getTask,
    waitForTask: (taskId, waitOptions = {}) => waitForTask(taskId, waitOptions, { getTask, sleep: context.sleep, random: context.random, poll }),
    downloadResult: (task, filePath, { signal } = {}) => downloadResult(task, filePath, { signal }, { fetch: context.fetch, sleep: context.sleep, random: context.random, policy: policy('download'), requestTimeoutMs: context.requestTimeoutMs }),
  };
}
