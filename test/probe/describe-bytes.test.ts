import { describe, expect, it } from 'vitest';
import { describeBytes } from '../../src/probe/describe-bytes.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('describeBytes: printable text, else hex', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['a note named .mp4', utf8('this is not a video\n'), 'it looks like text: "this is not a video…"'],
    ['whitespace folded, the first 24 characters', utf8('<!DOCTYPE html>\n<html>\n  <head><title>404 Not Found</title>'), 'it looks like text: "<!DOCTYPE html> <html> <…"'],
    ['UTF-8 text in another script', utf8('これは動画ではありません'), 'it looks like text: "これは動画ではありません…"'],
    // 64 bytes cut the fourth byte of a character: the sample is still text
    ['a character cut off by the sample', utf8(`${'a'.repeat(62)}€`), `it looks like text: "${'a'.repeat(24)}…"`],
    // DE AD is a valid two-byte character (U+07AD), BE EF is not UTF-8: this was shown as "ޭ��ޭ��"
    ['deadbeef: not text', bytes(0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0x01), 'first bytes de ad be ef de ad be ef'],
    ['zero padding', new Uint8Array(600), 'first bytes 00 00 00 00 00 00 00 00'],
    ['control characters among letters', bytes(0x41, 0x42, 0x00, 0x43), 'first bytes 41 42 00 43'],
    ['Latin-1 text is not UTF-8', bytes(0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72), 'first bytes 63 61 66 e9 20 6e 6f 69'],
    ['only whitespace', utf8(' \n\t  '), 'first bytes 20 0a 09 20 20'],
    ['private-use characters', utf8('\u{E000}\u{E001}'), 'first bytes ee 80 80 ee 80 81'],
  ];
  it.each(cases)('%s', (_name, head, expected) => {
    expect(describeBytes(head)).toBe(expected);
  });
});
