import { describe, expect, it } from 'vitest';
import { RequestFileError } from '../../src/pipeline/request-file.js';
import { JobStageError } from '../../src/pipeline/run-job.js';
import { BinaryNotFoundError } from '../../src/probe/binaries.js';
import { CancelledError, cancellationOr, isCancelled, throwIfCancelled } from '../../src/shared/cancel.js';
import { PreflightError } from '../../src/shared/errors.js';
import { ProcessError } from '../../src/shared/spawn.js';
import { CreateClaimError } from '../../src/queue/create-claim.js';
import { ProfileError } from '../../src/spec/load-profile.js';
import { ApiError, CreateOutcomeUnknownError, DownloadError, InvalidResponseError, NetworkError, TaskFailedError, WaitTimeoutError } from '../../src/submit/errors.js';
import { MissingApiKeyError } from '../../src/submit/settings.js';
import { FileChangedError } from '../../src/upload/guarded-read.js';
import { UploadError } from '../../src/upload/upload-error.js';
import { UploadSettingsError } from '../../src/upload/upload-settings.js';

const task = { id: 'task-unified-1-a', status: 'failed', error: { code: 'service_error', message: 'down' } } as never;
const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });

describe('every library error derives from PreflightError', () => {
  it.each([
    [new ProcessError({ command: '/x/ffmpeg', args: [], exitCode: 1, signalName: null, stderrTail: 'bad', timedOut: false }), 'ProcessError', 'process', false],
    [new CancelledError('ffmpeg', 'SIGINT'), 'CancelledError', 'cancelled', false],
    [new ProfileError('profile p: bad'), 'ProfileError', 'profile', false],
    [new BinaryNotFoundError('ffprobe', 'missing'), 'BinaryNotFoundError', 'binary-missing', false],
    [new RequestFileError('r.json', 'request file r.json does not exist'), 'RequestFileError', 'request-file', false],
    [new JobStageError('fix', 'broken', 'replace it'), 'JobStageError', 'job-stage', false],
    [new MissingApiKeyError(), 'MissingApiKeyError', 'api-key-missing', false],
    [new UploadError('a.mp4', 'upload', 'failed', { retryable: true }), 'UploadError', 'upload', true],
    [new UploadSettingsError('no bucket given'), 'UploadSettingsError', 'upload-settings', false],
    [new FileChangedError(10, 12, false), 'FileChangedError', 'file-changed', true],
    [new ApiError({ status: 503, code: 'c', type: 't', message: 'm' }), 'ApiError', 'api', true],
    [new NetworkError('query', 'http://h/v1/tasks/x', refused), 'NetworkError', 'network', true],
    [new CreateOutcomeUnknownError('http://h/v1/videos/generations', new Date(0), refused), 'CreateOutcomeUnknownError', 'create-outcome-unknown', false],
    [new InvalidResponseError('query', 200, 'not JSON'), 'InvalidResponseError', 'invalid-response', false],
    [new CreateClaimError('seedance-preflight:claim:k', 'x'), 'CreateClaimError', 'create-claim', false],
    [new TaskFailedError(task), 'TaskFailedError', 'task-failed', true],
    [new WaitTimeoutError(null, 1500, 'task-unified-1-a'), 'WaitTimeoutError', 'wait-timeout', true],
    [new DownloadError('https://cdn/x.mp4', 'HTTP 500', { taskId: 'task-unified-1-a' }), 'DownloadError', 'download', true],
  ] as const)('%s', (error, name, kind, retryable) => {
    expect(error).toBeInstanceOf(PreflightError);
    expect({ name: error.name, kind: error.kind, retryable: error.retryable }).toEqual({ name, kind, retryable });
    expect(error.hint ?? '').not.toMatch(/seedance-preflight/);
  });

  it('keeps the original error as cause', () => {
    expect(new NetworkError('query', 'http://h/v1/tasks/x', refused).cause).toBe(refused);
    expect(new NetworkError('query', 'http://h/v1/tasks/x', refused).message).toBe('query request to http://h/v1/tasks/x failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
    expect(new UploadError('a.mp4', 'read', 'cannot be read', { cause: refused }).cause).toBe(refused);
  });
});

describe('cancellation is recognised one way', () => {
  it('throwIfCancelled throws a CancelledError carrying the signal reason, and nothing before the abort', () => {
    const controller = new AbortController();
    expect(() => throwIfCancelled(controller.signal, 'uploading a.mp4')).not.toThrow();
    expect(() => throwIfCancelled(undefined, 'uploading a.mp4')).not.toThrow();
    controller.abort('SIGTERM');
    const error = (() => {
      try {
        throwIfCancelled(controller.signal, 'uploading a.mp4');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ message: 'uploading a.mp4 was cancelled', reason: 'SIGTERM', cause: 'SIGTERM' });
  });

  it('cancellationOr wraps what an aborted operation threw, keeps a CancelledError as it is, and leaves other failures alone', () => {
    const sdkAbort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    const aborted = AbortSignal.abort('SIGINT');
    const wrapped = cancellationOr(sdkAbort, aborted, 'uploading a.mp4');
    expect(wrapped).toMatchObject({ constructor: CancelledError, reason: 'SIGINT', cause: sdkAbort });
    expect(cancellationOr(wrapped, aborted, 'something else')).toBe(wrapped);
    expect(cancellationOr(sdkAbort, new AbortController().signal, 'uploading a.mp4')).toBe(sdkAbort);
    // an AbortError without an aborted signal is not a cancellation: no name matching
    expect(isCancelled(sdkAbort)).toBe(false);
    expect(isCancelled(wrapped)).toBe(true);
  });
});
