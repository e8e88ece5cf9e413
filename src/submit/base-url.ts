/** The API's address when neither --api-base nor EVOLINK_BASE_URL names one (DESIGN.md "Settings"). No imports: doctor and the help text load it without zod. */
export const DEFAULT_BASE_URL = 'https://api.evolink.ai';

/** The base URL in use: the explicit one (--api-base), else $EVOLINK_BASE_URL, else the default; an empty value counts as unset; no trailing slash. */
export function resolveBaseUrl(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = [explicit, env.EVOLINK_BASE_URL].map((value) => value?.trim()).find((value) => value) ?? DEFAULT_BASE_URL;
  return chosen.replace(/\/+$/, '');
}
