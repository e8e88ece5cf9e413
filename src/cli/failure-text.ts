import { describeNetworkError, networkErrorCode } from '../shared/describe-network-error.js';
import { PreflightError, type ErrorKind } from '../shared/errors.js';
import { NETWORK_CODES } from '../shared/network-codes.js';
import { cliHint } from './output/cli-hint.js';
import { reportError } from './output/task-error.js';
import { EXIT } from './io.js';
import { firstLine, unexpectedText } from './unexpected-end.js';

/** How a command that ended in an error reports it: the text for stderr and the exit code. */
export interface Failure {
  exitCode: number;
  text: string;
}

/** Kinds that mean the environment (a setting, a disk, a file given) is wrong, not the job: exit 2, as usage errors (DESIGN.md). */
const ENVIRONMENT_KINDS: ReadonlySet<ErrorKind> = new Set(['api-key-missing', 'api-settings', 'binary-missing', 'file-system', 'input-file', 'output-guard', 'profile', 'queue', 'request-file', 'upload-settings']);

/**
 * Pure: an error that reached the command line's end as one line (the library's message), a "to do" line when there is
 * a hint, and the exit code: 2 for the environment's kinds, 1 for a job or task that failed. Anything that is no
 * PreflightError is unexpected (a bug): one line, and its stack only when `debug` is on; but a bare network failure
 * (ECONNREFUSED…) is the environment's: one line naming it, exit 2.
 */
export function failureText(error: unknown, debug: boolean): Failure {
  const reported = reportError(error);
  if (reported) return { exitCode: reported.exitCode, text: reported.text };
  if (error instanceof PreflightError) {
    const hint = cliHint(error);
    return { exitCode: ENVIRONMENT_KINDS.has(error.kind) ? EXIT.usage : EXIT.failed, text: `seedance-preflight: ${firstLine(error.message)}\n${hint ? `  to do: ${hint}\n` : ''}` };
  }
  const network = networkErrorCode(error);
  if (network && NETWORK_CODES.has(network)) {
    // a connection no library step wrapped (Redis, the API, the store): the environment's, said as such, never as a file's
    return { exitCode: EXIT.usage, text: `seedance-preflight: a network connection failed (${firstLine(describeNetworkError(error))})\n  to do: check that the server it names is running and reachable from here (network, proxy, firewall), then run again\n` };
  }
  return { exitCode: EXIT.failed, text: unexpectedText(error, debug) };
}

