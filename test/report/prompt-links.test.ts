import { describe, expect, it } from 'vitest';
import { linkPrompt } from '../../src/report/prompt-links.js';

const targets = { image: ['card-1', 'card-2'], video: ['card-3', null], audio: ['card-4'] };

describe('linkPrompt', () => {
  it.each([
    {
      prompt: 'The banner of image 1 unfurls over video 1.',
      segments: [
        { type: 'text', text: 'The banner of ' },
        { type: 'ref', text: 'image 1', kind: 'image', index: 1, target: 'card-1', missing: false },
        { type: 'text', text: ' unfurls over ' },
        { type: 'ref', text: 'video 1', kind: 'video', index: 1, target: 'card-3', missing: false },
        { type: 'text', text: '.' },
      ],
    },
    {
      prompt: '@Image2 walks, then video 3',
      segments: [
        { type: 'ref', text: '@Image2', kind: 'image', index: 2, target: 'card-2', missing: false },
        { type: 'text', text: ' walks, then ' },
        { type: 'ref', text: 'video 3', kind: 'video', index: 3, target: null, missing: true },
      ],
    },
    {
      // a URL entry exists but has no card: linked to nothing, not missing
      prompt: '视频2配上音频1',
      segments: [
        { type: 'ref', text: '视频2', kind: 'video', index: 2, target: null, missing: false },
        { type: 'text', text: '配上' },
        { type: 'ref', text: '音频1', kind: 'audio', index: 1, target: 'card-4', missing: false },
      ],
    },
    {
      prompt: 'image 1 and image 1 again; audio 2',
      segments: [
        { type: 'ref', text: 'image 1', kind: 'image', index: 1, target: 'card-1', missing: false },
        { type: 'text', text: ' and ' },
        { type: 'ref', text: 'image 1', kind: 'image', index: 1, target: 'card-1', missing: false },
        { type: 'text', text: ' again; ' },
        { type: 'ref', text: 'audio 2', kind: 'audio', index: 2, target: null, missing: true },
      ],
    },
    { prompt: 'No references at all.', segments: [{ type: 'text', text: 'No references at all.' }] },
  ])('$prompt', ({ prompt, segments }) => {
    expect(linkPrompt(prompt, targets)).toEqual(segments);
  });

  it('keeps every character of the prompt, in order', () => {
    const prompt = 'Start: image 2 <b>&amp; "video 1"</b> then audio 9 end';
    expect(linkPrompt(prompt, targets).map((s) => s.text).join('')).toBe(prompt);
  });
});
