import type { Command } from 'commander';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../submit/retry-policy.js';
import { parseSeconds } from './parse-seconds.js';

/** The variable --request-timeout falls back to. */
export const REQUEST_TIMEOUT_ENV = 'SEEDANCE_REQUEST_TIMEOUT';

/** The API flags of every command that calls the API (status, wait, submit, run, batch, worker). */
export interface ApiFlags {
  requestTimeout?: string;
}

export function addApiFlags(command: Command): Command {
  return command.option(
    '--request-timeout <seconds>',
    `how long one API request waits for an answer before it is tried again (3 tries in all; default $${REQUEST_TIMEOUT_ENV} or ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}; a create waits at least 60 s)`,
  );
}

/** --request-timeout, else $SEEDANCE_REQUEST_TIMEOUT, in ms; undefined for the client's default. A bad value is a usage error naming its source. */
export function requestTimeoutFrom(flags: ApiFlags, env: NodeJS.ProcessEnv): number | undefined {
  if (flags.requestTimeout !== undefined) return parseSeconds('--request-timeout', flags.requestTimeout);
  const fromEnv = env[REQUEST_TIMEOUT_ENV];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : parseSeconds(REQUEST_TIMEOUT_ENV, fromEnv);
}
