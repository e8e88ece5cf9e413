import { describe, it, expect } from 'vitest';
import { naturalCompare } from '../../src/pipeline/natural-order.js';

describe('naturalCompare', () => {
  const sign = (n: number) => Math.sign(n);
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['2.jpg', '10.jpg', -1],
    ['10.jpg', '2.jpg', 1],
    ['image2.png', 'image10.png', -1],
    ['img-9.jpg', 'img-10.jpg', -1],
    ['a.jpg', 'b.jpg', -1],
    ['a.jpg', 'B.jpg', -1], // case does not decide the order…
    ['B.jpg', 'a.jpg', 1],
    ['A.jpg', 'a.jpg', -1], // …except between otherwise equal names, and then in a fixed way
    ['a.jpg', 'A.jpg', 1],
    ['same.jpg', 'same.jpg', 0],
    ['01.jpg', '1.jpg', -1], // equal numbers: a fixed order, never 0 for different names
    ['1.jpg', '01.jpg', 1],
  ];
  it.each(cases)('%s vs %s → %i', (a, b, expected) => {
    expect(sign(naturalCompare(a, b))).toBe(expected);
  });

  it('sorts a folder the way a person numbers it', () => {
    const names = ['10.jpg', 'cover.png', '1.jpg', 'Clip.mp4', '2.jpg', 'audio 10.mp3', 'audio 9.mp3', 'a.jpg'];
    expect([...names].sort(naturalCompare)).toEqual(['1.jpg', '2.jpg', '10.jpg', 'a.jpg', 'audio 9.mp3', 'audio 10.mp3', 'Clip.mp4', 'cover.png']);
  });

  it('gives a total order: the result does not depend on the input order', () => {
    const names = ['a.jpg', 'A.jpg', 'á.jpg', '01.jpg', '1.jpg', '001.jpg'];
    const once = [...names].sort(naturalCompare);
    expect([...names].reverse().sort(naturalCompare)).toEqual(once);
    expect(new Set(once).size).toBe(names.length);
  });
});
