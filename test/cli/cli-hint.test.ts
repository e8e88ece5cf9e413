import { describe, expect, it } from 'vitest';
import { cliHint, taskFailureCommand } from '../../src/cli/output/cli-hint.js';
import { CancelledError } from '../../src/shared/cancel.js';
import { ApiError, CreateOutcomeUnknownError, DownloadError, TaskFailedError, WaitTimeoutError } from '../../src/submit/errors.js';
import { MissingApiKeyError } from '../../src/submit/settings.js';
import { UploadError } from '../../src/upload/upload-error.js';

const api = (status: number, param?: string) => new ApiError({ status, code: 'c', type: 't', message: 'm', body: param ? { error: { param } } : undefined });
const failedTask = (code: string) => new TaskFailedError({ id: 'task-unified-1-a', status: 'failed', error: { code } } as never);

describe('cliHint: the library hint, then the command to run', () => {
  it.each([
    ['400', api(400, 'duration'), 'fix the request (field duration) and submit again; run seedance-preflight check --request FILE to see every rule it breaks'],
    ['402: no command helps', api(402), 'top up the account (https://evolink.ai/dashboard), then submit again'],
    ['no key', new MissingApiKeyError(), 'set it to your API key (https://evolink.ai/dashboard/keys); to try without one, run seedance-preflight sandbox and use the variables it prints'],
    ['unknown create', new CreateOutcomeUnknownError('http://h/v1/videos/generations', new Date(0), new Error('socket hang up')), "do not submit again yet: look the task up first in your dashboard's task list; submit again only if no task was created; seedance-preflight status TASK_ID shows a task once you know its id"],
    ['wait timeout', new WaitTimeoutError(null, 1000, 'task-unified-1-a'), 'the task continues at the provider: wait for it again to get its result; run seedance-preflight wait task-unified-1-a to keep waiting'],
    ['download', new DownloadError('https://cdn/x.mp4', 'HTTP 500', { taskId: 'task-unified-1-a' }), 'the result link is valid for 24 hours after completion: download it again before then; run seedance-preflight wait task-unified-1-a --download FILE'],
    ['media refused', failedTask('image_processing_error'), 'the provider rejected the media or parameters: check and fix the media, then submit again; seedance-preflight check shows what the provider refuses, and seedance-preflight fix repairs it'],
    ['provider fault', failedTask('service_error'), 'the generation failed at the provider; submit again later'],
    ['S3 settings', new UploadError('a.mp4', 'upload', 'bucket "b" does not exist', { environment: true }), 'seedance-preflight doctor shows the S3 settings in use'],
    ['a transfer failure', new UploadError('a.mp4', 'upload', 'the connection failed'), undefined],
    ['a missing file', new UploadError('gone.mp4', 'read', 'does not exist: check the path', { environment: true }), undefined],
    ['not media', new UploadError('notes.mp4', 'read', 'is not a media format we recognise', { code: 'NotMedia' }), 'run seedance-preflight check on it to see what it is'],
    ['cancelled', new CancelledError('ffmpeg', 'SIGINT'), undefined],
  ] as const)('%s', (_name, error, hint) => {
    expect(cliHint(error)).toBe(hint);
  });

  it('suggests check and fix only for the codes that mean the media or parameters were refused', () => {
    expect(['invalid_parameters', 'image_dimension_mismatch', 'content_policy_violation', 'generation_timeout'].map((code) => taskFailureCommand(code) !== null)).toEqual([true, true, false, false]);
  });
});
