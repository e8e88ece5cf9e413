import { UploadError } from './upload-error.js';
import { verifyUrl, mediaTypeOf } from './verify-url.js';

export interface UrlContext {
  urlMode: 'public' | 'presigned';
  aclRefused: boolean;
  bucket: string;
  prefix: string;
  signal?: AbortSignal;
}

/** Fetches the URL as the provider will (plain GET of the first bytes); throws unless it answers 200/206 with `contentType`. */
export async function checkObjectUrl(path: string, url: string, contentType: string, context: UrlContext): Promise<void> {
  const check = await verifyUrl(url, context.signal ? { signal: context.signal } : {});
  if (!check.ok) {
    throw new UploadError(path, 'verify', `its URL ${redactQuery(url)} does not answer a plain GET (${check.error}): ${urlHint(check.status, context)}`, { code: check.status === null ? null : `HTTP ${check.status}` });
  }
  if (mediaTypeOf(check.contentType) !== contentType) {
    throw new UploadError(path, 'verify', `its URL ${redactQuery(url)} answers with Content-Type "${check.contentType ?? '(none)'}", not "${contentType}": the provider judges media by it; make the store or CDN pass the object's Content-Type through`, { code: 'ContentType' });
  }
}

/** What to do about a URL that does not answer, by URL mode and status. */
export function urlHint(status: number | null, context: Pick<UrlContext, 'urlMode' | 'aclRefused' | 'bucket' | 'prefix'>): string {
  if (status === 403 && context.urlMode === 'public') {
    const policy = `add a bucket policy allowing s3:GetObject on arn:aws:s3:::${context.bucket}/${context.prefix}*, or use --url-mode presigned`;
    return context.aclRefused ? `the bucket refuses ACLs and no bucket policy makes the objects public: ${policy}` : `the object is not public: ${policy} (or turn off Block Public Access for ACLs)`;
  }
  if (status === 403) return 'the presigned URL was refused: check the clock and that the credentials may read the object (s3:GetObject)';
  if (status === 404) return 'the object is not at that URL: check --public-base-url (or SEEDANCE_S3_PUBLIC_BASE_URL) and --endpoint';
  if (status === null) return 'the URL must be reachable from the internet for the provider to fetch it; check the endpoint or public base URL';
  return 'the provider would be refused the same way; check the store or CDN';
}

/** A presigned URL's query holds the signature: error messages show the URL without it. */
function redactQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : `${url.slice(0, at)}?…`;
}
