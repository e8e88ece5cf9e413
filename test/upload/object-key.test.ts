import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, contentDisposition, objectKey } from '../../src/upload/object-key.js';
import { contentTypeFits } from '../../src/upload/verify-url.js';
import { kindOfFormat } from '../../src/probe/detect-format.js';
import type { MediaFormat } from '../../src/probe/media-info.js';

const HASH = 'a'.repeat(64);

describe('objectKey', () => {
  it.each([
    ['', 'jpeg', `${HASH}.jpg`],
    ['seedance/', 'mov', `seedance/${HASH}.mov`],
    ['x/y/', 'm4a', `x/y/${HASH}.m4a`],
    ['', 'ogg', `${HASH}.ogg`],
    ['', 'tiff', `${HASH}.tif`],
  ] as const)('prefix %j, %s', (prefix, format, key) => expect(objectKey(prefix, HASH, format)).toBe(key));
});

describe('CONTENT_TYPES', () => {
  it('labels every format with a type of its own kind, which verify-url accepts', () => {
    for (const [format, type] of Object.entries(CONTENT_TYPES)) {
      expect([format, contentTypeFits(type, kindOfFormat(format as MediaFormat))]).toEqual([format, 'ok']);
    }
  });
  it.each([
    ['mp4', 'video/mp4'], ['mov', 'video/quicktime'], ['jpeg', 'image/jpeg'], ['png', 'image/png'], ['webp', 'image/webp'], ['mp3', 'audio/mpeg'], ['wav', 'audio/wav'], ['m4a', 'audio/mp4'],
  ] as const)('%s → %s', (format, type) => expect(CONTENT_TYPES[format]).toBe(type));
});

describe('contentDisposition', () => {
  it.each([
    ['clip.mp4', `inline; filename="clip.mp4"; filename*=UTF-8''clip.mp4`],
    ['my clip (1).mov', `inline; filename="my clip (1).mov"; filename*=UTF-8''my%20clip%20%281%29.mov`],
    ['夏の海.jpg', `inline; filename="___.jpg"; filename*=UTF-8''%E5%A4%8F%E3%81%AE%E6%B5%B7.jpg`],
    ['say "hi"\\.png', `inline; filename="say _hi__.png"; filename*=UTF-8''say%20%22hi%22%5C.png`],
  ])('%j', (name, header) => expect(contentDisposition(name)).toBe(header));
});
