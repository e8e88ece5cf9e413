import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { sweepTemporaries, temporaryPathFor } from '../shared/temp-file.js';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { cancellationOr, throwIfCancelled } from '../shared/cancel.js';
import { describeNetworkError } from '../shared/describe-network-error.js';
import { DownloadError, formatSeconds } from './errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, parseRetryAfter, planRetry, type RetryPolicy } from './retry-policy.js';
import type { Task } from './task.js';

export interface DownloadContext {
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  policy: RetryPolicy;
  /** How long an attempt waits for the answer, and then for each next piece of the body (default 15 s). */
  requestTimeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  url: string;
}

/** Streams a completed task's results[0] to a temporary name beside `filePath`, then renames it; retried on network errors and 5xx. */
export async function downloadResult(task: Task, filePath: string, options: { signal?: AbortSignal }, context: DownloadContext): Promise<DownloadResult> {
  const url = task.results?.[0];
  if (task.status !== 'completed' || !url) {
    throw new DownloadError(url ?? `task ${task.id}`, task.status !== 'completed' ? `task ${task.id} is ${task.status}, not completed` : `task ${task.id} is completed but has no results`, { taskId: task.id });
  }
  const path = resolve(filePath);
  await mkdir(dirname(path), { recursive: true });
  // what an earlier download killed midway left there; a fresh one may be another process's, still running
  await sweepTemporaries(dirname(path));
  const timeoutMs = context.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let silentAttempts = 0;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(options.signal, `downloading the result of task ${task.id}`);
    const temp = temporaryPathFor(path);
    let failure: { status: number; retryAfterSeconds?: number } | null = null;
    let error: DownloadError;
    // a CDN that stops answering (before the headers, or midway through the body) ends the attempt after timeoutMs of silence
    const silence = silenceTimer(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, silence.signal]) : silence.signal;
    try {
      // the result link is a signed CDN URL: the API key is never sent to it
      const response = await context.fetch(url, { signal });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        failure = { status: response.status, retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')) };
        throw new DownloadError(url, `HTTP ${response.status}${response.status === 403 || response.status === 404 ? ' (the link may have expired: links last 24 hours)' : ''}`, { taskId: task.id });
      }
      const expected = Number(response.headers.get('content-length') ?? NaN);
      const counter = { bytes: 0 };
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      silence.reset();
      body.on('data', (chunk: Buffer) => {
        counter.bytes += chunk.length;
        silence.reset();
      });
      await pipeline(body, createWriteStream(temp), { signal });
      if (Number.isFinite(expected) && counter.bytes !== expected) throw new DownloadError(url, `the connection ended after ${counter.bytes} of ${expected} bytes`, { taskId: task.id });
      await rename(temp, path);
      return { path, bytes: counter.bytes, url };
    } catch (caught) {
      await rm(temp, { force: true });
      if (options.signal?.aborted) throw cancellationOr(caught, options.signal, `downloading the result of task ${task.id}`);
      if (silence.signal.aborted) silentAttempts++;
      const detail = silence.signal.aborted ? `nothing arrived for ${formatSeconds(timeoutMs)} (${attempt} ${attempt === 1 ? 'try' : 'tries'})` : describeNetworkError(caught);
      error = caught instanceof DownloadError ? caught : new DownloadError(url, detail, { cause: caught, taskId: task.id });
    } finally {
      silence.clear();
    }
    const decision = planRetry('download', failure ? { kind: 'status', ...failure } : { kind: 'network', bodyMaybeSent: true, silentAttempts }, attempt, context.policy, context.random);
    if (!decision.retry) throw error;
    await context.sleep(decision.delayMs, options.signal);
  }
}

/** An abort signal that fires after `ms` without a reset: a bound on silence, not on the whole transfer. */
function silenceTimer(ms: number): { signal: AbortSignal; reset: () => void; clear: () => void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DOMException(`nothing arrived for ${ms} ms`, 'TimeoutError')), ms);
  };
  reset();
  return { signal: controller.signal, reset, clear: () => clearTimeout(timer) };
}
