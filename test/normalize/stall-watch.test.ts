import { describe, expect, it } from 'vitest';
import { isStalled, observeProgress, startWatch } from '../../src/normalize/stall-watch.js';

type Event = { at: number; outSeconds: number; frames: number };

/** Replays progress readings, then asks at `checkAt` whether a `windowMs` window has run out. */
function decide(events: Event[], checkAt: number, windowMs: number): 'keep going' | 'stalled' {
  let watch = startWatch(0);
  for (const event of events) watch = observeProgress(watch, event, event.at);
  return isStalled(watch, checkAt, windowMs) ? 'stalled' : 'keep going';
}

describe('the stall decision', () => {
  const table: { name: string; events: Event[]; checkAt: number; windowMs: number; expected: 'keep going' | 'stalled' }[] = [
    { name: 'no progress yet, inside the window', events: [], checkAt: 59_999, windowMs: 60_000, expected: 'keep going' },
    { name: 'no progress at all for the whole window', events: [], checkAt: 60_000, windowMs: 60_000, expected: 'stalled' },
    { name: 'position advanced recently', events: [{ at: 50_000, outSeconds: 1, frames: 24 }], checkAt: 100_000, windowMs: 60_000, expected: 'keep going' },
    { name: 'same position repeated: the clock is not restarted', events: [{ at: 10_000, outSeconds: 1, frames: 24 }, { at: 60_000, outSeconds: 1, frames: 24 }], checkAt: 70_000, windowMs: 60_000, expected: 'stalled' },
    { name: 'frames advance while out_time stays (a slow video start)', events: [{ at: 10_000, outSeconds: 0, frames: 1 }, { at: 65_000, outSeconds: 0, frames: 2 }], checkAt: 100_000, windowMs: 60_000, expected: 'keep going' },
    { name: 'out_time advances with no frames (audio)', events: [{ at: 10_000, outSeconds: 0.5, frames: 0 }, { at: 65_000, outSeconds: 1, frames: 0 }], checkAt: 124_999, windowMs: 60_000, expected: 'keep going' },
    { name: 'progress, then silence past the window', events: [{ at: 10_000, outSeconds: 12.3, frames: 300 }], checkAt: 70_000, windowMs: 60_000, expected: 'stalled' },
    { name: 'a very slow machine: a step every 59 s is still progress', events: [1, 2, 3, 4].map((n) => ({ at: n * 59_000, outSeconds: n * 0.04, frames: n })), checkAt: 4 * 59_000 + 59_000, windowMs: 60_000, expected: 'keep going' },
    { name: 'a window of 0 means no limit', events: [], checkAt: 10_000_000, windowMs: 0, expected: 'keep going' },
    { name: 'a short window, stalled', events: [{ at: 100, outSeconds: 0.2, frames: 0 }], checkAt: 1_100, windowMs: 1_000, expected: 'stalled' },
  ];
  it.each(table)('$name → $expected', ({ events, checkAt, windowMs, expected }) => {
    expect(decide(events, checkAt, windowMs)).toBe(expected);
  });

  it('keeps the same watch object when the position did not move', () => {
    const watch = observeProgress(startWatch(0), { outSeconds: 1, frames: 2 }, 5);
    expect(observeProgress(watch, { outSeconds: 1, frames: 2 }, 9)).toBe(watch);
    expect(observeProgress(watch, { outSeconds: 1, frames: 3 }, 9)).toEqual({ mark: '1/3', since: 9 });
  });
});
