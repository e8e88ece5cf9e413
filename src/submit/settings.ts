import { PreflightError } from '../shared/errors.js';
import { resolveBaseUrl } from './base-url.js';

/** The API key is missing: an environment error (exit 2). */
export class MissingApiKeyError extends PreflightError {
  readonly kind = 'api-key-missing';
  declare readonly hint: string;
  constructor() {
    super('EVOLINK_API_KEY is not set', { hint: 'set it to your API key (https://evolink.ai/dashboard/keys)' });
  }
}

/** The key and base URL from the environment (EVOLINK_API_KEY, EVOLINK_BASE_URL) and --api-base. */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv, apiBase?: string): { apiKey: string; baseUrl: string } {
  const apiKey = env.EVOLINK_API_KEY?.trim();
  if (!apiKey) throw new MissingApiKeyError();
  return { apiKey, baseUrl: resolveBaseUrl(apiBase, env) };
}
