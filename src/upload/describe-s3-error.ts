import { redactUrls } from '../shared/redact.js';

/** What the user is told about an S3 failure, and whether the fix is in the settings. */
export interface S3FailureText {
  message: string;
  environment: boolean;
  code: string | null;
}

export interface S3FailureContext {
  bucket: string;
  /** The custom endpoint, or undefined for AWS S3. */
  endpoint?: string;
  region: string;
}

const CREDENTIAL_HINT = 'check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)';
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Whether the failure was the network's or an overloaded store's, so the same upload can succeed later. */
export function isTransientS3Error(error: unknown): boolean {
  const e = error as { name?: string; code?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.Code ?? e.code ?? e.name;
  const status = e.$metadata?.httpStatusCode;
  return (code !== undefined && (NETWORK_CODES.has(code) || code === 'SlowDown')) || (status !== undefined && status >= 500);
}

/** Turns an SDK or network error into a message naming the bucket or endpoint, the cause and the fix; never a secret. */
export function describeS3Error(error: unknown, context: S3FailureContext): S3FailureText {
  const e = error as { name?: string; code?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const code = e.Code ?? e.code ?? (e.$metadata ? e.name : undefined) ?? (e.name === 'CredentialsProviderError' ? e.name : undefined) ?? null;
  const status = e.$metadata?.httpStatusCode;
  const where = context.endpoint ? redactUrls(context.endpoint) : `AWS S3 (${context.region})`;
  const attempts = e.$metadata?.attempts && e.$metadata.attempts > 1 ? ` after ${e.$metadata.attempts} attempts` : '';
  const env = (message: string) => ({ message, environment: true, code });
  const transfer = (message: string) => ({ message, environment: false, code });

  switch (code) {
    case 'NoSuchBucket':
      return env(`bucket "${context.bucket}" does not exist at ${where}: create it, or pass the right --bucket (or SEEDANCE_S3_BUCKET)`);
    case 'InvalidAccessKeyId':
      return env(`${where} does not know the access key id (InvalidAccessKeyId): ${CREDENTIAL_HINT}`);
    case 'SignatureDoesNotMatch':
      return env(`${where} rejected the request signature (SignatureDoesNotMatch): the secret access key does not match the key id; ${CREDENTIAL_HINT}`);
    case 'InvalidToken':
    case 'ExpiredToken':
      return env(`${where} rejected the session token (${code}): refresh the temporary credentials (AWS_SESSION_TOKEN, or aws sso login)`);
    case 'AccessDenied':
    case 'Forbidden':
      return env(`access to bucket "${context.bucket}" at ${where} was denied (${code}): the credentials need s3:PutObject, s3:GetObject and s3:AbortMultipartUpload on it; ${CREDENTIAL_HINT}`);
    case 'AccessControlListNotSupported':
      return env(`bucket "${context.bucket}" does not allow ACLs (AccessControlListNotSupported)`);
    case 'CredentialsProviderError':
      return env('no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE');
    case 'ECONNREFUSED':
      return env(`nothing answers at ${where} (connection refused${attempts}): start the store, or correct --endpoint (or SEEDANCE_S3_ENDPOINT)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return env(`the host of ${where} cannot be resolved (${code}): correct --endpoint (or SEEDANCE_S3_ENDPOINT), or check the network`);
  }
  if (code !== null && NETWORK_CODES.has(code)) return transfer(`the connection to ${where} failed (${code}${attempts}): check the network and run again; nothing already uploaded is sent twice`);
  if (code === 'SlowDown' || (status !== undefined && status >= 500)) {
    return transfer(`${where} answered HTTP ${status ?? 503}${code ? ` (${code})` : ''}${attempts}: the store is overloaded or failing; run again later`);
  }
  const detail = e.message && e.message !== code && e.message !== 'UnknownError' ? `: ${e.message}` : '';
  return transfer(`${where} refused the request (${code ?? 'unknown error'}${status ? `, HTTP ${status}` : ''})${detail}`);
}
