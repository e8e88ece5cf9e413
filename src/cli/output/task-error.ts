import { PreflightError } from '../../shared/errors.js';
import { ApiError, TaskFailedError, WaitTimeoutError, DownloadError, NetworkError } from '../../submit/errors.js';
import { EXIT } from '../io.js';
import { cliHint } from './cli-hint.js';

/** An API-side failure as the CLI reports it: a message, what to do, the exit code, and the JSON form. */
export interface ReportedError {
  exitCode: number;
  text: string;
  json: { kind: string; message: string; hint: string; status?: number; code?: string; type?: string; requestId?: string; taskId?: string };
}

/** What to do about an API that accepts the connection and never answers. */
export const SILENT_API_HINT = 'check the network or --api-base; --request-timeout raises the bound';

/** The errors of submit/ this reports; anything else is the caller's to rethrow. */
const SUBMIT_KINDS: ReadonlySet<string> = new Set(['api', 'network', 'create-outcome-unknown', 'invalid-response', 'task-failed', 'wait-timeout', 'download']);

/** The report for an error of submit/, or null for anything else (which the caller rethrows). Never includes the key. */
export function reportError(error: unknown): ReportedError | null {
  if (!(error instanceof PreflightError) || !SUBMIT_KINDS.has(error.kind)) return null;
  const hint = cliHint(error) ?? '';
  const json: ReportedError['json'] = { kind: error.kind, message: error.message, hint };
  if (error instanceof ApiError) {
    Object.assign(json, { status: error.status, code: error.code, type: error.type }, error.requestId ? { requestId: error.requestId } : {});
    return {
      // a wrong key is the environment's fault, like a missing one
      exitCode: error.status === 401 ? EXIT.usage : EXIT.failed,
      text: `seedance-preflight: ${error.operation ?? 'request'} failed: ${error.describe()}\n  to do: ${hint}\n`,
      json,
    };
  }
  if (error instanceof NetworkError && error.noAnswer) {
    // a silent API: one line, what bounded the wait and the flag that raises it
    json.hint = SILENT_API_HINT;
    return { exitCode: EXIT.failed, text: `seedance-preflight: ${error.message}: ${SILENT_API_HINT}\n`, json };
  }
  if (error instanceof TaskFailedError) Object.assign(json, { code: error.code, taskId: error.task.id });
  if (error instanceof WaitTimeoutError) json.taskId = error.taskId;
  if (error instanceof DownloadError && error.taskId) json.taskId = error.taskId;
  return { exitCode: EXIT.failed, text: `seedance-preflight: ${error.message}\n  to do: ${hint}\n`, json };
}
