import { describe, expect, it } from 'vitest';
import { checkMedia } from '../../../src/check/file-rules.js';
import { usableDecodes } from '../../../src/check/damage-rule.js';
import { planFix, type PlanOptions } from '../../../src/normalize/plan-fix.js';
import { withDamage } from '../../../src/probe/damage/apply-damage.js';
import type { Damage, MediaInfo } from '../../../src/probe/media-info.js';
import { SEED_PROFILE } from '../../../src/spec/seed-profile.js';
import { audio, image, video } from '../../helpers/media-info.js';

const OPTIONS: PlanOptions = { fit: 'pad', audioFormat: 'mp3' };
const plan = (info: MediaInfo, options: Partial<PlanOptions> = {}) => planFix({ ok: true, info }, checkMedia(info, SEED_PROFILE), SEED_PROFILE, { ...OPTIONS, ...options });
const damage = (d: Partial<Damage>): Damage => ({ kind: 'truncated', headerSays: 10, decodes: 5, fraction: 0.5, detail: 'cut', ...d });

describe('the usable rule: at least 1 s decodes and at least half of what fix writes is real', () => {
  const range = { min: 2, max: 15 };
  it.each([
    [null, false], [0, false], [0.21, false], [0.99, false], [1, false], [1.04, false], [1.05, true], [1.5, true], [2, true], [14, true], [40, true],
  ] as const)('%s s decodes: usable %s', (decodes, usable) => {
    expect(usableDecodes(decodes, range)).toBe(usable);
  });
  it('an image has no length to judge: never usable', () => {
    expect(usableDecodes(5, null)).toBe(false);
  });
});

describe('withDamage: a damaged file is judged by what decodes', () => {
  it('an audio file takes the decoded length; the header keeps its own in the verdict', () => {
    const info = withDamage(audio({ duration: 37.5, containerDuration: 37.5, streamDuration: 37.5 }), damage({ kind: 'header_mismatch', headerSays: 37.5, decodes: 10.7361 }));
    expect(info).toMatchObject({ duration: 10.7361, containerDuration: 10.7361, streamDuration: 10.7361, damage: { headerSays: 37.5 } });
  });
  it('a video takes it for every length; its audio is never longer than what decodes', () => {
    const info = withDamage(video({ duration: 5, containerDuration: 5, streamDuration: 5, videoDuration: 5, audioDuration: 4.9, hasAudio: true }), damage({ decodes: 2.5 }));
    expect(info).toMatchObject({ duration: 2.5, containerDuration: 2.5, streamDuration: 2.5, videoDuration: 2.5, audioDuration: 2.5 });
  });
  it('no decodable length: the lengths stay, the verdict is attached; no damage: damage is null', () => {
    expect(withDamage(video({ duration: 5 }), damage({ decodes: null }))).toMatchObject({ duration: 5, damage: { decodes: null } });
    expect(withDamage(image(), null)).toMatchObject({ damage: null });
  });
});

describe('planFix for damaged files', () => {
  it('an MP3 whose header says 37.5 s over 10.7 s of frames: re-encoded to MP3 from what decodes, nothing trimmed', () => {
    const info = withDamage(audio({ duration: 37.5, containerDuration: 37.5, streamDuration: 37.5 }), damage({ kind: 'header_mismatch', headerSays: 37.5, decodes: 10.7 }));
    expect(plan(info)).toMatchObject({ type: 'audio', mode: 'reencode', codec: 'mp3', duration: null, extendBy: 0, actions: [{ rule: 'file.damaged', what: 're-encode the 10.7 s that decode (the header says 37.5 s)', before: 37.5, after: 10.7 }] });
  });
  it('a WAV cut to 1.5 s: re-encoded and extended to 2.1 s from the decoded length, not the header', () => {
    const info = withDamage(audio({ format: 'wav', extension: 'wav', audioCodec: 'pcm_s16le', duration: 5, containerDuration: 5, streamDuration: 5 }), damage({ headerSays: 5, decodes: 1.5 }));
    expect(plan(info)).toMatchObject({ type: 'audio', mode: 'reencode', codec: 'pcm_s16le', duration: 2.1, extendBy: 0.6 });
  });
  it('a video cut to 3 s of 5: re-encoded (video and audio) with the 3 s that decode as its length', () => {
    const info = withDamage(video({ duration: 5, containerDuration: 5, streamDuration: 5, videoDuration: 5, audioDuration: 5, hasAudio: true, audioCodec: 'aac' }), damage({ headerSays: 5, decodes: 3 }));
    expect(plan(info)).toMatchObject({ type: 'video', mode: 'reencode', audio: 'aac', duration: 3, extendBy: 0, actions: [{ rule: 'file.damaged', what: 're-encode the 3 s that decode (the header says 5 s)' }] });
  });
  it('a fragment is not fixable: no plan pads it, and the reason is the damage', () => {
    const info = withDamage(audio({ duration: 247.9, containerDuration: 247.9, streamDuration: 247.9 }), damage({ headerSays: 247.9, decodes: 0.21, detail: 'its Xing header states more frames than it holds' }));
    expect(plan(info)).toEqual({
      type: 'unfixable', source: 'tone.mp3', kind: 'audio', extension: 'mp3', actions: [], mode: 'unfixable',
      reason: 'not fixable: damaged: the header says 247.9 s but 0.21 s decodes: the file was cut off; its Xing header states more frames than it holds: export it again (0.21 s is too little to extend: fix needs at least 1 s that decodes) (rule file.damaged)',
    });
  });
  it('a damaged video with nothing usable is unfixable too (video plans never padded a fragment)', () => {
    const info = withDamage(video({ duration: 5, containerDuration: 5, streamDuration: 5, videoDuration: 5 }), damage({ headerSays: 5, decodes: 0.4 }));
    expect(plan(info)).toMatchObject({ type: 'unfixable', mode: 'unfixable' });
  });
  it('a damaged image is never fixable: export it again', () => {
    const info = withDamage(image(), damage({ headerSays: null, decodes: null, detail: 'it ends without its IEND chunk' }));
    const violations = checkMedia(info, SEED_PROFILE);
    expect(violations.map((v) => [v.rule, v.fixable, v.problem, v.fix])).toEqual([['file.damaged', false, 'damaged: the file was cut off; it ends without its IEND chunk', 'export it again']]);
  });
});
