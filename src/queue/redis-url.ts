import { PreflightError } from '../shared/errors.js';
import { REDACTED, redactUrls } from '../shared/redact.js';

/** Where the queue lives: what ioredis needs, parsed from a redis:// URL. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** The one form --queue and SEEDANCE_QUEUE_URL take, said in every error about it. */
// written so the output redaction (anything between scheme:// and @ is masked) leaves it readable
export const REDIS_URL_RULE = 'a Redis URL is redis://HOST[:PORT][/DB], with :PASSWORD@ just before HOST when it needs one (PORT default 6379, DB a whole number, default 0)';

const DEFAULT_PORT = 6379;

/** A bad or unreachable queue: the CLI reports it as a usage or environment error (exit 2). */
export class QueueError extends PreflightError {
  readonly kind = 'queue';
}

/** @deprecated redactUrls (src/shared/redact.ts) itself: this was only its alias, kept for the library's export. */
export const redactRedisUrl: (text: string) => string = redactUrls;

/** Parses --queue; a malformed URL is an error naming the rule (and the URL without its password). */
export function parseRedisUrl(text: string): RedisTarget {
  const shown = redactUrls(text);
  const bad = (why: string) => new QueueError(`--queue ${JSON.stringify(shown)} ${why}: ${REDIS_URL_RULE}`);
  let url: URL;
  try {
    // "host:6379" parses as a URL of scheme "host": a scheme without "//" is no URL here
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) throw new TypeError('no scheme');
    url = new URL(text.trim());
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'redis:') throw bad(`has the scheme ${url.protocol.slice(0, -1)}, not redis`);
  if (!url.hostname) throw bad('names no host');
  if (url.search || url.hash) throw bad('has a query or fragment, which are not read');
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  if (port < 1) throw bad(`has port ${port}`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw bad(`names database "${path}", not a whole number`);
  const target: RedisTarget = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, db: path === '' ? 0 : Number(path) };
  if (url.username) target.username = decodeURIComponent(url.username);
  if (url.password) target.password = decodeURIComponent(url.password);
  return target;
}

/** host:port as a message names the server (IPv6 in brackets). */
export function redisAddress(target: Pick<RedisTarget, 'host' | 'port'>): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** The target as a URL to show: its user and password as one "***", as every URL is shown. */
export function describeRedisTarget(target: RedisTarget): string {
  const auth = target.password !== undefined || target.username !== undefined ? `${REDACTED}@` : '';
  return `redis://${auth}${redisAddress(target)}/${target.db}`;
}
