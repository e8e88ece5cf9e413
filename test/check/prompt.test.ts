import { describe, it, expect } from 'vitest';
import { countCjk, countEnglishWords, estimateTokens, findPromptReferences, type PromptReference } from '../../src/check/prompt.js';

describe('estimateTokens', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['   ', 0],
    ['a cat', 2], // 2 words; 5 characters / 3 = 2
    ['hello world', 4], // 11 characters / 3, rounded up
    ['a a a', 3], // never fewer than the word count
    ['!!!!!!', 2], // punctuation counts as characters
    ['猫が歩く', 8], // 4 CJK characters × 2
    ['고양이', 6], // Hangul counts as CJK
    ['猫 cat', 3], // 2 + max(1 word, 3 chars / 3)
    ['the   cat\n\nsat', 4], // runs of white space count as one character: "the cat sat" = 11 → 4
  ];
  it.each(cases)('%j → %i', (prompt, tokens) => {
    expect(estimateTokens(prompt)).toBe(tokens);
  });

  it('is at least the word count for long English prompts', () => {
    expect(estimateTokens(Array(10_000).fill('a').join(' '))).toBe(10_000);
    expect(estimateTokens(Array(100).fill('word').join(' '))).toBe(167); // 499 characters / 3
  });
});

describe('countCjk', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['café', 0],
    ['你好。', 2], // the ideographic full stop is not a character of text
    ['猫ねコ고', 4], // han, hiragana, katakana, hangul
    ['豈', 1], // CJK compatibility ideograph
    ['㐀', 1], // CJK extension A
    ['image 1 的猫', 2],
  ];
  it.each(cases)('%j → %i', (prompt, count) => {
    expect(countCjk(prompt)).toBe(count);
  });
});

describe('countEnglishWords', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['a cat', 2],
    ["don't stop", 2],
    ['don’t stop', 2],
    ['state-of-the-art 3D', 2],
    ['a,b;c', 3],
    ['猫 and 狗', 1],
    ['  -- ', 0],
  ];
  it.each(cases)('%j → %i', (prompt, count) => {
    expect(countEnglishWords(prompt)).toBe(count);
  });
});

describe('findPromptReferences', () => {
  const ref = (kind: PromptReference['kind'], index: number, text: string): PromptReference => ({ kind, index, text });
  const cases: Array<[string, PromptReference[]]> = [
    ['no references at all', []],
    ['the cat in image 3 jumps', [ref('image', 3, 'image 3')]],
    ['@Video1 as the motion', [ref('video', 1, '@Video1')]],
    ['参考视频2的运镜', [ref('video', 2, '视频2')]],
    ['音声1をBGMに', [ref('audio', 1, '音声1')]],
    ['图片1 和 图像2 和 圖片3', [ref('image', 1, '图片1'), ref('image', 2, '图像2'), ref('image', 3, '圖片3')]],
    ['画像3の猫', [ref('image', 3, '画像3')]],
    ['이미지 1', [ref('image', 1, '이미지 1')]],
    ['視頻1 動画2 비디오3', [ref('video', 1, '視頻1'), ref('video', 2, '動画2'), ref('video', 3, '비디오3')]],
    ['音频1 音頻2 오디오3', [ref('audio', 1, '音频1'), ref('audio', 2, '音頻2'), ref('audio', 3, '오디오3')]],
    ['IMAGE 2 and Img4', [ref('image', 2, 'IMAGE 2'), ref('image', 4, 'Img4')]],
    ['picture 1, photo 2', [ref('image', 1, 'picture 1'), ref('image', 2, 'photo 2')]],
    ['video #2 and image no. 3 and image number 4', [ref('video', 2, 'video #2'), ref('image', 3, 'image no. 3'), ref('image', 4, 'image number 4')]],
    ['clip 2 with sound 1', [ref('video', 2, 'clip 2'), ref('audio', 1, 'sound 1')]],
    // in the order they appear, whatever their kind
    ['audio 1 over video 3 of image 2', [ref('audio', 1, 'audio 1'), ref('video', 3, 'video 3'), ref('image', 2, 'image 2')]],
    ['image 0', [ref('image', 0, 'image 0')]],
    ['image 1 then image 1 again', [ref('image', 1, 'image 1'), ref('image', 1, 'image 1')]],
    // not references
    ['images 2 and videos 3', []],
    ['myimage 2, teaser-video-clip', []],
    ['rendered as image 1080p', []],
    ['video 1234', []],
    ['imageA 1', []],
  ];
  it.each(cases)('%s', (prompt, expected) => {
    expect(findPromptReferences(prompt)).toEqual(expected);
  });
});
