/** Characters of CJK scripts, counted as Chinese characters for the recommended length. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/gu;

/**
 * A token count that errs high: each CJK character as 2 tokens (tokenizers use 1–2), other text as one
 * token per 3 characters (English averages about 4), and never fewer than the word count.
 */
export function estimateTokens(prompt: string): number {
  const cjk = countCjk(prompt);
  const rest = prompt.replace(CJK, ' ');
  const words = countEnglishWords(rest);
  const otherChars = rest.replace(/\s+/g, ' ').trim().length;
  return cjk * 2 + Math.max(words, Math.ceil(otherChars / 3));
}

export function countCjk(prompt: string): number {
  return prompt.match(CJK)?.length ?? 0;
}

export function countEnglishWords(prompt: string): number {
  return prompt.match(/[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*/g)?.length ?? 0;
}

export type MediaNoun = 'image' | 'video' | 'audio';

export interface PromptReference {
  kind: MediaNoun;
  /** 1-based position the prompt names. */
  index: number;
  /** The words as written in the prompt. */
  text: string;
}

const NOUNS: Array<[MediaNoun, string]> = [
  ['image', '(?:image|img|picture|photo|图片|图像|圖片|画像|이미지)'],
  ['video', '(?:video|clip|视频|視頻|動画|비디오)'],
  ['audio', '(?:audio|sound|音频|音頻|音声|오디오)'],
];

/** References such as "image 3", "@Video1", "video #2", "图片1", "音声2" in a prompt. */
export function findPromptReferences(prompt: string): PromptReference[] {
  const found: PromptReference[] = [];
  for (const [kind, noun] of NOUNS) {
    const pattern = new RegExp(`(?<![A-Za-z])@?${noun}\\s*(?:#|no\\.?\\s*|number\\s*)?(\\d{1,3})(?![\\d])`, 'giu');
    for (const match of prompt.matchAll(pattern)) {
      found.push({ kind, index: Number(match[1]), text: match[0] });
    }
  }
  return found.sort((a, b) => prompt.indexOf(a.text) - prompt.indexOf(b.text));
}
