import { describe, it, expect } from 'vitest';
import { classifyRef, parseRequestText } from '../../src/pipeline/request-file.js';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';

const PATH = 'jobs/one/request.json';
const MEDIA_SOURCE = "docs/LIMITS.md#request.media_url; seedance-2.0-reference-to-video.ja.md image_urls / video_urls / audio_urls: URLs (format uri) the provider's servers can reach directly; Base64エンコードは使用しないでください";
const JSON_FIX = "write the request as a JSON object with the API's field names";

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('valid JSON');
}

describe('parseRequestText: media entries', () => {
  it('keeps request order, resolves relative paths against the file, keeps URLs as URLs', () => {
    const request = {
      model: REFERENCE_MODEL,
      prompt: 'image 1, image 2, video 1, audio 1',
      image_urls: ['cat.jpg', 'https://cdn.example.com/dog.png'],
      video_urls: ['/srv/media/street.mp4'],
      audio_urls: ['sound/rain.mp3', 'HTTP://cdn.example.com/a.mp3'],
      duration: 5,
    };
    expect(parseRequestText(JSON.stringify(request), PATH)).toEqual({
      label: PATH,
      request,
      media: [
        { field: 'image_urls', index: 0, ref: 'cat.jpg', path: 'jobs/one/cat.jpg', probe: null },
        { field: 'image_urls', index: 1, ref: 'https://cdn.example.com/dog.png', path: null, probe: null },
        { field: 'video_urls', index: 0, ref: '/srv/media/street.mp4', path: '/srv/media/street.mp4', probe: null },
        { field: 'audio_urls', index: 0, ref: 'sound/rain.mp3', path: 'jobs/one/sound/rain.mp3', probe: null },
        { field: 'audio_urls', index: 1, ref: 'HTTP://cdn.example.com/a.mp3', path: null, probe: null },
      ],
      loadViolations: [],
    });
  });

  it('orders media by field (images, videos, audio) whatever the key order in the file', () => {
    const text = '{"audio_urls": ["a.mp3"], "video_urls": ["v.mp4"], "image_urls": ["i.jpg"]}';
    expect(parseRequestText(text, PATH).media.map((m) => m.field)).toEqual(['image_urls', 'video_urls', 'audio_urls']);
  });

  it('a request file in the current folder, and paths with ../', () => {
    const { media } = parseRequestText('{"image_urls": ["a.jpg", "../shared/b.jpg", "./c.jpg"]}', 'request.json');
    expect(media.map((m) => m.path)).toEqual(['a.jpg', '../shared/b.jpg', 'c.jpg']);
  });

  it('a request without media fields', () => {
    expect(parseRequestText('{"model": "seedance-2.0-text-to-video", "prompt": "rain"}', PATH)).toEqual({
      label: PATH,
      request: { model: 'seedance-2.0-text-to-video', prompt: 'rain' },
      media: [],
      loadViolations: [],
    });
  });

  it('strips a UTF-8 byte order mark', () => {
    const parsed = parseRequestText('\uFEFF{"prompt": "猫"}', PATH);
    expect(parsed.request).toEqual({ prompt: '猫' });
    expect(parsed.loadViolations).toEqual([]);
  });

  it('bad entries become request.media_url violations; the good ones keep their positions', () => {
    const text = JSON.stringify({
      image_urls: ['data:image/png;base64,iVBORw0KGgo=', 'ok.jpg', 5, '', '  ', null],
      video_urls: ['ftp://files.example.com/v.mp4', 'file:///tmp/v.mp4', 'v.mp4'],
      audio_urls: 'a.mp3',
    });
    const parsed = parseRequestText(text, PATH);
    expect(parsed.media).toEqual([
      { field: 'image_urls', index: 1, ref: 'ok.jpg', path: 'jobs/one/ok.jpg', probe: null },
      { field: 'video_urls', index: 2, ref: 'v.mp4', path: 'jobs/one/v.mp4', probe: null },
    ]);
    const media = (problem: string, fix: string) => ({
      rule: 'request.media_url',
      severity: 'error',
      subject: PATH,
      limit: null,
      actual: null,
      problem,
      fix,
      fixable: false,
      source: MEDIA_SOURCE,
    });
    const pathOrUrl = 'give a relative path or an http(s) URL';
    expect(parsed.loadViolations).toEqual([
      media('image_urls[0] is a data URI; the provider refuses Base64 media', 'save it to a file and give its path (upload makes it a URL)'),
      media('image_urls[2] is 5, not a path or URL', pathOrUrl),
      media('image_urls[3] is "", not a path or URL', pathOrUrl),
      media('image_urls[4] is "  ", not a path or URL', pathOrUrl),
      media('image_urls[5] is null, not a path or URL', pathOrUrl),
      media('video_urls[0] (ftp://files.example.com/v.mp4) is neither a local path nor an http(s) URL', pathOrUrl),
      media('video_urls[1] (file:///tmp/v.mp4) is neither a local path nor an http(s) URL', pathOrUrl),
      media('audio_urls is "a.mp3", not an array', 'make "audio_urls" an array of paths or URLs'),
    ]);
  });

  it('a media URL carrying credentials is refused, its password never echoed; the same URL without them is kept', () => {
    const parsed = parseRequestText(JSON.stringify({ image_urls: ['https://alice:s3cr3t-pw@cdn.example.com/a.png', 'https://cdn.example.com/a.png'] }), PATH);
    expect(parsed.media).toEqual([{ field: 'image_urls', index: 1, ref: 'https://cdn.example.com/a.png', path: null, probe: null }]);
    expect(parsed.loadViolations.map(({ rule, problem, fix }) => ({ rule, problem, fix }))).toEqual([
      {
        rule: 'request.media_url',
        problem: 'image_urls[0] (https://***@cdn.example.com/a.png) carries credentials; the provider fetches media URLs without them',
        fix: 'make the object publicly readable or presigned (upload does both) and give that URL',
      },
    ]);
    expect(JSON.stringify(parsed.loadViolations)).not.toContain('s3cr3t-pw');
  });

  it('a media field that is an object or null', () => {
    const parsed = parseRequestText('{"image_urls": {"0": "a.jpg"}, "video_urls": null}', PATH);
    expect(parsed.media).toEqual([]);
    expect(parsed.loadViolations.map(({ subject, rule, problem, fix }) => ({ subject, rule, problem, fix }))).toEqual([
      { subject: PATH, rule: 'request.media_url', problem: 'image_urls is {"0":"a.jpg"}, not an array', fix: 'make "image_urls" an array of paths or URLs' },
      { subject: PATH, rule: 'request.media_url', problem: 'video_urls is null, not an array', fix: 'make "video_urls" an array of paths or URLs' },
    ]);
  });
});

describe('parseRequestText: not a JSON object', () => {
  const cases: Array<[string, string, string]> = [
    ['an array', '[{"model": "x"}]', 'it holds an array, not a JSON object'],
    ['a number', '42', 'it holds 42, not a JSON object'],
    ['null', 'null', 'it holds null, not a JSON object'],
    ['a string', '"request"', 'it holds "request", not a JSON object'],
    ['true', 'true', 'it holds true, not a JSON object'],
    ['broken JSON', '{"model": ', `it is not valid JSON (${jsonError('{"model": ')})`],
    ['a trailing comma', '{"model": "x",}', `it is not valid JSON (${jsonError('{"model": "x",}')})`],
    ['an empty file', '', `it is not valid JSON (${jsonError('')})`],
  ];
  it.each(cases)('%s', (_name, text, problem) => {
    expect(parseRequestText(text, PATH)).toEqual({
      label: PATH,
      request: null,
      media: [],
      loadViolations: [
        {
          rule: 'request.json',
          severity: 'error',
          subject: PATH,
          limit: null,
          actual: null,
          problem: `the request file cannot be used: ${problem}`,
          fix: JSON_FIX,
          fixable: false,
          source: "docs/LIMITS.md#request.json; seedance-2.0-reference-to-video.ja.md and seedance-2.0-text-to-video.ja.md request body: a JSON object with the API's own field names; seedance-preflight: the request file is a regular file inside the job, read with a bound",
        },
      ],
    });
  });
});

describe('classifyRef', () => {
  const cases: Array<[string, ReturnType<typeof classifyRef>]> = [
    ['https://cdn.example.com/a.jpg', 'url'],
    ['http://cdn.example.com/a.jpg', 'url'],
    ['HTTPS://CDN.EXAMPLE.COM/A.JPG', 'url'],
    ['data:image/png;base64,iVBORw0KGgo=', 'data'],
    ['DATA:image/jpeg;base64,/9j/', 'data'],
    ['ftp://files.example.com/a.jpg', 'other-scheme'],
    ['file:///tmp/a.jpg', 'other-scheme'],
    ['s3://bucket/a.jpg', 'other-scheme'],
    ['blob:https://example.com/1234', 'other-scheme'],
    ['http:/cdn.example.com/a.jpg', 'other-scheme'],
    ['a.jpg', 'path'],
    ['./media/a.jpg', 'path'],
    ['../a.jpg', 'path'],
    ['/srv/media/a.jpg', 'path'],
    ['C:\\media\\a.jpg', 'path'],
    ['c:/media/a.jpg', 'path'],
    ['media/http://odd.jpg', 'path'],
    ['https-cover.jpg', 'path'],
  ];
  it.each(cases)('%s → %s', (entry, expected) => {
    expect(classifyRef(entry)).toBe(expected);
  });
});
