import type { MediaKind } from '../probe/media-info.js';
import { cancellationOr } from '../shared/cancel.js';
import { describeNetworkError } from '../shared/describe-network-error.js';
import { hasCredentials } from '../shared/redact.js';

export interface UrlCheck {
  url: string;
  ok: boolean;
  status: number | null;
  contentType: string | null;
  /** Set when the URL failed to answer or answered with an error status. */
  error: string | null;
}

export const DEFAULT_URL_TIMEOUT_MS = 15_000;

/** A plain HTTP GET of the first bytes (Range), from outside any SDK: what the provider's fetcher will see. */
export async function verifyUrl(url: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<UrlCheck> {
  // the provider's fetcher takes no user:password from a URL (and fetch refuses one): said before any request
  if (hasCredentials(url)) return { url, ok: false, status: null, contentType: null, error: 'it carries a user or password (user:password@), which the provider never uses: serve the media without them' };
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { headers: { range: 'bytes=0-1023' }, redirect: 'follow', signal });
    await response.body?.cancel();
    const ok = response.status === 200 || response.status === 206;
    return { url, ok, status: response.status, contentType: response.headers.get('content-type'), error: ok ? null : `it answered HTTP ${response.status}` };
  } catch (error) {
    if (options.signal?.aborted) throw cancellationOr(error, options.signal, 'checking a media URL');
    const reason = timeout.aborted ? `no answer within ${(options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS) / 1000} s` : `the connection failed (${describeNetworkError(error)})`;
    return { url, ok: false, status: null, contentType: null, error: reason };
  }
}

/** The bare media type of a Content-Type header: "Video/MP4; codecs=…" → "video/mp4"; missing → "". */
export function mediaTypeOf(contentType: string | null): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Whether a Content-Type suits a media kind: 'ok', 'generic' (octet-stream or missing), or 'wrong'. */
export function contentTypeFits(contentType: string | null, kind: MediaKind): 'ok' | 'generic' | 'wrong' {
  const type = mediaTypeOf(contentType);
  if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') return 'generic';
  if (type.startsWith(`${kind}/`)) return 'ok';
  // some servers label audio-less MP4 and MP3 loosely
  if (kind === 'audio' && (type === 'application/ogg' || type === 'video/mp4')) return 'ok';
  return 'wrong';
}


/**
 * The first of `urls` that no longer answers a plain GET (with why), or null when all do: checked before a create
 * that sends URLs an earlier run uploaded (a presigned URL expires, a store loses or moves its objects). The URL is
 * given without its query (a presigned URL's signature).
 */
export async function firstDeadUrl(urls: readonly string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<{ url: string; error: string } | null> {
  const checks = await Promise.all([...new Set(urls)].map((url) => verifyUrl(url, options)));
  const dead = checks.find((check) => !check.ok);
  return dead ? { url: dead.url.split('?')[0]!, error: dead.error ?? `it answered HTTP ${dead.status}` } : null;
}
