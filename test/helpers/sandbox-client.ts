import { createApiClient, type ApiClient, type ApiClientOptions } from '../../src/submit/client.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';

/** A client of the sandbox with short delays, so retries and polling take milliseconds. */
export function sandboxClient(sandbox: Sandbox, options: Partial<ApiClientOptions> = {}): ApiClient {
  return createApiClient({
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.apiBaseUrl,
    retry: { baseDelayMs: 10, maxDelayMs: 50, rateLimitBaseDelayMs: 10 },
    poll: { initialDelayMs: 20, maxDelayMs: 50 },
    ...options,
  });
}
