import { REDACTED, redactUrls } from './redact.js';

/**
 * Query parameters whose values are shown in verbose lines: S3's own (which call, which part) and the non-secret parts
 * of a presigned URL. Every other value is masked: a signature, credential or session token (X-Amz-Signature,
 * X-Amz-Credential, X-Amz-Security-Token), or an unknown token a media URL may carry.
 */
const SHOWN_PARAMS = new Set(['x-id', 'partnumber', 'uploadid', 'uploads', 'list-type', 'prefix', 'max-keys', 'max-uploads', 'continuation-token', 'delete', 'x-amz-algorithm', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-expires', 'x-amz-signedheaders']);

/** A URL as a verbose line shows it: user:password@ as ***@, and each query value but S3's harmless ones as ***. */
export function urlForLog(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return redactUrls(url);
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  const params = url.slice(query + 1, end).split('&').map(maskParam).join('&');
  return `${redactUrls(url.slice(0, query))}?${params}`;
}

function maskParam(param: string): string {
  const equals = param.indexOf('=');
  if (equals < 0) return param;
  const name = param.slice(0, equals);
  return SHOWN_PARAMS.has(safeDecode(name).toLowerCase()) ? param : `${name}=${REDACTED}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
