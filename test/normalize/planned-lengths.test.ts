import { describe, expect, it } from 'vitest';
import { checkJob } from '../../src/check/check-job.js';
import { planFix } from '../../src/normalize/plan-fix.js';
import { estimatedItem, estimatedLength, leastItems, plannedItem, plannedTotal, shareItems, type TimedItem } from '../../src/normalize/planned-lengths.js';
import type { VideoInfo } from '../../src/probe/media-info.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { entry, video } from '../helpers/media-info.js';

const range = { min: 2, max: 15 };
/** As it is (copied), cuttable when longer than a cut to 2 s would be. */
const kept = (seconds: number): TimedItem => ({ seconds, slack: 0, cuttable: seconds > 2.1 });
/** Extended to 2.1 s by its own fix (re-encoded): held at that. */
const extended: TimedItem = { seconds: 2.1, slack: 0.1, cuttable: false };

describe('estimatedLength: what a file lasts after its own fix', () => {
  it.each([
    ['within the range: as it is, no slack', 6, 6, { seconds: 6, slack: 0, cuttable: true }],
    ['over the cap: cut 0.1 s under it, re-encoded', 20, 20, { seconds: 14.9, slack: 0.1, cuttable: true }],
    ['under the minimum: extended to 2.1 s, and never cut', 1, 1, { seconds: 2.1, slack: 0.1, cuttable: false }],
    ['a video whose pictures are short but sound is long enough: extended', 2.5, 1.9, { seconds: 2.1, slack: 0.1, cuttable: false }],
    ['2.05 s: a cut to 2 s (2.1 s with its slack) would save nothing', 2.05, 2.05, { seconds: 2.05, slack: 0, cuttable: false }],
  ] as const)('%s', (_name, seconds, pictures, expected) => {
    expect(estimatedLength(seconds, pictures, range)).toEqual(expected);
  });
});

describe('shareItems: the cap shared over the lengths each file will have', () => {
  it.each([
    // issue 20: the 1 s clip counted at 1 s made the request 15.8 s once it was extended to 2.1 s
    ['1 s, 6 s and 10 s: the extended clip is held at 2.1 s (+0.1), the others share 12.6 s as 6 : 10', [extended, kept(6), kept(10)], [null, 4.72, 7.87]],
    ['already fitting: nothing cut', [kept(4), kept(5), kept(5.9)], [null, null, null]],
    ['15 s exactly with no re-encode: nothing cut', [kept(5), kept(5), kept(5)], [null, null, null]],
    ['15 s of re-encoded files: their slack needs a cut', [{ seconds: 5, slack: 0.1, cuttable: true }, { seconds: 5, slack: 0.1, cuttable: true }, kept(5)], [4.9, 4.9, 4.9]],
    ['a short clip not worth cutting is held as it is', [kept(2.05), kept(10), kept(10)], [null, 6.37, 6.37]],
    ['every cuttable one held at the minimum when the rest take too much', [extended, extended, kept(30)], [null, null, 10.5]],
  ] as const)('%s', (_name, items, expected) => {
    const shares = shareItems(items, 15, 2);
    expect(shares).toEqual(expected);
    const planned = items.map((item, i) => (shares[i] === null ? item : { seconds: shares[i]!, slack: 0.1, cuttable: false }));
    expect(plannedTotal(planned)).toBeLessThanOrEqual(15);
  });

  it('eight extended clips cannot fit in 15 s: the least they take is over it', () => {
    const items = Array.from({ length: 8 }, () => extended);
    expect(plannedTotal(leastItems(items, 2))).toBe(17.6);
  });

  it('the least of cuttable items is the minimum plus the margin each', () => {
    expect(leastItems([kept(10), extended, kept(2.05)], 2)).toEqual([{ seconds: 2, slack: 0.1, cuttable: false }, extended, kept(2.05)]);
  });
});

describe('one margin rule: check (estimatedItem, no plan) counts each file as its plan does (plannedItem)', () => {
  /** The file's own plan, from its own check (no request: nothing shared). */
  const planOf = (info: VideoInfo) => planFix({ ok: true, info }, checkJob({ label: 'job', request: null, media: [entry('video_urls', 0, info)], loadViolations: [] }, SEED_PROFILE).files[0]!.violations, SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });
  const clip = (over: Partial<VideoInfo>) => video({ path: 'v.mp4', duration: 6, containerDuration: 6, streamDuration: 6, videoDuration: 6, ...over });
  it.each([
    // review (issue 20, item 4): a re-encode kept at its length has no margin (fps 15 → 24: 48 frames, 2.000 s by Debian's ffprobe)
    ['2 s at 15 fps, re-encoded for its frame rate only: its length, no margin', clip({ fps: 15, duration: 2, containerDuration: 2, streamDuration: 2, videoDuration: 2 }), 'reencode', { seconds: 2, slack: 0, cuttable: false }],
    ['6 s at 15 fps, re-encoded, kept: cuttable, no margin', clip({ fps: 15 }), 'reencode', { seconds: 6, slack: 0, cuttable: true }],
    ['6 s copied as is', clip({}), 'copy', { seconds: 6, slack: 0, cuttable: true }],
    ['20 s: cut to 14.9 s, with the margin', clip({ duration: 20, containerDuration: 20, streamDuration: 20, videoDuration: 20 }), 'reencode', { seconds: 14.9, slack: 0.1, cuttable: true }],
    ['1 s: extended to 2.1 s, with the margin, never cut', clip({ duration: 1, containerDuration: 1, streamDuration: 1, videoDuration: 1 }), 'reencode', { seconds: 2.1, slack: 0.1, cuttable: false }],
    // review C: 1.5 s of pictures and 3.5 s of sound: extended to 2.1 s (the sound cut there), not counted at 3.5 s
    ['1.5 s of pictures, 3.5 s of sound: extended to 2.1 s', clip({ duration: 3.5, containerDuration: 3.5, streamDuration: 3.5, videoDuration: 1.5, audioDuration: 3.5 }), 'reencode', { seconds: 2.1, slack: 0.1, cuttable: false }],
  ] as const)('%s', (_name, info, mode, expected) => {
    const plan = planOf(info);
    expect(plan.mode).toBe(mode);
    expect([plannedItem(plan, info, range), estimatedItem(info, range)]).toEqual([expected, expected]);
  });

  // one rule (extendsPictures) for both: the plan extends a track within a frame of 2 s, and check counts it so
  it('a 2.023 s Matroska at 24 fps: extended by its plan (a track within a frame of the minimum), and by check too', () => {
    const info = clip({ path: 'v.mkv', format: 'mkv', extension: 'mkv', fps: 24, duration: 2.023, containerDuration: 2.023, streamDuration: 2.023, videoDuration: 2.023 });
    const plan = planOf(info);
    expect(plannedItem(plan, info, range)).toEqual({ seconds: 2.1, slack: 0.1, cuttable: false });
    expect(estimatedItem(info, range)).toEqual({ seconds: 2.1, slack: 0.1, cuttable: false });
  });
});
