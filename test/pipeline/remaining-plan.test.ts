import { describe, expect, it } from 'vitest';
import { makeViolation } from '../../src/check/make-violation.js';
import type { Violation } from '../../src/check/violation.js';
import type { FixPlan } from '../../src/normalize/fix-plan.js';
import { remainingAfterPlan } from '../../src/pipeline/remaining-plan.js';

const v = (rule: Violation['rule'], severity: 'error' | 'warning', fixable: boolean, subject = 'a.mp4'): Violation => makeViolation({ rule, severity, fixable, subject, problem: rule, fix: 'do it', source: 'test' });
const base = { source: 'a.mp4', extension: 'mp4' };
const keep: FixPlan = { ...base, type: 'keep', kind: 'video', mode: 'copy', actions: [] };
const unfixable: FixPlan = { ...base, type: 'unfixable', kind: 'video', mode: 'unfixable', actions: [], reason: 'not fixable' };
const remux: FixPlan = { ...base, type: 'video', kind: 'video', mode: 'remux', actions: [{ rule: 'video.duration_mismatch', what: 'rebuild', before: 1, after: 2 }], streams: { video: 0, audio: 1 }, video: 'copy', audio: 'copy', duration: null, extendBy: 0 };
const reencode: FixPlan = { ...remux, mode: 'reencode', actions: [{ rule: 'video.fps', what: '15 → 24 fps', before: 15, after: 24 }] };

describe('remainingAfterPlan: what a plan leaves', () => {
  // expected: the indexes of the violations left, compared as whole records
  it.each([
    ['an unfixable file keeps its errors and the warnings fix cannot act on', unfixable, [v('video.codec', 'error', false), v('video.fps', 'error', true), v('video.vfr', 'warning', true), v('video.hdr', 'warning', false)], [0, 1, 3]],
    ['a copy keeps its warnings', keep, [v('video.codec', 'warning', true)], [0]],
    ['a remux answers the warning its action names, not the others', remux, [v('video.duration_mismatch', 'warning', true), v('video.codec', 'warning', true)], [1]],
    ['a re-encode writes new streams: no warning of the source is left', reencode, [v('video.fps', 'error', true), v('video.codec', 'warning', true)], []],
  ] as const)('%s', (_name, plan, violations, expected) => {
    const left = remainingAfterPlan([{ path: 'a.mp4', plan, violations }], [], []);
    expect(left).toEqual({ files: [{ path: 'a.mp4', violations: expected.map((i) => violations[i]) }], request: [] });
  });

  it('the request keeps what fix does not repair; a total over the cap after the plan replaces the sources reading', () => {
    const request = [v('request.video_total_duration', 'error', true, 'job'), v('request.audio_total_duration', 'error', true, 'job'), v('request.video_count', 'error', false, 'job'), v('request.unknown_field', 'warning', false, 'job')];
    const over = [v('request.audio_total_duration', 'error', false, 'job')];
    expect(remainingAfterPlan([], request, over).request).toEqual([request[2], request[3], over[0]]);
  });
});
