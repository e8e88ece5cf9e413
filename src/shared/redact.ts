/**
 * The one redaction policy: whatever a URL carries before its host ("user:password@") is shown as "***@", in every form
 * the tool writes (output, errors, retry lines, journal, reports); a known secret's value is shown as "***".
 */
export const REDACTED = '***';

/** scheme://userinfo@ anywhere in a text; greedy up to the authority's last "@" (a password may hold an unescaped one). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>\\`]*@/gi;

/** "http://user:pw@host/x" → "http://***@host/x"; every URL in a text, the rest of it untouched; idempotent. */
export function redactUrls(text: string): string {
  return text.includes('@') ? text.replace(URL_USERINFO, (_all, scheme: string) => `${scheme}${REDACTED}@`) : text;
}

/** A URL's credentials removed, not masked: what may go to the provider or into an SDK (neither needs them). */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/** Whether a URL carries a user or a password. */
export function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** Secrets too short to be told from ordinary words are not searched for (a one-letter "password" would mask every "a"). */
const MIN_SECRET_LENGTH = 6;

/** Environment variables whose values are secrets (never printed, not even masked partly). */
export const SECRET_VARIABLES = ['EVOLINK_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** Variables that hold URLs which may carry a password (the queue's Redis, proxies, the API, the store). */
export const URL_VARIABLES = ['SEEDANCE_QUEUE_URL', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'EVOLINK_BASE_URL', 'SEEDANCE_S3_ENDPOINT', 'SEEDANCE_S3_PUBLIC_BASE_URL'] as const;

/** The secret values an environment holds: the secret variables, and the passwords inside its URL variables (decoded and as written). */
export function secretValuesOf(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const name of SECRET_VARIABLES) {
    const value = env[name]?.trim();
    if (value) values.add(value);
  }
  for (const name of URL_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    try {
      const password = new URL(value.trim()).password;
      if (password) {
        values.add(password);
        values.add(safeDecode(password));
      }
    } catch {
      // not a URL: nothing to take from it
    }
  }
  return [...values].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * The one policy for whatever leaves the tool (terminal, report, JUnit, journal): URL credentials as "***@", then every
 * secret value `env` holds (secretValuesOf) as "***", also as it reads escaped in HTML, XML or JSON text.
 */
export function redactForOutput(text: string, env: NodeJS.ProcessEnv): string {
  return outputRedactor(env)(text);
}

/** redactForOutput for many texts under one environment: the secrets and their escaped forms are worked out once. */
export function outputRedactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const forms = secretForms(secretValuesOf(env));
  return (text) => {
    let shown = redactUrls(text);
    for (const form of forms) if (shown.includes(form)) shown = shown.split(form).join(REDACTED);
    return shown;
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Each secret as written and as an HTML, XML or JSON writer escapes it; longest first, so no form is cut by a shorter one. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    const html = secret.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);
    for (const apostrophe of ['&#39;', '&apos;', '&#x27;']) forms.add(html.replaceAll("'", apostrophe));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
