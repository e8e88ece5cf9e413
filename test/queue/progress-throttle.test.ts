import { describe, expect, it } from 'vitest';
import { emptyThrottle, stepThrottle, type ThrottleInput } from '../../src/queue/progress-throttle.js';

type Input = ThrottleInput<string>;
const ev = (at: number, key: string, value: string): Input => ({ type: 'event', at, key, value });
const tick = (at: number): Input => ({ type: 'tick', at });
const flush = (at: number): Input => ({ type: 'flush', at });

/** Each input's step: [what it sends, when it wants the next tick]. */
function run(inputs: Input[], intervalMs = 500): [string[], number | null][] {
  const state = emptyThrottle<string>(intervalMs);
  return inputs.map((input) => {
    const { send, wakeAt } = stepThrottle(state, input);
    return [send, wakeAt];
  });
}

describe('stepThrottle: at most one event per interval, the last state of each key kept, a flush sends all', () => {
  it.each<[string, Input[], [string[], number | null][]]>([
    ['the first event goes out at once', [ev(0, 'a', 'a1')], [[['a1'], null]]],
    ['events an interval apart all go out', [ev(0, 'a', 'a1'), ev(500, 'a', 'a2'), ev(1200, 'a', 'a3')], [[['a1'], null], [['a2'], null], [['a3'], null]]],
    [
      'within the interval the latest replaces the waiting one; the tick sends it',
      [ev(0, 'a', 'a1'), ev(100, 'a', 'a2'), ev(200, 'a', 'a3'), tick(500)],
      [[['a1'], null], [[], 500], [[], 500], [['a3'], null]],
    ],
    ['an early tick sends nothing and asks again', [ev(0, 'a', 'a1'), ev(100, 'a', 'a2'), tick(400), tick(500)], [[['a1'], null], [[], 500], [[], 500], [['a2'], null]]],
    [
      'two keys waiting: the oldest first, one per tick',
      [ev(0, 'a', 'a1'), ev(100, 'b', 'b1'), ev(200, 'a', 'a2'), tick(500), tick(1000)],
      [[['a1'], null], [[], 500], [[], 500], [['b1'], 1000], [['a2'], null]],
    ],
    [
      'a flush (a new stage) sends every waiting one, and the next event waits its interval after it',
      [ev(0, 'a', 'a1'), ev(100, 'b', 'b1'), ev(200, 'a', 'a2'), flush(300), ev(400, 'c', 'c1'), ev(800, 'c', 'c2')],
      [[['a1'], null], [[], 500], [[], 500], [['b1', 'a2'], null], [[], 800], [['c2'], null]],
    ],
    ['a flush with nothing waiting sends nothing', [flush(0), ev(100, 'a', 'a1'), tick(500)], [[[], null], [[], 500], [['a1'], null]]],
    ['a late tick is no burst: one event, the rest an interval later', [ev(0, 'a', 'a1'), ev(10, 'a', 'a2'), ev(20, 'b', 'b1'), tick(5000)], [[['a1'], null], [[], 500], [[], 500], [['a2'], 5500]]],
  ])('%s', (_name, inputs, expected) => {
    expect(run(inputs)).toEqual(expected);
  });

  it('never sends two events within one interval outside a flush, whatever the input', () => {
    const state = emptyThrottle<number>(500);
    const sentAt: number[] = [];
    for (let at = 0; at < 10_000; at += 37) {
      for (const _ of stepThrottle(state, { type: 'event', at, key: `k${at % 3}`, value: at }).send) sentAt.push(at);
    }
    expect(sentAt.every((at, i) => i === 0 || at - sentAt[i - 1]! >= 500)).toBe(true);
    expect(sentAt.length).toBe(20);
  });
});
