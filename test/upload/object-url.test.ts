import { describe, expect, it } from 'vitest';
import { publicObjectUrl } from '../../src/upload/object-url.js';

const base = { bucket: 'media', forcePathStyle: false, region: 'us-east-1' };

describe('publicObjectUrl', () => {
  it.each([
    [{}, 'k/a.mp4', 'https://media.s3.us-east-1.amazonaws.com/k/a.mp4'],
    [{ region: 'eu-west-1' }, 'a.mp4', 'https://media.s3.eu-west-1.amazonaws.com/a.mp4'],
    [{ forcePathStyle: true }, 'a.mp4', 'https://s3.us-east-1.amazonaws.com/media/a.mp4'],
    [{ bucket: 'media.example.com' }, 'a.mp4', 'https://s3.us-east-1.amazonaws.com/media.example.com/a.mp4'],
    [{ endpoint: 'http://127.0.0.1:4568', forcePathStyle: true }, 'p/a.png', 'http://127.0.0.1:4568/media/p/a.png'],
    [{ endpoint: 'https://acct.r2.cloudflarestorage.com' }, 'a.png', 'https://media.acct.r2.cloudflarestorage.com/a.png'],
    [{ endpoint: 'https://minio.example.com/s3/', forcePathStyle: true }, 'a.png', 'https://minio.example.com/s3/media/a.png'],
    [{ publicBaseUrl: 'https://cdn.example.com/', endpoint: 'http://127.0.0.1:4568' }, 'my prefix/a.png', 'https://cdn.example.com/my%20prefix/a.png'],
    [{ publicBaseUrl: 'https://example.com/media' }, 'a.png', 'https://example.com/media/a.png'],
  ])('%j %s', (overrides, key, url) => expect(publicObjectUrl({ ...base, ...overrides }, key)).toBe(url));
});
