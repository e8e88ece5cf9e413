import type { ErrorKind, PreflightError } from '../../shared/errors.js';
import type { ApiError, DownloadError, TaskFailedError, WaitTimeoutError } from '../../submit/errors.js';
import { NOT_MEDIA, type UploadError } from '../../upload/upload-error.js';

/** Task error codes that mean the provider refused the media or parameters (TASKS.md error codes). */
const MEDIA_REFUSED_CODES: ReadonlySet<string> = new Set(['invalid_parameters', 'image_processing_error', 'image_dimension_mismatch']);

/** The command worth running next, by error kind: the library's hints never name CLI commands, so the CLI adds them here. */
const NEXT_COMMAND: Partial<Record<ErrorKind, (error: PreflightError) => string | null>> = {
  api: (error) => ((error as ApiError).status === 400 ? 'run seedance-preflight check --request FILE to see every rule it breaks' : null),
  'api-key-missing': () => 'to try without one, run seedance-preflight sandbox and use the variables it prints',
  'create-outcome-unknown': () => 'seedance-preflight status TASK_ID shows a task once you know its id',
  'wait-timeout': (error) => `run seedance-preflight wait ${(error as WaitTimeoutError).taskId} to keep waiting`,
  download: (error) => `run seedance-preflight wait ${(error as DownloadError).taskId ?? 'TASK_ID'} --download FILE`,
  'task-failed': (error) => taskFailureCommand((error as TaskFailedError).code),
  upload: (error) => uploadCommand(error as UploadError),
};

function uploadCommand(error: UploadError): string | null {
  if (error.code === NOT_MEDIA) return 'run seedance-preflight check on it to see what it is';
  // environment failures past reading the file lie in the S3 settings or credentials
  return error.environment && error.stage !== 'read' ? 'seedance-preflight doctor shows the S3 settings in use' : null;
}

/** The command to suggest after a failed task's error code, or null. */
export function taskFailureCommand(code: string): string | null {
  return MEDIA_REFUSED_CODES.has(code) ? 'seedance-preflight check shows what the provider refuses, and seedance-preflight fix repairs it' : null;
}

/** What to do, as the CLI says it: the library's hint, then the command to run, if any. */
export function cliHint(error: PreflightError): string | undefined {
  const parts = [error.hint, NEXT_COMMAND[error.kind]?.(error)].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join('; ') : undefined;
}
