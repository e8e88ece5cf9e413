import { describe, expect, it } from 'vitest';
import { PreflightError } from '../../src/shared/errors.js';
import { ApiError, apiErrorHint, TaskFailedError } from '../../src/submit/errors.js';

const init = (status: number, extra: { body?: unknown; retryAfterSeconds?: number } = {}) => ({ status, code: `c${status}`, type: 't', message: `m${status}`, ...extra });

describe('ApiError: one class, discriminated by status; hints from one table', () => {
  it.each([
    [400, {}, 'fix the request and submit again', false],
    [400, { body: { error: { param: 'duration' } } }, 'fix the request (field duration) and submit again', false],
    [401, {}, 'check EVOLINK_API_KEY: it is missing, wrong or expired (keys: https://evolink.ai/dashboard/keys)', false],
    [402, {}, 'top up the account (https://evolink.ai/dashboard), then submit again', false],
    [403, {}, 'use a key that has access to this model, or enable the model for the key in the dashboard', false],
    [404, {}, 'check the task id (the one the create answered with); tasks belong to the key that created them', false],
    [429, {}, 'wait a minute and try again, or send fewer requests at once', true],
    [429, { retryAfterSeconds: 30 }, 'wait a minute (the server asked for 30 s) and try again, or send fewer requests at once', true],
    [500, {}, 'the provider failed; try again in a few minutes', true],
    [502, {}, 'the service is unavailable; try again in a few minutes', true],
    [503, {}, 'the service is unavailable; try again in a few minutes', true],
    [418, {}, 'the API answered in an undocumented way; try again, and report it if it persists', false],
  ] as const)('%i %j', (status, extra, hint, retryable) => {
    const error = new ApiError(init(status, extra));
    expect(apiErrorHint(init(status, extra))).toBe(hint);
    expect(error).toBeInstanceOf(PreflightError);
    expect({ name: error.name, kind: error.kind, status: error.status, message: error.message, hint: error.hint, retryable: error.retryable }).toEqual({ name: 'ApiError', kind: 'api', status, message: `m${status}`, hint, retryable });
  });

  it('no hint names a CLI command', () => {
    for (const status of [400, 401, 402, 403, 404, 429, 500, 503, 418]) expect(new ApiError(init(status)).hint).not.toMatch(/seedance-preflight/);
    for (const code of ['invalid_parameters', 'image_processing_error', 'content_policy_violation', 'quota_exceeded', 'service_error', 'cancelled', 'something_new']) {
      expect(new TaskFailedError({ id: 't', status: 'failed', error: { code } } as never).hint).not.toMatch(/seedance-preflight/);
    }
  });

  it('a failed task is retryable only for the codes that mean the provider had a passing fault', () => {
    const failed = (code: string) => new TaskFailedError({ id: 'task-unified-1-a', status: 'failed', error: { code, message: 'x' } } as never);
    expect(['generation_timeout', 'service_unavailable', 'content_policy_violation', 'invalid_parameters'].map((code) => failed(code).retryable)).toEqual([true, true, false, false]);
    expect(failed('generation_timeout').message).toBe('task task-unified-1-a failed: generation_timeout: x');
  });
});
