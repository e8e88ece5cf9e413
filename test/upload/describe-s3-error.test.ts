import { describe, expect, it } from 'vitest';
import { describeS3Error } from '../../src/upload/describe-s3-error.js';
import { urlHint } from '../../src/upload/check-object-url.js';

const context = { bucket: 'media', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' };
const s3 = (name: string, status: number, attempts = 1, message = '') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts } });
const net = (code: string, attempts = 1) => Object.assign(new Error(`connect ${code}`), { code, $metadata: { attempts } });

describe('describeS3Error', () => {
  it.each([
    [s3('NoSuchBucket', 404), true, 'bucket "media" does not exist at http://127.0.0.1:9000: create it, or pass the right --bucket (or SEEDANCE_S3_BUCKET)'],
    [s3('InvalidAccessKeyId', 403), true, 'http://127.0.0.1:9000 does not know the access key id (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'],
    [s3('SignatureDoesNotMatch', 403), true, 'http://127.0.0.1:9000 rejected the request signature (SignatureDoesNotMatch): the secret access key does not match the key id; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'],
    [s3('ExpiredToken', 400), true, 'http://127.0.0.1:9000 rejected the session token (ExpiredToken): refresh the temporary credentials (AWS_SESSION_TOKEN, or aws sso login)'],
    [s3('AccessDenied', 403), true, 'access to bucket "media" at http://127.0.0.1:9000 was denied (AccessDenied): the credentials need s3:PutObject, s3:GetObject and s3:AbortMultipartUpload on it; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), true, 'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE'],
    [net('ECONNREFUSED', 4), true, 'nothing answers at http://127.0.0.1:9000 (connection refused after 4 attempts): start the store, or correct --endpoint (or SEEDANCE_S3_ENDPOINT)'],
    [net('ENOTFOUND'), true, 'the host of http://127.0.0.1:9000 cannot be resolved (ENOTFOUND): correct --endpoint (or SEEDANCE_S3_ENDPOINT), or check the network'],
    [net('ECONNRESET', 4), false, 'the connection to http://127.0.0.1:9000 failed (ECONNRESET after 4 attempts): check the network and run again; nothing already uploaded is sent twice'],
    [s3('SlowDown', 503, 4), false, 'http://127.0.0.1:9000 answered HTTP 503 (SlowDown) after 4 attempts: the store is overloaded or failing; run again later'],
    [s3('InternalError', 500, 4), false, 'http://127.0.0.1:9000 answered HTTP 500 (InternalError) after 4 attempts: the store is overloaded or failing; run again later'],
    [s3('EntityTooLarge', 400, 1, 'Your proposed upload exceeds the maximum allowed size'), false, 'http://127.0.0.1:9000 refused the request (EntityTooLarge, HTTP 400): Your proposed upload exceeds the maximum allowed size'],
  ])('%s', (error, environment, message) => {
    expect(describeS3Error(error, context)).toEqual({ message, environment, code: expect.any(String) });
  });

  it('names AWS S3 and the region when there is no custom endpoint', () => {
    expect(describeS3Error(s3('NoSuchBucket', 404), { bucket: 'media', region: 'eu-west-1' }).message).toBe('bucket "media" does not exist at AWS S3 (eu-west-1): create it, or pass the right --bucket (or SEEDANCE_S3_BUCKET)');
  });
});

describe('urlHint', () => {
  const at = { bucket: 'media', prefix: 'seedance/' };
  it.each([
    [403, 'public', true, 'the bucket refuses ACLs and no bucket policy makes the objects public: add a bucket policy allowing s3:GetObject on arn:aws:s3:::media/seedance/*, or use --url-mode presigned'],
    [403, 'public', false, 'the object is not public: add a bucket policy allowing s3:GetObject on arn:aws:s3:::media/seedance/*, or use --url-mode presigned (or turn off Block Public Access for ACLs)'],
    [403, 'presigned', false, 'the presigned URL was refused: check the clock and that the credentials may read the object (s3:GetObject)'],
    [404, 'public', false, 'the object is not at that URL: check --public-base-url (or SEEDANCE_S3_PUBLIC_BASE_URL) and --endpoint'],
    [null, 'public', false, 'the URL must be reachable from the internet for the provider to fetch it; check the endpoint or public base URL'],
    [502, 'public', false, 'the provider would be refused the same way; check the store or CDN'],
  ] as const)('%s %s (ACL refused: %s)', (status, urlMode, aclRefused, hint) => expect(urlHint(status, { urlMode, aclRefused, ...at })).toBe(hint));
});
