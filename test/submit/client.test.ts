import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { CancelledError } from '../../src/shared/cancel.js';
import { ApiError, CreateOutcomeUnknownError, NetworkError, WaitTimeoutError } from '../../src/submit/errors.js';
import { createApiClient } from '../../src/submit/client.js';
import type { Task } from '../../src/submit/task.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { putFixtures, servedResult } from '../helpers/sandbox-media.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-client-', { taskDurationMs: 300, allowInsecureCallbacks: true });
let sandbox: Sandbox;
let urls: Record<string, string>;
let dir: string;
const names = ['landscape-1280x720.jpg', 'valid-800x600.webp', 'valid-854x480-30fps.mp4', 'valid-3s.mp3', 'valid-3s.wav', 'tiny-200x200.png', 'long-16s.mp4'];

beforeAll(async () => {
  ({ sandbox, dir } = box);
  const list = await putFixtures(sandbox, names);
  urls = Object.fromEntries(names.map((name, i) => [name, list[i]!]));
});

const textRequest = { model: 'seedance-2.0-text-to-video', prompt: 'A glass frog on a leaf' } as const;
const createsSoFar = () => sandbox.simulator.createdTasks().length;

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('both models, every documented field', () => {
  it('creates a reference-to-video task with images, video and audio, waits, and downloads a byte-identical result', async () => {
    const client = sandboxClient(sandbox);
    const request = {
      model: 'seedance-2.0-reference-to-video',
      prompt: 'Image 1 and image 2 as style, the camera of video 1, audio 1 and audio 2 as music',
      image_urls: [urls['landscape-1280x720.jpg']!, urls['valid-800x600.webp']!],
      video_urls: [urls['valid-854x480-30fps.mp4']!],
      audio_urls: [urls['valid-3s.mp3']!, urls['valid-3s.wav']!],
      duration: 10,
      quality: '1080p',
      aspect_ratio: '21:9',
      generate_audio: false,
      content_filter: false,
      callback_url: 'https://example.com/hooks/seedance',
    };
    const created = await client.createTask(request);
    expect(created).toMatchObject({ status: 'pending', progress: 0, model: request.model, object: 'video.generation.task', type: 'video', task_info: { video_duration: 10, can_cancel: true } });
    expect(created.id).toMatch(/^task-unified-\d+-[0-9a-f]{8}$/);

    const seen: Task[] = [];
    const done = await client.waitForTask(created.id, { onProgress: (task) => seen.push(task) });
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(100);
    expect(done.results).toEqual([`${sandbox.apiBaseUrl}/files/${created.id}.mp4`]);
    const progresses = seen.map((t) => t.progress ?? 0);
    expect(progresses).toEqual([...progresses].sort((a, b) => a - b));
    expect(seen.map((t) => t.status)).toContain('processing');

    const target = join(dir, 'nested', 'out.mp4');
    const download = await client.downloadResult(done, target);
    const served = await servedResult(sandbox, created.id);
    expect(download).toEqual({ path: target, bytes: served.length, url: done.results![0] });
    expect((await readFile(target)).equals(served)).toBe(true);
    expect((await readdir(join(dir, 'nested'))).filter((name) => name !== 'out.mp4')).toEqual([]);
  });

  it('creates a text-to-video task with model_params.web_search and a callback, which is POSTed the completed task', async () => {
    const { createServer } = await import('node:http');
    const received: unknown[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    try {
      const client = sandboxClient(sandbox);
      const created = await client.createTask({ ...textRequest, duration: 4, quality: '480p', aspect_ratio: 'adaptive', generate_audio: true, content_filter: true, model_params: { web_search: true }, callback_url: `http://127.0.0.1:${port}/done` });
      const done = await client.waitForTask(created.id);
      expect(done.status).toBe('completed');
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]).toEqual(done);
    } finally {
      receiver.close();
    }
  });
});

describe('errors: one typed error per documented status, with the documented body', () => {
  it('401 for a wrong key, never retried', async () => {
    const before = sandbox.simulator.counters().create;
    const error = await caught(createApiClient({ apiKey: 'wrong-key', baseUrl: sandbox.apiBaseUrl }).createTask(textRequest));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'api', retryable: false, status: 401, code: 'unauthorized', type: 'authentication_error', message: 'Invalid or expired token', requestId: expect.stringMatching(/^req-sandbox-\d+$/) });
    expect((error as ApiError).hint).toBe('check EVOLINK_API_KEY: it is missing, wrong or expired (keys: https://evolink.ai/dashboard/keys)');
    expect(sandbox.simulator.counters().create - before).toBe(1);
  });

  it('400 with the field and what is wrong, never retried, no task', async () => {
    const before = createsSoFar();
    const error = await caught(sandboxClient(sandbox).createTask({ ...textRequest, duration: 3 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, field: 'duration', code: 'invalid_request', type: 'invalid_request_error', message: 'Invalid request parameters: duration must be >= 4', retryable: false });
    expect((error as ApiError).hint).toBe('fix the request (field duration) and submit again');
    expect(createsSoFar()).toBe(before);
  });

  it.each([
    [402, 'insufficient_quota', 'insufficient_quota', 'Insufficient quota. Please top up your account.', 'top up the account (https://evolink.ai/dashboard), then submit again'],
    [403, 'model_access_denied', 'invalid_request_error', 'Token does not have access to model: seedance-2.0-text-to-video', 'use a key that has access to this model, or enable the model for the key in the dashboard'],
  ] as const)('%i is not retried', async (status, code, errorType, message, hint) => {
    const before = sandbox.simulator.counters().create;
    sandbox.simulator.failNext(status, 1);
    const error = await caught(sandboxClient(sandbox).createTask(textRequest));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code, type: errorType, message, hint, retryable: false });
    expect(sandbox.simulator.counters().create - before).toBe(1);
  });

  it('429 then success: the retry waits out Retry-After, and one task is created', async () => {
    const before = createsSoFar();
    sandbox.simulator.failNext(429, 1, { retryAfterSeconds: 1, only: 'create' });
    const task = await sandboxClient(sandbox).createTask(textRequest);
    const creates = sandbox.simulator.requestLog().filter((entry) => entry.kind === 'create').slice(-2);
    expect(creates.map((entry) => entry.status)).toEqual([429, 200]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(createsSoFar()).toBe(before + 1);
    expect(sandbox.simulator.createdTasks().at(-1)!.id).toBe(task.id);
  });

  it('429 that persists ends as an ApiError carrying Retry-After', async () => {
    sandbox.simulator.failNext(429, 2, { retryAfterSeconds: 0.01, only: 'create' });
    const error = await caught(sandboxClient(sandbox, { retryPolicies: { create: { maxAttempts: 2 } } }).createTask(textRequest));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'Too many requests, please try again later', retryAfterSeconds: 0.01, retryable: true });
    expect((error as ApiError).hint).toBe('wait a minute (the server asked for 0.01 s) and try again, or send fewer requests at once');
  });

  it('500 on create is retried with backoff and creates exactly one task', async () => {
    const before = { creates: createsSoFar(), requests: sandbox.simulator.counters().create };
    sandbox.simulator.failNext(500, 2, { only: 'create' });
    const retries: number[] = [];
    await sandboxClient(sandbox, { onRetry: (event) => retries.push(event.error!.status) }).createTask(textRequest);
    expect(retries).toEqual([500, 500]);
    expect(sandbox.simulator.counters().create - before.requests).toBe(3);
    expect(createsSoFar()).toBe(before.creates + 1);
  });

  it('500 and 503 that persist end as retryable ApiErrors', async () => {
    sandbox.simulator.failNext(500, 4, { only: 'create' });
    expect(await caught(sandboxClient(sandbox).createTask(textRequest))).toMatchObject({ constructor: ApiError, status: 500, code: 'internal_error', type: 'api_error', message: 'Internal server error', retryable: true, hint: 'the provider failed; try again in a few minutes' });
    sandbox.simulator.failNext(503, 8, { only: 'query' });
    const task = sandbox.simulator.createdTasks()[0]!;
    expect(await caught(sandboxClient(sandbox).getTask(task.id))).toMatchObject({ constructor: ApiError, status: 503, code: 'service_unavailable', type: 'service_unavailable_error', retryable: true, hint: 'the service is unavailable; try again in a few minutes' });
  });

  it('a connection dropped after the create body was sent is not retried, and says to look the task up', async () => {
    const before = { creates: createsSoFar(), requests: sandbox.simulator.counters().create };
    sandbox.simulator.dropNextCreateAfterBody(1);
    const error = await caught(sandboxClient(sandbox).createTask(textRequest));
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(error.message).toMatch(new RegExp(`^the create request to ${sandbox.apiBaseUrl}/v1/videos/generations was sent at \\S+ but no answer came \\(.+\\); a task may have been created and billed$`));
    expect((error as CreateOutcomeUnknownError).hint).toBe(
      "do not submit again yet: look the task up first in your dashboard's task list; submit again only if no task was created",
    );
    expect(sandbox.simulator.counters().create - before.requests).toBe(1);
    // the provider did create (and bill) it: exactly why it must not be sent again
    expect(createsSoFar()).toBe(before.creates + 1);
  });

  it('a create that never connected (refused) is safe to retry, and ends as a NetworkError', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const attempts: number[] = [];
    const client = createApiClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}`, retry: { baseDelayMs: 1, maxAttempts: 3 }, onRetry: (event) => attempts.push(event.attempt) });
    const error = await caught(client.createTask(textRequest));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`create request to http://127.0.0.1:${port}/v1/videos/generations failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(attempts).toEqual([1, 2]);
  });

  it('queries: 503 with Retry-After is retried; a malformed id is 400 invalid_task_id; an unknown one 404', async () => {
    const task = sandbox.simulator.createdTasks()[0]!;
    sandbox.simulator.failNext(503, 1, { retryAfterSeconds: 0.05, only: 'query' });
    expect((await sandboxClient(sandbox).getTask(task.id)).id).toBe(task.id);
    expect(await caught(sandboxClient(sandbox).getTask('abc'))).toMatchObject({ constructor: ApiError, status: 400, code: 'invalid_task_id', message: 'Invalid task ID: abc (task ids start with task-unified-)' });
    expect(await caught(sandboxClient(sandbox).getTask('task-unified-1-nothing'))).toMatchObject({ constructor: ApiError, status: 404, code: 'task_not_found', hint: 'check the task id (the one the create answered with); tasks belong to the key that created them' });
  });
});

describe('failed tasks, timeout and abort', () => {
  it('a task whose image is too small fails with image_processing_error and what the documents allow', async () => {
    const client = sandboxClient(sandbox);
    const created = await client.createTask({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1', image_urls: [urls['tiny-200x200.png']!] });
    const done = await client.waitForTask(created.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('image_processing_error');
    expect(done.error?.message).toBe('image_urls[0]: width and height must be 300-6000 px, got 200x200');
    expect(done.results).toBeUndefined();
  });

  it('a task whose video is too long fails with invalid_parameters', async () => {
    const client = sandboxClient(sandbox);
    const created = await client.createTask({ model: 'seedance-2.0-reference-to-video', prompt: 'video 1', video_urls: [urls['long-16s.mp4']!] });
    const done = await client.waitForTask(created.id);
    expect(done.error?.code).toBe('invalid_parameters');
    expect(done.error?.message).toBe('video_urls[0]: duration must be 2-15 seconds, got 16.0');
  });

  it('a task the provider fails keeps its error code and message', async () => {
    sandbox.simulator.failNextTasks(1, { code: 'content_policy_violation', message: 'The prompt was flagged' });
    const client = sandboxClient(sandbox);
    const done = await client.waitForTask((await client.createTask(textRequest)).id);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'content_policy_violation', message: 'The prompt was flagged', type: 'api_error' } });
  });

  it('gives up after --timeout with the last status, and the task goes on', async () => {
    const client = sandboxClient(sandbox);
    const created = await client.createTask(textRequest);
    const error = await caught(client.waitForTask(created.id, { timeoutMs: 100 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toMatch(new RegExp(`^task ${created.id} did not finish within 0.1 s \\(last status (pending 0|processing \\d+)%\\)$`));
    expect((await client.waitForTask(created.id)).status).toBe('completed');
  });

  it('an abort stops the wait at once with a CancelledError that keeps the reason and the interrupted call', async () => {
    const client = sandboxClient(sandbox, { poll: { initialDelayMs: 10_000 } });
    const created = await client.createTask(textRequest);
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    const error = await caught(client.waitForTask(created.id, { signal: controller.signal }));
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ kind: 'cancelled', message: `waiting for task ${created.id} was cancelled`, reason });
    // the poll's sleep was what the abort interrupted
    expect(error.cause).toBeInstanceOf(CancelledError);
    expect(error.cause).toMatchObject({ message: 'waiting before a retry was cancelled', reason });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an abort while a call waits for its answer cancels the HTTP request itself', async () => {
    const { createServer } = await import('node:http');
    const requests: string[] = [];
    const controller = new AbortController();
    let abortOnArrival = controller;
    const reason = new Error('stop');
    // a server that takes the request and never answers: only the abort, sent once the request arrived, can end the call
    const silent = createServer((request) => {
      requests.push(request.url ?? '');
      abortOnArrival.abort(reason);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const error = await caught(createApiClient({ apiKey: 'k', baseUrl: base }).getTask('task-unified-1-abc', { signal: controller.signal }));
      expect(error).toBeInstanceOf(CancelledError);
      expect(error).toMatchObject({ message: `query request to ${base}/v1/tasks/task-unified-1-abc was cancelled`, reason, cause: reason });
      expect(requests).toEqual(['/v1/tasks/task-unified-1-abc']);

      // a create cancelled after its body left may still have been billed: an unknown outcome, the cancellation its cause
      const stop = new AbortController();
      abortOnArrival = stop;
      const unknown = await caught(createApiClient({ apiKey: 'k', baseUrl: base }).createTask(textRequest, { signal: stop.signal }));
      expect(unknown).toBeInstanceOf(CreateOutcomeUnknownError);
      expect(unknown.cause).toBeInstanceOf(CancelledError);
      expect(unknown.cause).toMatchObject({ message: `create request to ${base}/v1/videos/generations was cancelled`, reason });
      expect(requests).toEqual(['/v1/tasks/task-unified-1-abc', '/v1/videos/generations']);

      // no answer within the request timeout: said plainly, and the fetch's own error kept as the cause
      const late = await caught(createApiClient({ apiKey: 'k', baseUrl: base, requestTimeoutMs: 100, retry: { maxAttempts: 1 } }).getTask('task-unified-1-abc'));
      expect(late).toBeInstanceOf(NetworkError);
      expect(late.message).toBe(`the API at ${base} did not answer within 0.1 s (1 try, 0.1 s in all)`);
      expect((late as NetworkError).noAnswer).toEqual({ baseUrl: base, timeoutMs: 100, tries: 1, spentMs: 100 });
      expect((late.cause as Error).name).toBe('TimeoutError');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('beforeRequest (a fleet\'s pause after a 429)', () => {
  it('is awaited before every API request: the create, its retry, and each poll of the wait; never before the download', async () => {
    const calls: (AbortSignal | undefined)[] = [];
    const logFrom = sandbox.simulator.requestLog().length;
    const client = sandboxClient(sandbox, {
      beforeRequest: async (signal) => {
        calls.push(signal);
        // the request must not leave before this resolves
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    sandbox.simulator.failNext(503, 1, { only: 'create' });
    const task = await client.createTask(textRequest);
    const controller = new AbortController();
    const ended = await client.waitForTask(task.id, { signal: controller.signal });
    await client.downloadResult(ended, join(dir, 'before-request.mp4'));
    const apiRequests = sandbox.simulator.requestLog().slice(logFrom).filter((e) => e.kind !== 'download');
    expect(apiRequests.map((e) => e.kind).slice(0, 3)).toEqual(['create', 'create', 'query']);
    expect(calls).toHaveLength(apiRequests.length);
    // the create is given no signal; every poll gets the wait's
    expect(calls.slice(0, 2)).toEqual([undefined, undefined]);
    for (const signal of calls.slice(2)) expect(signal?.aborted).toBe(false);
  });

  it('a beforeRequest that fails stops the call before anything is sent', async () => {
    const creates = sandbox.simulator.counters().create;
    const client = sandboxClient(sandbox, { beforeRequest: () => Promise.reject(new Error('Redis unreachable')) });
    await expect(client.createTask(textRequest)).rejects.toThrow('Redis unreachable');
    expect(sandbox.simulator.counters().create).toBe(creates);
  });
});
