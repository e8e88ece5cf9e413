import { describe, expect, it } from 'vitest';
import { checkJob } from '../../src/check/check-job.js';
import type { CheckInput, JobMedia } from '../../src/check/job.js';
import type { FixPlan } from '../../src/normalize/fix-plan.js';
import { planJob } from '../../src/pipeline/request-plan.js';
import type { Profile } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, entry, ids, image, urlEntry, video } from '../helpers/media-info.js';

const LABEL = 'job';
const clip = (name: string, seconds: number) => video({ path: name, duration: seconds, containerDuration: seconds, streamDuration: seconds });
const sound = (name: string, seconds: number) => audio({ path: name, duration: seconds, containerDuration: seconds, streamDuration: seconds });
const videos = (...seconds: number[]) => seconds.map((s, i) => entry('video_urls', i, clip(`v${i + 1}.mp4`, s)));
const audios = (...seconds: number[]) => seconds.map((s, i) => entry('audio_urls', i, sound(`a${i + 1}.mp3`, s)));
const withImage = (media: JobMedia[]) => [entry('image_urls', 0, image({ path: 'i1.jpg' })), ...media];
const input = (media: JobMedia[], request: Record<string, unknown> = { model: 'seedance-2.0-reference-to-video', prompt: 'a calm scene' }): CheckInput => ({ label: LABEL, request, media, loadViolations: [] });
const plan = (given: CheckInput, profile: Profile = SEED_PROFILE) => planJob(given, checkJob(given, profile), profile, { fit: 'pad', audioFormat: 'mp3' });
const lengths = (plans: readonly FixPlan[]) => plans.map((p) => (p.type === 'video' || p.type === 'audio' ? p.duration : p.type));
/** A profile whose videos may last 6 s together: three clips extended to 2.1 s cannot fit. */
const TIGHT: Profile = { ...SEED_PROFILE, request: { ...SEED_PROFILE.request, totalVideoSeconds: { value: 6, source: 'test: 6 s' } } };

describe('planJob: one pass makes the combined durations conform', () => {
  it.each([
    // issue 20: counted at 1 s, the short clip was extended to 2.1 s after the cut and the request lasted 15.8 s
    ['1 s, 6 s and 10 s clips: the extended one is held at 2.1 s, the others share what is left', input(videos(1, 6, 10)), [2.1, 4.72, 7.87]],
    ['1 s, 6.5 s and 7 s: under 15 s as given, over once extended: the others are cut too', input(videos(1, 6.5, 7)), [2.1, 6.06, 6.53]],
    ['1 s, 6 s and 6.5 s: 14.6 s with the extension: nothing else cut', input(videos(1, 6, 6.5)), [2.1, 'keep', 'keep']],
    ['one 30 s clip: cut under the cap by its own fix, no share', input(videos(30)), [14.9]],
    ['audio: 0.5 s, 9 s and 9 s', input(withImage(audios(0.5, 9, 9))), ['keep', 2.1, 6.3, 6.3]],
    ['a URL is counted as it is and never cut', input([...videos(8, 8), { ...urlEntry('video_urls', 2), probe: { ok: true, info: clip('https://cdn.example.com/v3.mp4', 4) } }]), [5.4, 5.4]],
  ] as const)('%s', (_name, given, expected) => {
    const planned = plan(given);
    expect(lengths(planned.plans)).toEqual(expected);
    expect(planned.over).toEqual([]);
    expect(planned.remaining.request).toEqual([]);
  });

  it('three clips extended past 2 s cannot fit 6 s: said before any encode, naming each file and its seconds', () => {
    const given = input(videos(1, 1, 1));
    const planned = plan(given, TIGHT);
    expect(lengths(planned.plans)).toEqual([2.1, 2.1, 2.1]);
    const message = 'no cut can bring the video files under 6 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended), they still need 6.6 s together (v1.mp4 2.2 s, v2.mp4 2.2 s, v3.mp4 2.2 s)';
    expect(planned.over.map((v) => [v.rule, v.severity, v.fixable, v.actual, v.problem, v.fix])).toEqual([['request.video_total_duration', 'error', false, 6.6, message, 'use fewer video files']]);
    expect(planned.remaining.request).toEqual(planned.over);
    // check says so first, with the same sentence, and does not call it fixable
    const checked = checkJob(given, TIGHT).request.violations.filter((v) => v.rule === 'request.video_total_duration');
    expect(checked.map((v) => [v.fixable, v.problem])).toEqual([[false, message]]);
  });

  it('review (issue 20, item 4): three 2 s clips at 15 fps under 6 s: re-encoded at their length, no margin; check, plan and fix agree they fit', () => {
    const given = input([0, 1, 2].map((i) => entry('video_urls', i, video({ path: `t${i + 1}.mp4`, fps: 15, duration: 2, containerDuration: 2, streamDuration: 2, videoDuration: 2 }))));
    const planned = plan(given, TIGHT);
    expect(planned.plans.map((p) => [p.mode, p.type === 'video' ? p.duration : null])).toEqual([['reencode', 2], ['reencode', 2], ['reencode', 2]]);
    expect(planned.over).toEqual([]);
    expect(planned.remaining.request).toEqual([]);
    expect(ids(checkJob(given, TIGHT).request.violations)).toEqual([]);
  });

  it('a 14 s URL and a 3 s clip under 15 s: the URL is held, the clip cut to what it leaves; check calls it fixable and says only the local file is cut', () => {
    const url = { ...urlEntry('video_urls', 0), probe: { ok: true, info: clip('https://cdn.example.com/v1.mp4', 14) } } as JobMedia;
    const given = input([url, entry('video_urls', 1, clip('v2.mp4', 3))]);
    expect(plan(given).over.map((v) => v.problem)).toEqual(['no cut can bring the video files under 15 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended, URLs as they are), they still need 16.1 s together (https://cdn.example.com/video_urls/0 14 s, v2.mp4 2.1 s)']);
    const checked = checkJob(given, SEED_PROFILE).request.violations.filter((v) => v.rule === 'request.video_total_duration');
    expect(checked.map((v) => [v.fixable, v.problem])).toEqual([[false, plan(given).over[0]!.problem]]);
    // 11 s of URL leaves room: the local clip alone is cut, and check says so
    const roomy = input([{ ...url, probe: { ok: true, info: clip('https://cdn.example.com/v1.mp4', 11) } } as JobMedia, entry('video_urls', 1, clip('v2.mp4', 6))]);
    expect(lengths(plan(roomy).plans)).toEqual([3.9]);
    expect(checkJob(roomy, SEED_PROFILE).request.violations.map((v) => [v.rule, v.fixable, v.fix])).toEqual([['request.video_total_duration', true, 'trim them in proportion to 15 s in total, none below 2 s (only the local files: a URL is sent as it is)']]);
  });

  it('a total check calls fixable stays so: the request over 6 s with two long clips is cut to 2 s each', () => {
    const planned = plan(input(videos(5, 5)), TIGHT);
    expect(lengths(planned.plans)).toEqual([2.9, 2.9]);
    expect(planned.over).toEqual([]);
    expect(ids(checkJob(input(videos(5, 5)), TIGHT).request.violations)).toEqual(['request.video_total_duration:error']);
  });

  it('an unfixable file is left out of the total (it keeps the request from being written) and keeps its errors', () => {
    const broken = entry('video_urls', 1, video({ path: 'v2.mp4', duration: 12, containerDuration: 12, streamDuration: 12, videoCodec: 'vvc', videoDecodable: false }));
    const planned = plan(input([entry('video_urls', 0, clip('v1.mp4', 8)), broken]));
    expect(lengths(planned.plans)).toEqual(['keep', 'unfixable']);
    expect(planned.remaining.files.map((f) => [f.path, ids(f.violations)])).toEqual([['v1.mp4', []], ['v2.mp4', ['video.codec:error']]]);
    // the sources' total (20 s) is a cut fix would make: not left
    expect(planned.remaining.request).toEqual([]);
  });

  it('without a request nothing is shared: each file is planned alone', () => {
    const planned = plan({ label: 'files', request: null, media: videos(10, 10).map((m) => ({ ...m, field: null })), loadViolations: [] });
    expect(lengths(planned.plans)).toEqual(['keep', 'keep']);
  });
});
