import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorWithoutText, jsonNestingDepth, MAX_JSON_DEPTH, parseBoundedJson } from '../../src/shared/json-depth.js';

/** The depth of parsed data, by walking it (recursion is fine here: the generator keeps it shallow). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('jsonNestingDepth: a scan without recursion', () => {
  it.each([
    ['a scalar', '42', 0],
    ['an empty object', '{}', 1],
    ['nested', '{"a": [1, {"b": []}]}', 4],
    ['brackets inside strings do not count', '{"a": "[[[{{{"}', 1],
    ['an escaped quote does not end the string', '{"a": "\\"[[[", "b": ["\\\\"]}', 2],
    ['a backslash before the closing quote', '["\\\\", [[]]]', 3],
    ['unclosed brackets still count', '[[[[', 4],
    ['stray closers never go below zero', ']]]][', 1],
    ['5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, 5000],
  ])('%s', (_name, text, depth) => {
    expect(jsonNestingDepth(text)).toBe(depth);
  });

  it('agrees with the depth of the parsed data, for any JSON with brackets, quotes and backslashes in its strings', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ', 'é', '\n') });
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    })).value;
    fc.assert(
      fc.property(json, fc.boolean(), (value, pretty) => {
        const serialized = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(jsonNestingDepth(serialized)).toBe(depthOf(value));
      }),
      { numRuns: 500 },
    );
  });

  it('a value wrapped n times is n deeper, whatever its strings hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', 'x') }), fc.integer({ min: 0, max: 200 }), (s, n) => {
        const wrapped = `${'{"k":['.repeat(n)}${JSON.stringify(s)}${']}'.repeat(n)}`;
        expect(jsonNestingDepth(wrapped)).toBe(2 * n);
      }),
    );
  });
});

describe('parseBoundedJson', () => {
  it(`parses up to ${MAX_JSON_DEPTH} levels, refuses one more, before JSON.parse`, () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseBoundedJson(nest(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseBoundedJson(nest(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, reason: 'depth', problem: 'it nests arrays and objects 65 levels deep, more than the 64 allowed' });
    expect(parseBoundedJson(`{"a": ${nest(5000)}}`)).toEqual({ ok: false, reason: 'depth', problem: 'it nests arrays and objects 5,001 levels deep, more than the 64 allowed' });
  });

  it('drops a byte order mark', () => {
    expect(parseBoundedJson('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('never quotes the text in a parse error', () => {
    const secret = 'EVOLINK_API_KEY=sk-canary\0AWS_SECRET_ACCESS_KEY=canary';
    const parsed = parseBoundedJson(secret);
    expect(parsed).toEqual({ ok: false, reason: 'syntax', problem: 'it is not valid JSON (Unexpected token where a JSON value should start)' });
    expect(parseBoundedJson('{"a": 1,}')).toEqual({ ok: false, reason: 'syntax', problem: 'it is not valid JSON (Expected double-quoted property name in JSON at position 8)' });
  });

  it('jsonErrorWithoutText keeps messages that hold no text', () => {
    expect(jsonErrorWithoutText('Unexpected end of JSON input')).toBe('Unexpected end of JSON input');
    expect(jsonErrorWithoutText(`Unexpected token 'E', "EVOLINK_AP"... is not valid JSON`)).toBe('Unexpected token where a JSON value should start');
  });
});
