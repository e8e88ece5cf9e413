import { PreflightError } from '../shared/errors.js';
import { redactUrls } from '../shared/redact.js';

/** Where and how media are uploaded: from flags, then SEEDANCE_S3_* variables, then defaults. */
export interface UploadSettings {
  bucket: string;
  /** Key prefix, '' or ending in '/'. */
  prefix: string;
  /** A custom S3-compatible endpoint (R2, MinIO, s3rver); absent for AWS S3. */
  endpoint?: string;
  forcePathStyle: boolean;
  region: string;
  urlMode: 'public' | 'presigned';
  /** Lifetime of presigned URLs in seconds. */
  expiresSeconds: number;
  /** CDN or custom-domain base that serves the bucket; public URLs are built on it. */
  publicBaseUrl?: string;
}

/** The environment variables read for upload settings (flags override them). */
export const UPLOAD_ENV = {
  bucket: 'SEEDANCE_S3_BUCKET',
  prefix: 'SEEDANCE_S3_PREFIX',
  endpoint: 'SEEDANCE_S3_ENDPOINT',
  forcePathStyle: 'SEEDANCE_S3_FORCE_PATH_STYLE',
  urlMode: 'SEEDANCE_S3_URL_MODE',
  expiresSeconds: 'SEEDANCE_S3_EXPIRES',
  publicBaseUrl: 'SEEDANCE_S3_PUBLIC_BASE_URL',
} as const;

/** A dry run's bucket when none is set: its URLs show a placeholder instead (dry-run.ts). */
export const UNSET_BUCKET = '';

/** The AWS SDK's own default when no region is configured anywhere. */
export const DEFAULT_REGION = 'us-east-1';
/** Presigned URLs must outlive the provider's queue: a day by default (TASKS.md: tasks may wait in a queue). */
export const DEFAULT_EXPIRES_SECONDS = 86_400;
/** SigV4 presigned URLs are valid for at most 7 days (AWS S3 documentation, "Sharing objects with presigned URLs"). */
export const MAX_EXPIRES_SECONDS = 604_800;
/** Below this, a presigned URL may expire while the task still waits in the queue. */
export const SHORT_EXPIRY_SECONDS = 3_600;

/** A missing or wrong upload setting; the message names the flag and the variable. */
export class UploadSettingsError extends PreflightError {
  readonly kind = 'upload-settings';
}

/** Resolves the settings; throws UploadSettingsError naming the flag and the variable when one is missing or wrong. */
export function uploadSettingsFrom(env: NodeJS.ProcessEnv, flags: Partial<UploadSettings>): UploadSettings {
  const bucket = flags.bucket ?? nonEmpty(env[UPLOAD_ENV.bucket]);
  if (!bucket) throw new UploadSettingsError(`no bucket given: pass --bucket NAME or set ${UPLOAD_ENV.bucket}`);
  const urlMode = flags.urlMode ?? parseUrlMode(nonEmpty(env[UPLOAD_ENV.urlMode]));
  const expiresSeconds = flags.expiresSeconds ?? parseExpires(nonEmpty(env[UPLOAD_ENV.expiresSeconds]), UPLOAD_ENV.expiresSeconds);
  checkExpires(expiresSeconds, flags.expiresSeconds !== undefined ? '--expires' : UPLOAD_ENV.expiresSeconds);
  const endpoint = flags.endpoint ?? nonEmpty(env[UPLOAD_ENV.endpoint]);
  if (endpoint !== undefined) checkHttpUrl(endpoint, flags.endpoint !== undefined ? '--endpoint' : UPLOAD_ENV.endpoint);
  const publicBaseUrl = flags.publicBaseUrl ?? nonEmpty(env[UPLOAD_ENV.publicBaseUrl]);
  if (publicBaseUrl !== undefined) {
    checkHttpUrl(publicBaseUrl, flags.publicBaseUrl !== undefined ? '--public-base-url' : UPLOAD_ENV.publicBaseUrl);
    if (urlMode === 'presigned') throw new UploadSettingsError('a public base URL serves public objects: it cannot be used with --url-mode presigned (drop --public-base-url, or use --url-mode public)');
  }
  return {
    bucket,
    prefix: normalizePrefix(flags.prefix ?? env[UPLOAD_ENV.prefix] ?? ''),
    ...(endpoint !== undefined && { endpoint }),
    forcePathStyle: flags.forcePathStyle ?? parseFlag(env[UPLOAD_ENV.forcePathStyle]),
    region: flags.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION,
    urlMode,
    expiresSeconds,
    ...(publicBaseUrl !== undefined && { publicBaseUrl }),
  };
}

/** Warnings about settings that work but may fail later; empty when there is nothing to say. */
export function uploadSettingsWarnings(settings: UploadSettings): string[] {
  if (settings.urlMode === 'presigned' && settings.expiresSeconds < SHORT_EXPIRY_SECONDS) {
    return [`presigned URLs expire after ${settings.expiresSeconds} s, less than an hour: a task that waits in the provider's queue longer may fail to fetch its media (use --expires 86400 or more)`];
  }
  return [];
}

/** "a/b" and "/a/b/" → "a/b/"; "" stays "". */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export function parseUrlMode(value: string | undefined, source: string = UPLOAD_ENV.urlMode): 'public' | 'presigned' {
  if (value === undefined) return 'public';
  if (value === 'public' || value === 'presigned') return value;
  throw new UploadSettingsError(`${source} must be "public" or "presigned", not "${value}"`);
}

export function parseExpires(value: string | undefined, source: string): number {
  if (value === undefined) return DEFAULT_EXPIRES_SECONDS;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seconds)) throw new UploadSettingsError(`${source} must be a whole number of seconds, not "${value}"`);
  return seconds;
}

function checkExpires(seconds: number, source: string): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
    throw new UploadSettingsError(`${source} must be between 1 and ${MAX_EXPIRES_SECONDS} seconds (7 days, the longest a presigned URL lives), not ${seconds}`);
  }
}

function checkHttpUrl(value: string, source: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UploadSettingsError(`${source} must be an http(s) URL such as https://s3.example.com, not "${redactUrls(value)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UploadSettingsError(`${source} must be an http(s) URL such as https://s3.example.com, not "${redactUrls(value)}"`);
}

function parseFlag(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
