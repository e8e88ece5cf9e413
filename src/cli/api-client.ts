import { createApiClient, type ApiClient, type ApiClientOptions } from '../submit/client.js';
import type { RetryEvent } from '../submit/http.js';
import { ApiBaseCredentialsError, MissingApiKeyError, apiSettingsFromEnv } from '../submit/settings.js';
import { requestTimeoutFrom, type ApiFlags } from './api-flags.js';
import { UsageError, type CliIo } from './io.js';
import { cliHint } from './output/cli-hint.js';
import { formatRetry } from './output/task-progress.js';

export interface CliApiClientOptions {
  /** Where each retry is told, on stderr: wait, status and submit pass their io; run and batch leave it out (their stages report instead). */
  reportRetriesTo?: Pick<CliIo, 'stderr'>;
  /** The first delay between polls in ms (--poll-interval), growing to 5 s; called only after the key is found, so a missing key is reported first. */
  firstPollDelayMs?: () => number | undefined;
  /** A queue worker's hooks: the fleet hears of every retry (a 429 slows every worker). */
  fleet?: Pick<ApiClientOptions, 'onRetry' | 'beforeRequest'>;
  /** The command's API flags (--request-timeout); $SEEDANCE_REQUEST_TIMEOUT is read either way. */
  flags?: ApiFlags;
}

/** An API client from EVOLINK_API_KEY / EVOLINK_BASE_URL / --api-base / --request-timeout; a missing key or a base URL with credentials is a usage error (exit 2). */
export function apiClientFrom(env: NodeJS.ProcessEnv, apiBase: string | undefined, options: CliApiClientOptions = {}): ApiClient {
  let settings;
  try {
    settings = apiSettingsFromEnv(env, apiBase);
  } catch (error) {
    throw error instanceof MissingApiKeyError ? new UsageError(`${error.message}: ${cliHint(error)}`) : error;
  }
  const requestTimeoutMs = requestTimeoutFrom(options.flags ?? {}, env);
  const { reportRetriesTo, fleet } = options;
  const first = options.firstPollDelayMs?.();
  const onRetry = (event: RetryEvent) => {
    if (reportRetriesTo) reportRetriesTo.stderr(formatRetry(event));
    fleet?.onRetry?.(event);
  };
  try {
    return createApiClient({
      ...settings,
      ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
      ...((reportRetriesTo || fleet?.onRetry) && { onRetry }),
      ...(fleet?.beforeRequest && { beforeRequest: fleet.beforeRequest }),
      ...(first !== undefined && { poll: { initialDelayMs: first, maxDelayMs: Math.max(first, 5000) } }),
    });
  } catch (error) {
    const flag = apiBase?.trim() ? '--api-base' : 'EVOLINK_BASE_URL';
    throw error instanceof ApiBaseCredentialsError ? new UsageError(`${error.message.replace('the API base URL', flag)}: remove the "user:password@" part`) : error;
  }
}

/** A dry run never talks to the API: any call is a bug. */
export const DRY_RUN_CLIENT: ApiClient = new Proxy({} as ApiClient, {
  get: () => () => Promise.reject(new Error('a dry run must not call the API')),
});
