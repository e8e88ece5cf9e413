import { PreflightError } from '../shared/errors.js';
import { redactUrls } from '../shared/redact.js';
import { resolveBaseUrl } from './base-url.js';

/** The API key is missing: an environment error (exit 2). */
export class MissingApiKeyError extends PreflightError {
  readonly kind = 'api-key-missing';
  declare readonly hint: string;
  constructor() {
    super('EVOLINK_API_KEY is not set', { hint: 'set it to your API key (https://evolink.ai/dashboard/keys)' });
  }
}

/** The API base URL carries a user or password: never sent (the key goes as a bearer token); an environment error. */
export class ApiBaseCredentialsError extends PreflightError {
  readonly kind = 'api-settings';
  declare readonly hint: string;
  constructor(readonly baseUrl: string) {
    super(`the API base URL ${redactUrls(baseUrl)} carries credentials (user:password@), which are never sent (the API takes EVOLINK_API_KEY)`, {
      hint: 'remove the "user:password@" part from the API base URL (EVOLINK_BASE_URL)',
    });
  }
}

/** The key and base URL from the environment (EVOLINK_API_KEY, EVOLINK_BASE_URL) and --api-base. */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv, apiBase?: string): { apiKey: string; baseUrl: string } {
  const apiKey = env.EVOLINK_API_KEY?.trim();
  if (!apiKey) throw new MissingApiKeyError();
  return { apiKey, baseUrl: resolveBaseUrl(apiBase, env) };
}
