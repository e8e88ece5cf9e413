import type { Command } from 'commander';
import { UNSET_BUCKET, UPLOAD_ENV, UploadSettingsError, parseExpires, parseUrlMode, uploadSettingsFrom, type UploadSettings } from '../upload/upload-settings.js';
import { UsageError } from './io.js';

/** The S3 flags every command that uploads takes. */
export interface UploadFlags {
  bucket?: string;
  prefix?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  urlMode?: string;
  expires?: string;
  publicBaseUrl?: string;
}

export function addUploadFlags(command: Command): Command {
  return command
    .option('--bucket <name>', 'bucket (default $SEEDANCE_S3_BUCKET)')
    .option('--prefix <prefix>', 'key prefix, e.g. seedance/ (default $SEEDANCE_S3_PREFIX or none)')
    .option('--url-mode <mode>', 'public (ACL public-read or a bucket policy) or presigned (default $SEEDANCE_S3_URL_MODE or public)')
    .option('--expires <seconds>', 'lifetime of presigned URLs, at most 604800 (default $SEEDANCE_S3_EXPIRES or 86400)')
    .option('--public-base-url <url>', 'CDN or custom domain serving the bucket; public URLs are built on it (default $SEEDANCE_S3_PUBLIC_BASE_URL)');
}

/** The flags as settings; throws UploadSettingsError for a --url-mode or --expires that is not a valid value. */
export function uploadFlagsAsSettings(options: UploadFlags): Partial<UploadSettings> {
  return {
    ...(options.bucket !== undefined && { bucket: options.bucket }),
    ...(options.prefix !== undefined && { prefix: options.prefix }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.forcePathStyle && { forcePathStyle: true }),
    ...(options.urlMode !== undefined && { urlMode: parseUrlMode(options.urlMode, '--url-mode') }),
    ...(options.expires !== undefined && { expiresSeconds: parseExpires(options.expires, '--expires') }),
    ...(options.publicBaseUrl !== undefined && { publicBaseUrl: options.publicBaseUrl }),
  };
}

/**
 * Flags over SEEDANCE_S3_* variables; a missing bucket or a bad value is a usage error naming the flag and the variable.
 * With `bucketOptional` (a dry run, which uploads nothing) a missing bucket gives bucket '' (shown as a placeholder).
 */
export function uploadSettingsFromFlags(options: UploadFlags, env: NodeJS.ProcessEnv, { bucketOptional = false } = {}): UploadSettings {
  try {
    const flags = uploadFlagsAsSettings(options);
    if (bucketOptional && flags.bucket === undefined && !env[UPLOAD_ENV.bucket]?.trim()) return { ...uploadSettingsFrom(env, { ...flags, bucket: 'unset' }), bucket: UNSET_BUCKET };
    return uploadSettingsFrom(env, flags);
  } catch (error) {
    throw error instanceof UploadSettingsError ? new UsageError(error.message) : error;
  }
}
