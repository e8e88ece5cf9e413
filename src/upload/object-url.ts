import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { withoutCredentials } from '../shared/redact.js';
import type { UploadSettings } from './upload-settings.js';

/**
 * The URL a public object answers at: on the public base URL, the custom endpoint, or AWS S3's own host. Never with a
 * user or password: the URL goes to the provider (and into the journal), and a public object needs none.
 */
export function publicObjectUrl(settings: Pick<UploadSettings, 'bucket' | 'endpoint' | 'forcePathStyle' | 'region' | 'publicBaseUrl'>, key: string): string {
  const path = encodeKey(key);
  if (settings.publicBaseUrl) return `${withoutCredentials(settings.publicBaseUrl).replace(/\/+$/, '')}/${path}`;
  const bucket = encodeURIComponent(settings.bucket);
  if (settings.endpoint) {
    const endpoint = new URL(settings.endpoint);
    const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}`;
    if (settings.forcePathStyle) return `${base}/${bucket}/${path}`;
    return `${endpoint.protocol}//${bucket}.${endpoint.host}${endpoint.pathname.replace(/\/+$/, '')}/${path}`;
  }
  // a bucket name with dots breaks the *.s3 TLS certificate: AWS serves those path-style
  if (settings.forcePathStyle || settings.bucket.includes('.')) return `https://s3.${settings.region}.amazonaws.com/${bucket}/${path}`;
  return `https://${bucket}.s3.${settings.region}.amazonaws.com/${path}`;
}

/** A GET URL signed for `expiresSeconds`. */
export async function presignedObjectUrl(client: S3Client, bucket: string, key: string, expiresSeconds: number): Promise<string> {
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresSeconds });
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
