import { describe, it, expect } from 'vitest';
import { checkAggregate, fieldForKind } from '../../src/check/aggregate-rules.js';
import type { JobMedia } from '../../src/check/job.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, entry, failure, ids, image, urlEntry, video } from '../helpers/media-info.js';

const seed = SEED_PROFILE;
const SUBJECT = 'job/request.json';
const check = (media: JobMedia[], prompt: unknown = 'a calm scene', isText = false) => checkAggregate(media, prompt, isText, seed, SUBJECT);

const images = (n: number, size = 5_000) => Array.from({ length: n }, (_, i) => entry('image_urls', i, image({ path: `i${i + 1}.jpg`, sizeBytes: size })));
const videos = (durations: number[], size = 150_000) =>
  durations.map((d, i) => entry('video_urls', i, video({ path: `v${i + 1}.mp4`, duration: d, containerDuration: d, streamDuration: d, sizeBytes: size })));
const audios = (durations: number[], size = 24_000) =>
  durations.map((d, i) => entry('audio_urls', i, audio({ path: `a${i + 1}.mp3`, duration: d, containerDuration: d, streamDuration: d, sizeBytes: size })));

describe('checkAggregate: ids and severities', () => {
  const cases: Array<[string, () => JobMedia[], string[]]> = [
    ['nothing at all', () => [], []],
    // counts
    ['9 images', () => images(9), []],
    ['10 images', () => images(10), ['request.image_count:error']],
    ['10 image URLs count too', () => Array.from({ length: 10 }, (_, i) => urlEntry('image_urls', i)), ['request.image_count:error']],
    ['3 videos', () => videos([3, 3, 3]), []],
    ['4 videos', () => videos([3, 3, 3, 3]), ['request.video_count:error']],
    ['3 audios with an image', () => [...images(1), ...audios([3, 3, 3])], []],
    ['4 audios with an image', () => [...images(1), ...audios([3, 3, 3, 3])], ['request.audio_count:error']],
    // audio alone
    ['one audio alone', () => audios([3]), ['request.audio_only:error']],
    ['an audio URL alone', () => [urlEntry('audio_urls', 0)], ['request.audio_only:error']],
    ['audio with a video', () => [...videos([3]), ...audios([3])], []],
    ['audio with an image URL', () => [urlEntry('image_urls', 0), ...audios([3])], []],
    // total video duration ≤ 15 s
    ['videos of 5 + 5 + 5 s', () => videos([5, 5, 5]), []],
    ['videos of 5 + 5 + 5.001 s', () => videos([5, 5, 5.001]), ['request.video_total_duration:error']],
    ['videos of 2.2 + 6.4 + 6.4 s (15 in floating point noise)', () => videos([2.2, 6.4, 6.4]), []],
    ['videos of 7.7 + 7.3 s', () => videos([7.7, 7.3]), []],
    ['videos of 8 + 8 s', () => videos([8, 8]), ['request.video_total_duration:error']],
    // 14.5 s as given; fix extends the 1 s clip and cuts the others (src/pipeline/request-plan.ts): nothing to report on the sources
    ['videos of 1 + 6.5 + 7 s', () => videos([1, 6.5, 7]), []],
    // seven 1 s clips, extended to 2.1 s each by their own fix, cannot fit 15 s (and 7 is over the count)
    ['seven videos of 1 s', () => videos([1, 1, 1, 1, 1, 1, 1]), ['request.video_count:error', 'request.video_total_duration:error']],
    // total audio duration ≤ 15 s
    ['audios of 5 + 5 + 5 s', () => [...images(1), ...audios([5, 5, 5])], []],
    ['audios of 5 + 5 + 5.1 s', () => [...images(1), ...audios([5, 5, 5.1])], ['request.audio_total_duration:error']],
    // total size ≤ 64 MB (10^6 bytes)
    ['30,000,000 + 34,000,000 bytes', () => [...images(1, 30_000_000), ...videos([3], 34_000_000)], []],
    ['30,000,000 + 34,000,001 bytes', () => [...images(1, 30_000_000), ...videos([3], 34_000_001)], ['request.total_size:error']],
    ['unprobed URLs add no bytes', () => [...images(1, 30_000_000), ...videos([3], 34_000_000), urlEntry('video_urls', 1)], []],
    // kinds
    ['an audio file in video_urls', () => [...images(1), entry('video_urls', 0, audio({ path: 'voice.m4a', format: 'm4a', extension: 'm4a' }))], ['request.media_kind:error']],
    ['a video in image_urls', () => [entry('image_urls', 0, video())], ['request.media_kind:error']],
    ['an image in audio_urls', () => [...videos([3]), entry('audio_urls', 0, image())], ['request.media_kind:error']],
    // a file that failed to probe still counts, but adds no duration or bytes
    ['10 images, one unreadable', () => [...images(9), { field: 'image_urls', index: 9, ref: 'x.jpg', path: 'x.jpg', probe: { ok: false, failure: failure({ path: 'x.jpg' }) } }], ['request.image_count:error']],
  ];
  it.each(cases)('%s', (_name, media, expected) => {
    expect(ids(check(media()))).toEqual(expected);
  });

  it('text-to-video: no audio-only rule (media_for_text_model covers it)', () => {
    expect(ids(check(audios([3]), 'a calm scene', true))).toEqual([]);
  });

  it('the video total ignores a video sitting in another array, and the audio total ignores videos', () => {
    const media = [...videos([10]), entry('image_urls', 0, video({ path: 'x.mp4', duration: 10, containerDuration: 10, streamDuration: 10 })), ...audios([14])];
    expect(ids(check(media))).toEqual(['request.media_kind:error']);
  });
});

describe('checkAggregate: a combined duration fix can or cannot bring under the cap', () => {
  const totals = (media: JobMedia[]) => check(media).filter((v) => v.rule === 'request.video_total_duration').map((v) => [v.fixable, v.actual, v.problem, v.fix]);

  it('over the cap, with cuts that fit: fixable, the cut described', () => {
    expect(totals(videos([8, 8]))).toEqual([[true, 16, 'the video files last 16 s together', 'trim them in proportion to 15 s in total, none below 2 s']]);
  });

  it('no cut can fit: not fixable, each file named with the least its fix leaves it (the margin for the encoder included)', () => {
    const problem = 'no cut can bring the video files under 15 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended), they still need 17.15 s together (v1.mp4 2.2 s, v2.mp4 2.2 s, v3.mp4 2.2 s, v4.mp4 2.2 s, v5.mp4 2.1 s, v6.mp4 2.1 s, v7.mp4 2.1 s, v8.mp4 2.05 s)';
    expect(totals(videos([1, 1, 1, 1, 9, 9, 9, 2.05]))).toEqual([[false, 17.15, problem, 'use fewer video files']]);
  });
});

describe('checkAggregate: prompt references', () => {
  const cases: Array<[string, string, () => JobMedia[], boolean, Array<[string, number | string]>]> = [
    ['image 2 with 2 images', 'image 2 turns into image 1', () => images(2), false, []],
    ['image 3 with 2 images', 'the cat of image 3', () => images(2), false, [['image 3', 2]]],
    ['@Video1 with no video', 'move like @Video1', () => images(1), false, [['@Video1', 0]]],
    ['视频2 with 1 video', '参考视频2', () => videos([3]), false, [['视频2', 1]]],
    ['音声1 with no audio', '音声1をBGMに', () => images(1), false, [['音声1', 0]]],
    ['audio 1 with 1 audio', 'with audio 1', () => [...images(1), ...audios([3])], false, []],
    ['image 0', 'image 0', () => images(2), false, [['image 0', 2]]],
    ['the same reference twice warns once', 'image 3, then image 3 again, then IMAGE 3', () => images(2), false, [['image 3', 2]]],
    ['two different references both warn', 'image 3 and video 2', () => [...images(2), ...videos([3])], false, [['image 3', 2], ['video 2', 1]]],
    ['URLs count as given media', 'image 2', () => [urlEntry('image_urls', 0), urlEntry('image_urls', 1)], false, []],
    ['text model: no media can be referenced', 'image 1', () => [], true, [['image 1', 0]]],
  ];
  it.each(cases)('%s', (_name, prompt, media, isText, expected) => {
    const out = check(media(), prompt, isText);
    expect(out.map((v) => [v.rule, v.severity])).toEqual(expected.map(() => ['request.prompt_reference', 'warning']));
    expect(out.map((v) => [v.actual, v.limit?.max])).toEqual(expected);
  });

  it('a prompt that is not text is not searched', () => {
    expect(check(images(1), 42)).toEqual([]);
    expect(check(images(1), undefined)).toEqual([]);
  });

  it('exact messages', () => {
    const source = 'docs/LIMITS.md#request.prompt_reference; seedance-2.0-reference-to-video.ja.md prompt: 「先頭フレームは画像1」「動画1のカメラワーク…」: media are numbered in the order of each array';
    expect(check(images(2), 'the cat of image 3')).toEqual([
      {
        rule: 'request.prompt_reference',
        severity: 'warning',
        subject: SUBJECT,
        limit: { max: 2, unit: 'count' },
        actual: 'image 3',
        problem: `the prompt mentions "image 3" but only 2 image files are given`,
        fix: 'add image 3 to image_urls or correct the prompt',
        fixable: false,
        source,
      },
    ]);
    expect(check(videos([3]), '参考视频2')[0]!.problem).toBe(
      `the prompt mentions "视频2" but only 1 video file is given`,
    );
    expect(check(images(1), 'move like @Video1')[0]!.problem).toBe(
      `the prompt mentions "@Video1" but no video is given`,
    );
    expect(check(images(1), '音声1をBGMに')[0]!.problem).toBe(
      `the prompt mentions "音声1" but no audio is given`,
    );
  });
});

describe('checkAggregate: exact violations', () => {
  it('request.image_count, request.video_count, request.audio_count', () => {
    expect(check(images(10))).toEqual([
      {
        rule: 'request.image_count',
        severity: 'error',
        subject: SUBJECT,
        limit: { max: 9, unit: 'count' },
        actual: 10,
        problem: `10 image files are given`,
        fix: 'keep at most 9 image files (the prompt numbers them in order)',
        fixable: false,
        source: SEED_PROFILE.request.maxImages.source,
      },
    ]);
    expect(check(videos([3, 3, 3, 3]))).toEqual([
      expect.objectContaining({ rule: 'request.video_count', actual: 4, limit: { max: 3, unit: 'count' }, source: SEED_PROFILE.request.maxVideos.source, problem: `4 video files are given` }),
    ]);
    expect(check([...images(1), ...audios([3, 3, 3, 3])])).toEqual([
      expect.objectContaining({ rule: 'request.audio_count', actual: 4, limit: { max: 3, unit: 'count' }, source: SEED_PROFILE.request.maxAudios.source, problem: `4 audio files are given` }),
    ]);
  });

  it('request.audio_only', () => {
    expect(check(audios([3, 3]))).toEqual([
      {
        rule: 'request.audio_only',
        severity: 'error',
        subject: SUBJECT,
        limit: null,
        actual: 2,
        problem: `audio is given without any image or video`,
        fix: 'add at least one image or video',
        fixable: false,
        source: 'docs/LIMITS.md#request.audio_only; seedance-2.0-reference-to-video.ja.md audio_urls: 音声のみの入力はできません',
      },
    ]);
  });

  it('request.video_total_duration and request.audio_total_duration', () => {
    expect(check(videos([5, 5, 5.01]))).toEqual([
      {
        rule: 'request.video_total_duration',
        severity: 'error',
        subject: SUBJECT,
        limit: { max: 15, unit: 's' },
        actual: 15.01,
        problem: `the video files last 15.01 s together`,
        fix: 'trim them in proportion to 15 s in total, none below 2 s',
        fixable: true,
        source: SEED_PROFILE.request.totalVideoSeconds.source,
      },
    ]);
    expect(check([...videos([3]), ...audios([6, 6, 6])])).toEqual([
      {
        rule: 'request.audio_total_duration',
        severity: 'error',
        subject: SUBJECT,
        limit: { max: 15, unit: 's' },
        actual: 18,
        problem: `the audio files last 18 s together`,
        fix: 'trim them in proportion to 15 s in total, none below 2 s',
        fixable: true,
        source: SEED_PROFILE.request.totalAudioSeconds.source,
      },
    ]);
    // a video of unknown duration adds nothing
    expect(check(videos([10, 10]).map((m, i) => (i === 1 && m.probe?.ok ? { ...m, probe: { ok: true as const, info: { ...m.probe.info, duration: null } } } : m)))).toEqual([]);
  });

  it('request.total_size', () => {
    expect(check([...images(1, 30_000_000), ...videos([3], 34_500_000)])).toEqual([
      {
        rule: 'request.total_size',
        severity: 'error',
        subject: SUBJECT,
        limit: { max: 64_000_000, unit: 'bytes' },
        bytesPerMB: 1_000_000,
        actual: 64_500_000,
        problem: `the media files are 64.5 MB together`,
        fix: 'use fewer or smaller files (re-encode videos at a lower bitrate)',
        fixable: false,
        source: SEED_PROFILE.request.totalMediaBytes.source,
      },
    ]);
  });

  it('request.total_size with MB read as 2^20 bytes', () => {
    const binary = structuredClone(SEED_PROFILE);
    binary.bytesPerMB.value = 1_048_576;
    binary.request.totalMediaBytes.value = 64 * 1_048_576;
    const media = [...images(1, 30_000_000), ...videos([3], 34_500_000)];
    expect(checkAggregate(media, 'x', false, binary, SUBJECT)).toEqual([]);
    // 67,108,864 bytes is the cap: one byte more breaks it
    expect(checkAggregate([...images(1, 30_000_000), ...videos([3], 37_108_864)], 'x', false, binary, SUBJECT)).toEqual([]);
    expect(ids(checkAggregate([...images(1, 30_000_000), ...videos([3], 37_108_865)], 'x', false, binary, SUBJECT))).toEqual(['request.total_size:error']);
    const over = [...images(1, 30_000_000), ...videos([3], 37_500_000)];
    expect(checkAggregate(over, 'x', false, binary, SUBJECT)[0]).toMatchObject({
      actual: 67_500_000,
      limit: { max: 67_108_864, unit: 'bytes' },
      bytesPerMB: 1_048_576,
      problem: `the media files are 64.37 MB together`,
    });
  });

  it('request.media_kind', () => {
    const media = [...images(1), entry('video_urls', 0, audio({ path: 'voice.m4a', format: 'm4a', extension: 'm4a' })), entry('audio_urls', 0, image({ path: 'cover.jpg' }))];
    expect(check(media)).toEqual([
      {
        rule: 'request.media_kind',
        severity: 'error',
        subject: SUBJECT,
        limit: null,
        actual: 'audio',
        problem: `video_urls[0] (voice.m4a) is an audio, not a video`,
        fix: 'move it to audio_urls',
        fixable: false,
        source: 'docs/LIMITS.md#request.media_kind; seedance-2.0-reference-to-video.ja.md: images in image_urls, videos in video_urls, audio in audio_urls',
      },
      expect.objectContaining({
        rule: 'request.media_kind',
        actual: 'image',
        problem: `audio_urls[0] (cover.jpg) is an image, not an audio`,
      }),
    ]);
  });

  it('reports rules in a fixed order', () => {
    const media = [...images(10), ...videos([6, 6, 6, 6]), ...audios([8, 8, 8, 8])];
    expect(ids(check(media, 'image 11'))).toEqual([
      'request.image_count:error',
      'request.video_count:error',
      'request.audio_count:error',
      'request.video_total_duration:error',
      'request.audio_total_duration:error',
      'request.prompt_reference:warning',
    ]);
  });
});

describe('fieldForKind', () => {
  it('maps kinds to their request arrays', () => {
    expect([fieldForKind('image'), fieldForKind('video'), fieldForKind('audio')]).toEqual(['image_urls', 'video_urls', 'audio_urls']);
  });
});
