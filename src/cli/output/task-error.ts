import { ApiError, CreateOutcomeUnknownError, DownloadError, InvalidResponseError, NetworkError, TaskFailedError, UnauthorizedError, WaitTimeoutError } from '../../submit/errors.js';
import { EXIT } from '../io.js';

/** An API-side failure as the CLI reports it: a message, what to do, the exit code, and the JSON form. */
export interface ReportedError {
  exitCode: number;
  text: string;
  json: { kind: string; message: string; hint: string; status?: number; code?: string; type?: string; requestId?: string; taskId?: string };
}

/** The report for an error of submit/, or null for anything else (which the caller rethrows). Never includes the key. */
export function reportError(error: unknown): ReportedError | null {
  if (error instanceof ApiError) {
    return {
      // a wrong key is the environment's fault, like a missing one
      exitCode: error instanceof UnauthorizedError ? EXIT.usage : EXIT.failed,
      text: `seedance-preflight: ${error.operation ?? 'request'} failed: ${error.describe()}\n  to do: ${error.hint}\n`,
      json: { kind: error.name, message: error.message, hint: error.hint, status: error.status, code: error.code, type: error.type, ...(error.requestId ? { requestId: error.requestId } : {}) },
    };
  }
  if (error instanceof TaskFailedError) {
    return { exitCode: EXIT.failed, text: `seedance-preflight: ${error.message}\n  to do: ${error.hint}\n`, json: { kind: error.name, message: error.message, hint: error.hint, code: error.code, taskId: error.task.id } };
  }
  if (error instanceof WaitTimeoutError) {
    return { exitCode: EXIT.failed, text: `seedance-preflight: ${error.message}\n  to do: ${error.hint}\n`, json: { kind: error.name, message: error.message, hint: error.hint, taskId: error.taskId } };
  }
  if (error instanceof CreateOutcomeUnknownError || error instanceof NetworkError || error instanceof InvalidResponseError || error instanceof DownloadError) {
    return { exitCode: EXIT.failed, text: `seedance-preflight: ${error.message}\n  to do: ${error.hint}\n`, json: { kind: error.name, message: error.message, hint: error.hint } };
  }
  return null;
}
