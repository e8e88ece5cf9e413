import { describe, it, expect } from 'vitest';
import { checkRequestFields } from '../../src/check/request-rules.js';
import { REFERENCE_MODEL, TEXT_MODEL } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { ids } from '../helpers/media-info.js';

const seed = SEED_PROFILE;
const SUBJECT = 'job/request.json';
const TASKS_DOC = 'docs/LIMITS.md#request.unknown_field; seedance-2.0-reference-to-video.ja.md and seedance-2.0-text-to-video.ja.md request body: the fields the documents define';
const CALLBACK_SOURCE = `${SEED_PROFILE.request.callbackMaxLength.source}; HTTPS only, no private addresses`;

/** A valid reference-to-video request; override what a case is about (undefined removes a field). */
function ref(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return strip({ model: REFERENCE_MODEL, prompt: 'The cat of image 1 walks along the street of video 1.', image_urls: ['cat.jpg'], video_urls: ['street.mp4'], ...overrides });
}
function text(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return strip({ model: TEXT_MODEL, prompt: 'A cat walks along a rainy street at night.', ...overrides });
}
function strip(request: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
}
const check = (request: Record<string, unknown>) => checkRequestFields(request, seed, SUBJECT);
const words = (n: number) => Array.from({ length: n }, () => 'a').join(' ');

describe('checkRequestFields: ids and severities', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a valid reference request', ref(), []],
    ['a valid text request', text(), []],
    ['every documented field, valid', ref({ duration: 5, quality: '1080p', aspect_ratio: 'adaptive', generate_audio: false, content_filter: true, callback_url: 'https://hooks.example.com/seedance', audio_urls: ['a.mp3'] }), []],
    // model
    ['model missing', ref({ model: undefined }), ['request.model:error']],
    ['model of another version', ref({ model: 'seedance-1.0-pro' }), ['request.model:error']],
    ['model not a string', ref({ model: 2 }), ['request.model:error']],
    // prompt
    ['prompt missing', ref({ prompt: undefined }), ['request.prompt:error']],
    ['prompt empty', ref({ prompt: '' }), ['request.prompt:error']],
    ['prompt blank', ref({ prompt: '  \n ' }), ['request.prompt:error']],
    ['prompt a number', ref({ prompt: 42 }), ['request.prompt:error']],
    ['prompt null', ref({ prompt: null }), ['request.prompt:error']],
    ['prompt an array', ref({ prompt: ['a', 'b'] }), ['request.prompt:error']],
    ['prompt of 10,000 estimated tokens', ref({ prompt: words(10_000) }), []],
    ['prompt of 10,001 estimated tokens', ref({ prompt: words(10_001) }), ['request.prompt:error']],
    ['500 CJK characters', ref({ prompt: '猫'.repeat(500) }), []],
    ['501 CJK characters', ref({ prompt: '猫'.repeat(501) }), ['request.prompt_length:warning']],
    ['501 kana count as CJK too', ref({ prompt: 'ね'.repeat(501) }), ['request.prompt_length:warning']],
    ['1,000 English words, text model', text({ prompt: words(1000) }), []],
    ['1,001 English words, text model', text({ prompt: words(1001) }), ['request.prompt_length:warning']],
    ['1,001 English words, reference model: no word rule', ref({ prompt: words(1001) }), []],
    ['10,001 words on the text model: both', text({ prompt: words(10_001) }), ['request.prompt:error', 'request.prompt_length:warning']],
    // duration 4–15 integer
    ['duration 3', ref({ duration: 3 }), ['request.duration:error']],
    ['duration 4', ref({ duration: 4 }), []],
    ['duration 15', ref({ duration: 15 }), []],
    ['duration 16', ref({ duration: 16 }), ['request.duration:error']],
    ['duration 4.5', ref({ duration: 4.5 }), ['request.duration:error']],
    ['duration "5"', ref({ duration: '5' }), ['request.duration:error']],
    ['duration null', ref({ duration: null }), ['request.duration:error']],
    // enums
    ...(['480p', '720p', '1080p', '4k'].map((q) => [`quality ${q}`, ref({ quality: q }), []]) as Array<[string, Record<string, unknown>, string[]]>),
    ['quality 4K (case matters)', ref({ quality: '4K' }), ['request.quality:error']],
    ['quality 2k', ref({ quality: '2k' }), ['request.quality:error']],
    ['quality 720', ref({ quality: 720 }), ['request.quality:error']],
    ...(['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'].map((r) => [`aspect_ratio ${r}`, ref({ aspect_ratio: r }), []]) as Array<[string, Record<string, unknown>, string[]]>),
    ['aspect_ratio 2:1', ref({ aspect_ratio: '2:1' }), ['request.aspect_ratio:error']],
    ['aspect_ratio 16/9', ref({ aspect_ratio: '16/9' }), ['request.aspect_ratio:error']],
    // booleans
    ['generate_audio "true"', ref({ generate_audio: 'true' }), ['request.generate_audio:error']],
    ['generate_audio 1', ref({ generate_audio: 1 }), ['request.generate_audio:error']],
    ['content_filter "false"', ref({ content_filter: 'false' }), ['request.content_filter:error']],
    ['content_filter false', ref({ content_filter: false }), []],
    // callback_url
    ['callback over http', ref({ callback_url: 'http://hooks.example.com/cb' }), ['request.callback_url:error']],
    ['callback to localhost', ref({ callback_url: 'https://localhost/cb' }), ['request.callback_url:error']],
    ['callback to 10.1.2.3', ref({ callback_url: 'https://10.1.2.3/cb' }), ['request.callback_url:error']],
    ['callback to 172.32.0.1 (public)', ref({ callback_url: 'https://172.32.0.1/cb' }), []],
    ['callback with credentials', ref({ callback_url: 'https://user:tok@hooks.example.com/cb' }), ['request.callback_url:error']],
    ['callback not a URL', ref({ callback_url: 'hooks.example.com/cb' }), ['request.callback_url:error']],
    ['callback not a string', ref({ callback_url: 123 }), ['request.callback_url:error']],
    ['callback of 2,048 characters', ref({ callback_url: `https://h.example.com/${'x'.repeat(2048 - 22)}` }), []],
    ['callback of 2,049 characters', ref({ callback_url: `https://h.example.com/${'x'.repeat(2049 - 22)}` }), ['request.callback_url:error']],
    // model_params.web_search
    ['web_search on the text model', text({ model_params: { web_search: true } }), []],
    ['web_search false on the text model', text({ model_params: { web_search: false } }), []],
    ['web_search on the reference model', ref({ model_params: { web_search: true } }), ['request.web_search:error']],
    ['web_search "yes" on the text model', text({ model_params: { web_search: 'yes' } }), ['request.web_search:error']],
    ['model_params an array', text({ model_params: [true] }), ['request.web_search:error']],
    ['model_params null', text({ model_params: null }), ['request.web_search:error']],
    ['model_params without web_search on the reference model', ref({ model_params: {} }), []],
    // media on the text model
    ['text model with image_urls', text({ image_urls: ['a.jpg'] }), ['request.media_for_text_model:error']],
    ['text model with an empty video_urls', text({ video_urls: [] }), ['request.media_for_text_model:error']],
    // unknown fields
    ['unknown field "seed"', ref({ seed: 42 }), ['request.unknown_field:warning']],
    ['misspelled "aspectRatio"', ref({ aspectRatio: '16:9' }), ['request.unknown_field:warning']],
    // several at once, in rule order
    [
      'several problems at once',
      { model: TEXT_MODEL, duration: 20, quality: 'hd', generate_audio: 'no', callback_url: 'http://x.example.com', image_urls: ['a.jpg'], extra: 1 },
      ['request.prompt:error', 'request.duration:error', 'request.quality:error', 'request.generate_audio:error', 'request.callback_url:error', 'request.media_for_text_model:error', 'request.unknown_field:warning'],
    ],
  ];
  it.each(cases)('%s', (_name, request, expected) => {
    expect(ids(check(request))).toEqual(expected);
  });
});

describe('checkRequestFields: exact violations', () => {
  const only = (request: Record<string, unknown>) => {
    const out = check(request);
    expect(out).toHaveLength(1);
    return out[0]!;
  };

  it('request.model', () => {
    expect(only(ref({ model: undefined }))).toEqual({
      rule: 'request.model',
      severity: 'error',
      subject: SUBJECT,
      limit: { oneOf: [REFERENCE_MODEL, TEXT_MODEL], unit: 'value' },
      actual: null,
      problem: `model is missing`,
      fix: `set "model" to "${REFERENCE_MODEL}" (with media) or "${TEXT_MODEL}" (text only)`,
      fixable: false,
      source: SEED_PROFILE.request.models.source,
    });
    expect(only(ref({ model: 'seedance-1.0-pro' }))).toMatchObject({ actual: 'seedance-1.0-pro' });
    expect(only(ref({ model: 'seedance-1.0-pro' })).problem).toBe('model "seedance-1.0-pro" is not a Seedance 2.0 model');
    expect(only(ref({ model: 2 }))).toMatchObject({ actual: null });
    expect(only(ref({ model: 2 })).problem).toBe('model 2 is not a Seedance 2.0 model');
  });

  it('request.prompt: missing, empty, not text', () => {
    const fix = 'write a prompt ("prompt" in the request, prompt.txt in an asset folder, or --prompt)';
    expect(only(ref({ prompt: undefined }))).toEqual({
      rule: 'request.prompt',
      severity: 'error',
      subject: SUBJECT,
      limit: null,
      actual: null,
      problem: `prompt is missing`,
      fix,
      fixable: false,
      source: SEED_PROFILE.request.promptMaxTokens.source,
    });
    expect(only(ref({ prompt: '' }))).toMatchObject({ actual: '', problem: `prompt is empty` });
    expect(only(ref({ prompt: '   ' }))).toMatchObject({ actual: '   ', problem: `prompt is empty` });
    expect(only(ref({ prompt: 42 }))).toMatchObject({ actual: 42, problem: `prompt is 42, not text` });
    expect(only(ref({ prompt: null }))).toMatchObject({ actual: null, problem: `prompt is null, not text` });
    expect(only(ref({ prompt: { en: 'cat' } }))).toMatchObject({ actual: '{"en":"cat"}', problem: `prompt is {"en":"cat"}, not text` });
  });

  it('request.prompt: over 10,000 estimated tokens', () => {
    expect(only(ref({ prompt: words(10_001) }))).toEqual({
      rule: 'request.prompt',
      severity: 'error',
      subject: SUBJECT,
      limit: { max: 10_000, unit: 'tokens' },
      actual: 10_001,
      problem: `prompt is about 10,001 tokens (conservative estimate)`,
      fix: 'shorten the prompt',
      fixable: false,
      source: SEED_PROFILE.request.promptMaxTokens.source,
    });
    // 5,001 CJK characters are estimated at 2 tokens each (and pass the recommended length by far)
    expect(ids(check(ref({ prompt: '猫'.repeat(5000) })))).toEqual(['request.prompt_length:warning']);
    const cjk = check(ref({ prompt: '猫'.repeat(5001) }));
    expect(ids(cjk)).toEqual(['request.prompt:error', 'request.prompt_length:warning']);
    expect(cjk[0]!.actual).toBe(10_002);
  });

  it('request.prompt_length: Chinese characters, English words', () => {
    expect(only(ref({ prompt: '猫'.repeat(501) }))).toEqual({
      rule: 'request.prompt_length',
      severity: 'warning',
      subject: SUBJECT,
      limit: { max: 500, unit: 'chars' },
      actual: 501,
      problem: `prompt has 501 Chinese characters, more than recommended`,
      fix: 'shorten the prompt for more faithful results',
      fixable: false,
      source: SEED_PROFILE.request.promptRecommendedChineseChars.source,
    });
    expect(only(text({ prompt: words(1001) }))).toEqual({
      rule: 'request.prompt_length',
      severity: 'warning',
      subject: SUBJECT,
      limit: { max: 1000, unit: 'words' },
      actual: 1001,
      problem: `prompt has 1001 English words, more than recommended`,
      fix: 'shorten the prompt for more faithful results',
      fixable: false,
      source: SEED_PROFILE.request.promptRecommendedEnglishWords.source,
    });
  });

  it('request.duration', () => {
    expect(only(ref({ duration: 3 }))).toEqual({
      rule: 'request.duration',
      severity: 'error',
      subject: SUBJECT,
      limit: { min: 4, max: 15, unit: 's' },
      actual: 3,
      problem: `duration 3 is not a whole number of seconds from 4 to 15`,
      fix: 'set "duration" to an integer from 4 to 15',
      fixable: false,
      source: SEED_PROFILE.request.duration.source,
    });
    expect(only(ref({ duration: '5' }))).toMatchObject({ actual: '5', problem: `duration "5" is not a whole number of seconds from 4 to 15` });
    expect(only(ref({ duration: 4.5 }))).toMatchObject({ actual: 4.5 });
    expect(only(ref({ duration: 16 }))).toMatchObject({ actual: 16 });
  });

  it('request.quality and request.aspect_ratio', () => {
    expect(only(ref({ quality: '2k' }))).toEqual({
      rule: 'request.quality',
      severity: 'error',
      subject: SUBJECT,
      limit: { oneOf: ['480p', '720p', '1080p', '4k'], unit: 'value' },
      actual: '2k',
      problem: `quality "2k" is not accepted`,
      fix: 'set "quality" to one of 480p, 720p, 1080p, 4k',
      fixable: false,
      source: SEED_PROFILE.request.qualities.source,
    });
    expect(only(ref({ aspect_ratio: '2:1' }))).toEqual({
      rule: 'request.aspect_ratio',
      severity: 'error',
      subject: SUBJECT,
      limit: { oneOf: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'], unit: 'value' },
      actual: '2:1',
      problem: `aspect_ratio "2:1" is not accepted`,
      fix: 'set "aspect_ratio" to one of 16:9, 9:16, 1:1, 4:3, 3:4, 21:9, adaptive',
      fixable: false,
      source: SEED_PROFILE.request.aspectRatios.source,
    });
    expect(only(ref({ quality: 720 }))).toMatchObject({ actual: 720 });
  });

  it('request.generate_audio and request.content_filter', () => {
    expect(only(ref({ generate_audio: 'true' }))).toEqual({
      rule: 'request.generate_audio',
      severity: 'error',
      subject: SUBJECT,
      limit: null,
      actual: 'true',
      problem: `generate_audio is "true", not a boolean`,
      fix: 'set "generate_audio" to true or false (without quotes)',
      fixable: false,
      source: 'docs/LIMITS.md#request.generate_audio; seedance-2.0-reference-to-video.ja.md and seedance-2.0-text-to-video.ja.md generate_audio: type boolean, default true',
    });
    expect(only(ref({ content_filter: 0 }))).toMatchObject({ rule: 'request.content_filter', actual: 0, source: 'docs/LIMITS.md#request.content_filter; seedance-2.0-reference-to-video.ja.md and seedance-2.0-text-to-video.ja.md content_filter: type boolean, default true' });
  });

  it('request.callback_url: each kind of problem', () => {
    const base = { rule: 'request.callback_url', severity: 'error', subject: SUBJECT, fixable: false, source: CALLBACK_SOURCE };
    expect(only(ref({ callback_url: 'http://hooks.example.com/cb' }))).toEqual({
      ...base,
      limit: null,
      actual: 'http',
      problem: `callback_url uses http, and only HTTPS is accepted`,
      fix: 'use an https:// URL',
    });
    expect(only(ref({ callback_url: 'https://192.168.1.20:8443/cb' }))).toEqual({
      ...base,
      limit: null,
      actual: '192.168.1.20',
      problem: `callback_url points at 192.168.1.20, a private or loopback address the provider refuses`,
      fix: 'use a publicly reachable HTTPS host',
    });
    expect(only(ref({ callback_url: 'https://[::1]/cb' }))).toMatchObject({ actual: '[::1]' });
    expect(only(ref({ callback_url: 'https://hookuser:HOOK-PASS-77@hooks.example.com/cb?sig=1' }))).toEqual({
      ...base,
      limit: null,
      actual: 'https://***@hooks.example.com/…',
      problem: `callback_url https://***@hooks.example.com/… carries credentials (user:password@), which would be sent to the provider and kept in the job's journal`,
      fix: 'remove the "user:password@" part: put a secret token in the URL\'s path or query, or verify a callback by its task id (query the task)',
    });
    // a value that is no URL is shown with any URL credentials in it masked
    expect(only(ref({ callback_url: 'see https://u:HOOK-PASS-77@h x' }))).toMatchObject({ actual: 'see https://***@h x' });
    const long = `https://h.example.com/${'x'.repeat(2049 - 22)}`;
    expect(long).toHaveLength(2049);
    expect(only(ref({ callback_url: long }))).toEqual({
      ...base,
      limit: { max: 2048, unit: 'chars' },
      actual: 2049,
      problem: `callback_url is 2049 characters long`,
      fix: 'use a shorter callback URL',
    });
    expect(only(ref({ callback_url: 'hooks.example.com/cb' }))).toEqual({
      ...base,
      limit: null,
      actual: 'hooks.example.com/cb',
      problem: `callback_url is not a valid URL`,
      fix: 'set it to an https:// URL',
    });
    expect(only(ref({ callback_url: 123 }))).toEqual({
      ...base,
      limit: null,
      actual: 123,
      problem: `callback_url is not a string`,
      fix: 'set "callback_url" to an https:// URL or remove it',
    });
  });

  it('request.web_search', () => {
    expect(only(ref({ model_params: { web_search: true } }))).toEqual({
      rule: 'request.web_search',
      severity: 'error',
      subject: SUBJECT,
      limit: null,
      actual: true,
      problem: `model_params.web_search is only for text-to-video`,
      fix: `remove "model_params" or use "${TEXT_MODEL}"`,
      fixable: false,
      source: 'docs/LIMITS.md#request.web_search; seedance-2.0-text-to-video.ja.md model_params.web_search: type boolean, default false; seedance-2.0-reference-to-video.ja.md has no model_params',
    });
    expect(only(text({ model_params: { web_search: 'yes' } }))).toMatchObject({
      actual: 'yes',
      problem: `model_params.web_search is "yes", not a boolean`,
    });
    expect(only(text({ model_params: [true] }))).toMatchObject({
      actual: '[true]',
      problem: `model_params is not an object`,
    });
  });

  it('request.media_for_text_model', () => {
    expect(only(text({ image_urls: ['a.jpg'], audio_urls: ['b.mp3'] }))).toEqual({
      rule: 'request.media_for_text_model',
      severity: 'error',
      subject: SUBJECT,
      limit: null,
      actual: 'image_urls, audio_urls',
      problem: `text-to-video accepts no media, but the request has image_urls, audio_urls`,
      fix: `remove image_urls, audio_urls, or use "${REFERENCE_MODEL}"`,
      fixable: false,
      source: 'docs/LIMITS.md#request.media_for_text_model; seedance-2.0-text-to-video.ja.md request body: no image_urls, video_urls or audio_urls',
    });
  });

  it('request.unknown_field', () => {
    expect(check(ref({ seed: 42, negative_prompt: 'x' }))).toEqual([
      {
        rule: 'request.unknown_field',
        severity: 'warning',
        subject: SUBJECT,
        limit: null,
        actual: 'seed',
        problem: 'unknown field "seed": not in the documents, so it may be rejected or ignored',
        fix: 'remove "seed" or check its spelling',
        fixable: false,
        source: TASKS_DOC,
      },
      expect.objectContaining({ rule: 'request.unknown_field', actual: 'negative_prompt' }),
    ]);
  });

  it('request.unknown_field: did you mean, as text and as the fix', () => {
    expect(check(ref({ durration: 5 }))).toEqual([
      {
        rule: 'request.unknown_field',
        severity: 'warning',
        subject: SUBJECT,
        limit: null,
        actual: 'durration',
        problem: 'unknown field "durration" (did you mean "duration"?)',
        fix: 'rename "durration" to "duration"',
        fixable: false,
        source: TASKS_DOC,
      },
    ]);
  });

  // [request, [problem, fix] per unknown field]
  const unknownCases: Array<[string, Record<string, unknown>, Array<[string, string]>]> = [
    ['a misspelled field', ref({ qualty: '720p' }), [['unknown field "qualty" (did you mean "quality"?)', 'rename "qualty" to "quality"']]],
    ['camelCase', ref({ aspectRatio: '16:9' }), [['unknown field "aspectRatio" (did you mean "aspect_ratio"?)', 'rename "aspectRatio" to "aspect_ratio"']]],
    ['the intended field is there too', ref({ duration: 5, durration: 6 }), [['unknown field "durration" (did you mean "duration"? the request has "duration" too)', 'remove "durration"']]],
    [
      'the issue\'s request: a misspelled media field and no media at all',
      ref({ image_urls: undefined, video_urls: undefined, video_url: ['a.mp4'], durration: 5 }),
      [
        ['unknown field "video_url" (did you mean "video_urls"?); as written the request names no media at all', 'rename "video_url" to "video_urls"'],
        ['unknown field "durration" (did you mean "duration"?)', 'rename "durration" to "duration"'],
      ],
    ],
    [
      'a misspelled media field beside an empty documented one',
      ref({ image_urls: [], video_urls: undefined, imageUrls: ['a.jpg'] }),
      [['unknown field "imageUrls" (did you mean "image_urls"?); as written the request names no media at all', 'rename "imageUrls" to "image_urls"']],
    ],
    [
      'a media-like name with no close field, and no media',
      ref({ image_urls: undefined, video_urls: undefined, videos: ['a.mp4'] }),
      [['unknown field "videos": not in the documents; as written the request names no media at all', 'put the media under image_urls, video_urls or audio_urls instead of "videos"']],
    ],
    ['a misspelled media field while other media are given: no media note', ref({ audio_url: ['a.mp3'] }), [['unknown field "audio_url" (did you mean "audio_urls"?)', 'rename "audio_url" to "audio_urls"']]],
    ['a media-like name while media are given', ref({ videos: ['a.mp4'] }), [['unknown field "videos": not in the documents, so it may be rejected or ignored', 'remove "videos" or check its spelling']]],
    [
      'no media, but the unknown field is not media-like',
      ref({ image_urls: undefined, video_urls: undefined, durration: 5 }),
      [['unknown field "durration" (did you mean "duration"?)', 'rename "durration" to "duration"']],
    ],
    ['the text model has no media by design: no media note', text({ video_url: ['a.mp4'] }), [['unknown field "video_url" (did you mean "video_urls"?)', 'rename "video_url" to "video_urls"']]],
  ];
  it.each(unknownCases)('request.unknown_field: %s', (_name, request, expected) => {
    const found = check(request).filter((v) => v.rule === 'request.unknown_field');
    expect(found.map((v) => [v.problem, v.fix])).toEqual(expected);
    expect(found.every((v) => v.severity === 'warning')).toBe(true);
  });

  it('follows the profile: a relaxed duration range', () => {
    const relaxed = structuredClone(SEED_PROFILE);
    relaxed.request.duration.value = { min: 2, max: 20 };
    expect(checkRequestFields(ref({ duration: 20 }), relaxed, SUBJECT)).toEqual([]);
    expect(checkRequestFields(ref({ duration: 21 }), relaxed, SUBJECT)[0]!.problem).toBe(
      `duration 21 is not a whole number of seconds from 2 to 20`,
    );
  });
});
