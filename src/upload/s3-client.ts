import { S3Client } from '@aws-sdk/client-s3';
import { withoutCredentials } from '../shared/redact.js';
import type { UploadSettings } from './upload-settings.js';

/** Attempts per S3 request: the SDK's standard retry (backoff with jitter) covers network errors, 5xx and 503 SlowDown. */
export const S3_MAX_ATTEMPTS = 4;
/** A store that does not accept the connection within this long fails the attempt (the SDK's default is to wait forever). */
export const S3_CONNECTION_TIMEOUT_MS = 10_000;
/** A socket silent this long (no byte either way: a store that accepted and stopped answering) fails the attempt. */
export const S3_SOCKET_TIMEOUT_MS = 30_000;

/**
 * The one S3 client the upload command and uploadFiles use. Credentials come from the SDK's own chain
 * (variables, profiles, SSO, instance roles); an `env` holding both access-key variables takes precedence, so an
 * injected environment (tests, the library) is honoured as the process environment would be.
 */
export function makeS3Client(settings: Pick<UploadSettings, 'endpoint' | 'forcePathStyle' | 'region'>, env: NodeJS.ProcessEnv = process.env): S3Client {
  // the SDK warns about Node 20 on every first client: noise for our users
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const custom = settings.endpoint !== undefined;
  return new S3Client({
    region: settings.region,
    // SigV4 signs with the AWS credentials: a user:password in the endpoint has no role, and is never sent
    ...(custom && { endpoint: withoutCredentials(settings.endpoint!) }),
    requestHandler: { connectionTimeout: S3_CONNECTION_TIMEOUT_MS, requestTimeout: S3_SOCKET_TIMEOUT_MS },
    forcePathStyle: settings.forcePathStyle,
    maxAttempts: S3_MAX_ATTEMPTS,
    // S3-compatible stores (R2, MinIO, s3rver) store the SDK's aws-chunked checksum framing as object data
    ...(custom && { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
      },
    }),
  });
}
