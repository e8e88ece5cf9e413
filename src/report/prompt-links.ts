import { findPromptReferences } from '../check/prompt.js';
import type { MediaKind } from '../probe/media-info.js';
import type { PromptSegment } from './report-model.js';

/** Per kind, the request's media in order: the card each entry shows as, or null for an entry without a card (a URL). */
export type MediaTargets = Record<MediaKind, ReadonlyArray<string | null>>;

/** Pure: the prompt cut into text and references ("video 2", "@Image1", "音频1"), each reference tied to its card or marked missing. */
export function linkPrompt(prompt: string, targets: MediaTargets): PromptSegment[] {
  const segments: PromptSegment[] = [];
  let cursor = 0;
  for (const ref of findPromptReferences(prompt)) {
    const at = prompt.indexOf(ref.text, cursor);
    if (at < 0) continue; // reported in another order than written: left as plain text
    if (at > cursor) segments.push({ type: 'text', text: prompt.slice(cursor, at) });
    const entries = targets[ref.kind];
    const exists = ref.index >= 1 && ref.index <= entries.length;
    segments.push({ type: 'ref', text: ref.text, kind: ref.kind, index: ref.index, target: exists ? (entries[ref.index - 1] ?? null) : null, missing: !exists });
    cursor = at + ref.text.length;
  }
  if (cursor < prompt.length) segments.push({ type: 'text', text: prompt.slice(cursor) });
  return segments;
}
