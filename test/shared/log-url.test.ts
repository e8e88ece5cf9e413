import { describe, expect, it } from 'vitest';
import { urlForLog } from '../../src/shared/log-url.js';

describe('urlForLog: a URL as a verbose line shows it', () => {
  it.each([
    ['https://api.evolink.ai/v1/videos/generations', 'https://api.evolink.ai/v1/videos/generations'],
    ['http://user:pw@127.0.0.1:4568/media/a.mp4', 'http://***@127.0.0.1:4568/media/a.mp4'],
    ['http://127.0.0.1:4568/media/k/a.wav?x-id=PutObject', 'http://127.0.0.1:4568/media/k/a.wav?x-id=PutObject'],
    ['http://s3.local/media/k?uploadId=abc-1&partNumber=3&x-id=UploadPart', 'http://s3.local/media/k?uploadId=abc-1&partNumber=3&x-id=UploadPart'],
    ['http://s3.local/media/k?uploads&x-id=CreateMultipartUpload', 'http://s3.local/media/k?uploads&x-id=CreateMultipartUpload'],
    [
      'https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261207T050159Z&X-Amz-Expires=7200&X-Amz-Security-Token=FwoGZXIvYXdzEJr&X-Amz-Signature=3f1c0ffee&X-Amz-SignedHeaders=host',
      'https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Date=20261207T050159Z&X-Amz-Expires=7200&X-Amz-Security-Token=***&X-Amz-Signature=***&X-Amz-SignedHeaders=host',
    ],
    ['https://storage.googleapis.com/b/o.png?X-Goog-Signature=abc&X-Goog-Credential=x', 'https://storage.googleapis.com/b/o.png?X-Goog-Signature=***&X-Goog-Credential=***'],
    ['https://cdn.example/v.mp4?token=s3cr3t&Expires=1&Signature=zz&Key-Pair-Id=K1', 'https://cdn.example/v.mp4?token=***&Expires=***&Signature=***&Key-Pair-Id=***'],
    ['https://u:p@cdn.example/v.mp4?sig=abc#t=10', 'https://***@cdn.example/v.mp4?sig=***'],
    ['https://cdn.example/v.mp4?', 'https://cdn.example/v.mp4?'],
    ['https://cdn.example/v.mp4?X%2DAmz%2DDate=1&x%2Did=GetObject', 'https://cdn.example/v.mp4?X%2DAmz%2DDate=1&x%2Did=GetObject'],
  ])('%s', (url, shown) => {
    expect(urlForLog(url)).toBe(shown);
  });
});
