import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, isCloseEnough } from '../../src/check/did-you-mean.js';
import { KNOWN_FIELDS } from '../../src/spec/request-fields.js';

describe('editDistance (Damerau–Levenshtein)', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['a', 'b', 1],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['ab', 'ba', 1],
    ['teh', 'the', 1],
    // the unrestricted form: a swapped pair may be edited again (the restricted "optimal string alignment" says 3)
    ['ca', 'abc', 2],
    ['abcdef', 'badcfe', 3],
    ['durration', 'duration', 1],
    ['video_url', 'video_urls', 1],
    ['aspectratio', 'aspect_ratio', 1],
    ['content_filtre', 'content_filter', 1],
    ['Duration', 'duration', 1],
    // by code point: an accent or an emoji is one character
    ['café', 'cafe', 1],
    ['😀a', 'a😀', 1],
  ])('%j to %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('editDistance properties', () => {
  // a small alphabet makes equal letters, swaps and repeats common
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 8 });
  const any = fc.string({ maxLength: 12 });

  it('is symmetric', () => {
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === editDistance(b, a)));
    fc.assert(fc.property(any, any, (a, b) => editDistance(a, b) === editDistance(b, a)));
  });

  it('is 0 exactly when the strings are equal', () => {
    fc.assert(fc.property(word, word, (a, b) => (editDistance(a, b) === 0) === (a === b)));
    fc.assert(fc.property(any, (a) => editDistance(a, a) === 0));
  });

  it('obeys the triangle inequality', () => {
    fc.assert(fc.property(word, word, word, (a, b, c) => editDistance(a, c) <= editDistance(a, b) + editDistance(b, c)));
  });

  it('lies between the difference of the lengths and the longer length', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        return d >= Math.abs(a.length - b.length) && d <= Math.max(a.length, b.length);
      }),
    );
  });

  it('is 1 for one insertion, deletion, substitution or swap of adjacent different letters', () => {
    const edit = fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 2, maxLength: 8 }), fc.nat(), fc.constantFrom('insert', 'delete', 'substitute', 'swap'));
    fc.assert(
      fc.property(edit, ([s, at, kind]) => {
        const i = at % (s.length - 1);
        const edited =
          kind === 'insert' ? `${s.slice(0, i)}x${s.slice(i)}` :
          kind === 'delete' ? `${s.slice(0, i)}${s.slice(i + 1)}` :
          kind === 'substitute' ? `${s.slice(0, i)}x${s.slice(i + 1)}` :
          `${s.slice(0, i)}${s[i + 1]}${s[i]}${s.slice(i + 2)}`;
        return editDistance(s, edited) === (edited === s ? 0 : 1);
      }),
    );
  });
});

describe('isCloseEnough', () => {
  it.each([
    [2, 'mod', true],
    [3, 'mode', false],
    [3, 'model_nam', true],
    [4, 'model_name', false],
    [4, 'reference_img', true],
    [5, 'reference_img', false],
  ])('%i edits to %j: %s', (distance, name, expected) => {
    expect(isCloseEnough(distance, name)).toBe(expected);
  });
});

describe('didYouMean against the documented request fields', () => {
  it.each([
    ['durration', 'duration'],
    ['durations', 'duration'],
    ['Duration', 'duration'],
    ['video_url', 'video_urls'],
    ['image_url', 'image_urls'],
    ['audio_url', 'audio_urls'],
    ['imageUrls', 'image_urls'],
    ['img_urls', 'image_urls'],
    ['aspectRatio', 'aspect_ratio'],
    ['aspect-ratio', 'aspect_ratio'],
    ['callbackUrl', 'callback_url'],
    ['generateAudio', 'generate_audio'],
    ['content_filtre', 'content_filter'],
    ['modelParams', 'model_params'],
    ['promt', 'prompt'],
    ['prompts', 'prompt'],
    ['qualty', 'quality'],
    ['modle', 'model'],
    // nothing close: no guess
    ['seed', null],
    ['negative_prompt', null],
    ['resolution', null],
    ['images', null],
    ['videos', null],
    ['web_search', null],
    ['model_name', null],
    ['callback', null],
    ['url', null],
    ['x', null],
    ['', null],
  ])('%j → %j', (name, expected) => {
    expect(didYouMean(name, KNOWN_FIELDS)).toBe(expected);
  });

  it('prefers the nearest candidate, and the first of equally near ones', () => {
    expect(didYouMean('abcd', ['abxy', 'abcx'])).toBe('abcx');
    expect(didYouMean('abcd', ['abcx', 'abcy'])).toBe('abcx');
    expect(didYouMean('abcd', ['abcy', 'abcx'])).toBe('abcy');
  });

  it('never suggests the name itself', () => {
    expect(didYouMean('duration', ['duration'])).toBeNull();
  });

  it('suggests only documented fields, and only close ones', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom(...KNOWN_FIELDS).chain((f) => fc.string({ unit: fc.constantFrom(...f, 'x', '_'), maxLength: 16 }))), (name) => {
        const guess = didYouMean(name, KNOWN_FIELDS);
        return guess === null || (KNOWN_FIELDS.has(guess) && isCloseEnough(editDistance(name.toLowerCase(), guess), name));
      }),
    );
  });

  it('finds a field one slip away from it, or one as near', () => {
    const slip = fc.tuple(fc.constantFrom(...KNOWN_FIELDS), fc.nat(), fc.constantFrom('insert', 'delete', 'substitute', 'swap'));
    fc.assert(
      fc.property(slip, ([field, at, kind]) => {
        const i = at % (field.length - 1);
        const typed =
          kind === 'insert' ? `${field.slice(0, i)}q${field.slice(i)}` :
          kind === 'delete' ? `${field.slice(0, i)}${field.slice(i + 1)}` :
          kind === 'substitute' ? `${field.slice(0, i)}q${field.slice(i + 1)}` :
          `${field.slice(0, i)}${field[i + 1]}${field[i]}${field.slice(i + 2)}`;
        if (typed === field) return true;
        const guess = didYouMean(typed, KNOWN_FIELDS);
        return guess !== null && editDistance(typed, guess) <= 1;
      }),
    );
  });
});
