import { describe, expect, it } from 'vitest';
import { packetsOverrule, parsePacketTimes, rateFromPacketTimes } from '../../src/probe/packet-rate.js';
import { parseDecoders } from '../../src/probe/decoders.js';

const every = (count: number, step: number, round = (t: number) => t) => Array.from({ length: count }, (_, i) => round(i * step));
const ms = (t: number) => Math.round(t * 1000) / 1000;

describe('rateFromPacketTimes', () => {
  it.each([
    ['30 fps on a millisecond clock (33/34 ms steps)', every(75, 1 / 30, ms), { fps: 30, variable: false }],
    ['29.97 fps on a 90 kHz clock', every(90, 1001 / 30000), { fps: 30000 / 1001, variable: false }],
    ['24 fps, B-frames out of order', [0, 3, 1, 2, 6, 4, 5, 9, 7, 8].map((i) => i / 24), { fps: 24, variable: false }],
    ['30 fps for 1 s, then 10 fps (vfr.mp4)', [...every(30, 1 / 30), ...every(20, 0.1).map((t) => 1 + t)], { fps: 16.897, variable: true }],
    ['an odd rate stays as measured', every(50, 1 / 17.5), { fps: 17.5, variable: false }],
  ] as const)('%s', (_name, times, expected) => {
    expect(rateFromPacketTimes(times)).toEqual(expected);
  });

  it('too few packets, or no time between them: no rate', () => {
    expect(rateFromPacketTimes([0, 0.033])).toBeNull();
    expect(rateFromPacketTimes([1, 1, 1])).toBeNull();
  });
});

it('parsePacketTimes drops N/A and blank lines', () => {
  expect(parsePacketTimes('0.000000\n0.033000\nN/A\n\n0.067000,\n')).toEqual([0, 0.033, 0.067]);
});

it('parseDecoders: codec names, with wrapper decoders mapped to their codec', () => {
  const text = ['Decoders:', ' V..... = Video', ' ------', ' VFS..D hevc                 HEVC (High Efficiency Video Coding)', ' V....D libaom-av1           libaom AV1 (codec av1)', ' A....D aac                  AAC (Advanced Audio Coding)', ''].join('\n');
  expect([...parseDecoders(text)]).toEqual(['hevc', 'av1', 'aac']);
});

it('parsePacketTimes leaves out packets an edit list discards (flag D): they are decoded, never shown', () => {
  expect(parsePacketTimes('-0.133333,KD_\n0.000000,___\n-0.066667,_D_\n0.033333,___\n0.066667,K__\n')).toEqual([0, 0.033333, 0.066667]);
});

describe('packetsOverrule: the packets decide when the stated rate is not theirs (issue 20, item 4)', () => {
  it.each([
    ['DefaultDuration 30 over blocks at 8.3, varying', 30, { fps: 8.305, variable: true }, true],
    ['a stated rate 2.5 % off', 30, { fps: 29.25, variable: false }, true],
    ['within 2 %', 30, { fps: 29.5, variable: false }, false],
    ['the same rate', 30, { fps: 30, variable: false }, false],
    ['no stated rate', null, { fps: 25, variable: false }, true],
    ['nothing measured', 30, null, false],
  ] as const)('%s', (_name, stated, measured, overrules) => {
    expect(packetsOverrule(stated, measured)).toBe(overrules);
  });
});
