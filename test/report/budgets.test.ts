import { describe, expect, it } from 'vitest';
import { durationBudgets, type TimedMedia } from '../../src/report/budgets.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';

const v = (name: string, seconds: number, plannedSeconds: number | null = null): TimedMedia => ({ kind: 'video', name, target: `card-${name}`, seconds, plannedSeconds });
const a = (name: string, seconds: number, plannedSeconds: number | null = null): TimedMedia => ({ kind: 'audio', name, target: `card-${name}`, seconds, plannedSeconds });

describe('durationBudgets', () => {
  it.each([
    { title: 'nothing timed: no bars', media: [], budgets: [] },
    {
      title: 'under the cap: shares, no cut',
      media: [v('video 1', 4), v('video 2', 6)],
      budgets: [{ kind: 'video', limitSeconds: 15, items: [{ name: 'video 1', target: 'card-video 1', seconds: 4, keptSeconds: null }, { name: 'video 2', target: 'card-video 2', seconds: 6, keptSeconds: null }] }],
    },
    {
      // check: no plan, so the cut fix would make: (15 - 0.1 × 2) in proportion 10 : 10
      title: 'over the cap without a plan: the proposed cut',
      media: [v('video 1', 10), v('video 2', 10)],
      budgets: [{ kind: 'video', limitSeconds: 15, items: [{ name: 'video 1', target: 'card-video 1', seconds: 10, keptSeconds: 7.4 }, { name: 'video 2', target: 'card-video 2', seconds: 10, keptSeconds: 7.4 }] }],
    },
    {
      // review: 1.5 s of pictures and 3.5 s of sound is extended to 2.1 s (as check and fix count it), not shared as 3.5 s
      title: 'without a plan, a clip whose pictures are short is counted at its extension, as fix plans it',
      media: [{ ...v('video 1', 3.5), pictures: 1.5 }, v('video 2', 14)],
      budgets: [{ kind: 'video', limitSeconds: 15, items: [{ name: 'video 1', target: 'card-video 1', seconds: 3.5, keptSeconds: 2.1 }, { name: 'video 2', target: 'card-video 2', seconds: 14, keptSeconds: 12.7 }] }],
    },
    {
      title: 'a planned cut is shown as planned; an extension is not a cut',
      media: [a('audio 1', 12, 9.5), a('audio 2', 1, 2), a('audio 3', 6, 5.3)],
      budgets: [{ kind: 'audio', limitSeconds: 15, items: [{ name: 'audio 1', target: 'card-audio 1', seconds: 12, keptSeconds: 9.5 }, { name: 'audio 2', target: 'card-audio 2', seconds: 1, keptSeconds: null }, { name: 'audio 3', target: 'card-audio 3', seconds: 6, keptSeconds: 5.3 }] }],
    },
    {
      title: 'videos and audio each get their own bar',
      media: [a('audio 1', 3), v('video 1', 5)],
      budgets: [
        { kind: 'video', limitSeconds: 15, items: [{ name: 'video 1', target: 'card-video 1', seconds: 5, keptSeconds: null }] },
        { kind: 'audio', limitSeconds: 15, items: [{ name: 'audio 1', target: 'card-audio 1', seconds: 3, keptSeconds: null }] },
      ],
    },
  ])('$title', ({ media, budgets }) => {
    expect(durationBudgets(media, SEED_PROFILE)).toEqual(budgets);
  });
});
