import { describe, expect, it } from 'vitest';
import { describeBytes } from '../../src/probe/describe-bytes.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('describeBytes: the kind of bytes and the size, never the bytes', () => {
  const cases: Array<[string, Uint8Array, number, string]> = [
    ['a note named .mp4', utf8('this is not a video\n'), 20, 'UTF-8 text, 20 bytes'],
    ['an HTML error page', utf8('<!DOCTYPE html>\n<html>\n  <head><title>404 Not Found</title>'), 57, 'UTF-8 text, 57 bytes'],
    ['UTF-8 text in another script', utf8('これは動画ではありません'), 36, 'UTF-8 text, 36 bytes'],
    // the sample cuts the last character: still text
    ['a character cut off by the sample', utf8(`${'a'.repeat(511)}€`), 514, 'UTF-8 text, 514 bytes'],
    ['a /etc/shadow-like head: text, and none of it shown', utf8('root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n'), 1_234_567, 'UTF-8 text, 1,234,567 bytes'],
    // DE AD is a valid two-byte character (U+07AD), BE EF is not UTF-8
    ['deadbeef: not text', bytes(0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0x01), 9, 'binary data, 9 bytes'],
    ['zero padding', new Uint8Array(600), 600, 'zero bytes, 600 bytes'],
    ['control characters among letters', bytes(0x41, 0x42, 0x00, 0x43), 4, 'binary data, 4 bytes'],
    ['Latin-1 text is not UTF-8', bytes(0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72), 9, 'binary data, 9 bytes'],
    ['only whitespace is not text', utf8(' \n\t  '), 5, 'binary data, 5 bytes'],
    ['private-use characters', utf8('\u{E000}\u{E001}'), 6, 'binary data, 6 bytes'],
    ['one byte', utf8('x'), 1, 'UTF-8 text, 1 byte'],
  ];
  it.each(cases)('%s', (_name, head, size, expected) => {
    expect(describeBytes(head, size)).toBe(expected);
  });

  it('no byte of the head appears in the description', () => {
    const secret = 'EVOLINK_API_KEY=sk-canary-0123456789';
    expect(describeBytes(utf8(secret), secret.length)).not.toMatch(/EVOLINK|canary|sk-/);
  });
});
