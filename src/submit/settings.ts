import { DEFAULT_BASE_URL } from './client.js';

/** The API key is missing: an environment error (exit 2). */
export class MissingApiKeyError extends Error {
  constructor() {
    super('EVOLINK_API_KEY is not set: set it to your API key (https://evolink.ai/dashboard/keys), or start a local sandbox with seedance-preflight sandbox and use the variables it prints');
    this.name = 'MissingApiKeyError';
  }
}

/** The key and base URL from the environment (EVOLINK_API_KEY, EVOLINK_BASE_URL) and --api-base. */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv, apiBase?: string): { apiKey: string; baseUrl: string } {
  const apiKey = env.EVOLINK_API_KEY?.trim();
  if (!apiKey) throw new MissingApiKeyError();
  return { apiKey, baseUrl: apiBase ?? env.EVOLINK_BASE_URL ?? DEFAULT_BASE_URL };
}
