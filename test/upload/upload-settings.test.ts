import { describe, expect, it } from 'vitest';
import { normalizePrefix, uploadSettingsFrom, uploadSettingsWarnings } from '../../src/upload/upload-settings.js';

describe('uploadSettingsFrom', () => {
  it('defaults: public URLs, a day of expiry, region us-east-1, no prefix', () => {
    expect(uploadSettingsFrom({}, { bucket: 'b' })).toEqual({ bucket: 'b', prefix: '', forcePathStyle: false, region: 'us-east-1', urlMode: 'public', expiresSeconds: 86_400 });
  });

  it('reads every SEEDANCE_S3_* variable and the AWS region', () => {
    const env = {
      SEEDANCE_S3_BUCKET: 'media',
      SEEDANCE_S3_PREFIX: 'seedance',
      SEEDANCE_S3_ENDPOINT: 'http://127.0.0.1:9000',
      SEEDANCE_S3_FORCE_PATH_STYLE: '1',
      SEEDANCE_S3_URL_MODE: 'presigned',
      SEEDANCE_S3_EXPIRES: '7200',
      AWS_REGION: 'eu-central-1',
    };
    expect(uploadSettingsFrom(env, {})).toEqual({ bucket: 'media', prefix: 'seedance/', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'eu-central-1', urlMode: 'presigned', expiresSeconds: 7200 });
  });

  it('flags override variables', () => {
    const env = { SEEDANCE_S3_BUCKET: 'env-bucket', SEEDANCE_S3_PREFIX: 'env', SEEDANCE_S3_PUBLIC_BASE_URL: 'https://cdn.example.com', SEEDANCE_S3_FORCE_PATH_STYLE: 'true', AWS_DEFAULT_REGION: 'ap-northeast-1' };
    expect(uploadSettingsFrom(env, { bucket: 'flag-bucket', prefix: '', forcePathStyle: false })).toEqual({
      bucket: 'flag-bucket', prefix: '', forcePathStyle: false, region: 'ap-northeast-1', urlMode: 'public', expiresSeconds: 86_400, publicBaseUrl: 'https://cdn.example.com',
    });
  });

  it.each([
    [{}, {}, 'no bucket given: pass --bucket NAME or set SEEDANCE_S3_BUCKET'],
    [{ SEEDANCE_S3_BUCKET: '  ' }, {}, 'no bucket given: pass --bucket NAME or set SEEDANCE_S3_BUCKET'],
    [{ SEEDANCE_S3_URL_MODE: 'private' }, { bucket: 'b' }, 'SEEDANCE_S3_URL_MODE must be "public" or "presigned", not "private"'],
    [{ SEEDANCE_S3_EXPIRES: '-5' }, { bucket: 'b' }, 'SEEDANCE_S3_EXPIRES must be a whole number of seconds, not "-5"'],
    [{ SEEDANCE_S3_EXPIRES: '0' }, { bucket: 'b' }, 'SEEDANCE_S3_EXPIRES must be between 1 and 604800 seconds (7 days, the longest a presigned URL lives), not 0'],
    [{}, { bucket: 'b', expiresSeconds: 604_801 }, '--expires must be between 1 and 604800 seconds (7 days, the longest a presigned URL lives), not 604801'],
    [{ SEEDANCE_S3_ENDPOINT: 'localhost:9000' }, { bucket: 'b' }, 'SEEDANCE_S3_ENDPOINT must be an http(s) URL such as https://s3.example.com, not "localhost:9000"'],
    [{}, { bucket: 'b', endpoint: 'ftp://x' }, '--endpoint must be an http(s) URL such as https://s3.example.com, not "ftp://x"'],
    [{}, { bucket: 'b', urlMode: 'presigned', publicBaseUrl: 'https://cdn.example.com' }, 'a public base URL serves public objects: it cannot be used with --url-mode presigned (drop --public-base-url, or use --url-mode public)'],
  ] as const)('refuses %j %j', (env, flags, message) => {
    expect(() => uploadSettingsFrom(env, flags)).toThrow(message);
  });
});

describe('uploadSettingsWarnings', () => {
  it.each([
    ['presigned', 3599, ["presigned URLs expire after 3599 s, less than an hour: a task that waits in the provider's queue longer may fail to fetch its media (use --expires 86400 or more)"]],
    ['presigned', 3600, []],
    ['public', 60, []],
  ] as const)('%s with %i s', (urlMode, expiresSeconds, warnings) => {
    expect(uploadSettingsWarnings(uploadSettingsFrom({}, { bucket: 'b', urlMode, expiresSeconds }))).toEqual(warnings);
  });
});

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['a', 'a/'],
    ['/a/b/', 'a/b/'],
    ['a//', 'a/'],
  ])('%j → %j', (input, expected) => expect(normalizePrefix(input)).toBe(expected));
});
