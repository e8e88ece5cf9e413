import { describe, expect, it } from 'vitest';
import { checkResultVideo, unreadableResultFinding, type ReferenceInfos } from '../../src/pipeline/result-qc.js';
import { renderQcFinding } from '../../src/text/qc-text.js';
import { nearestOutputRatio } from '../../src/spec/output-sizes.js';
import { audio, failure, image, video } from '../helpers/media-info.js';

const REF = 'seedance-2.0-reference-to-video';
const TEXT = 'seedance-2.0-text-to-video';
const none: ReferenceInfos = { firstVideo: null, firstImage: null };
/** The sandbox's answer to a default request: 5 s of 1280×720 with audio. */
const result = (overrides: Parameters<typeof video>[0] = {}) => video({ path: 'result.mp4', width: 1280, height: 720, storedWidth: 1280, storedHeight: 720, duration: 5.02, containerDuration: 5.02, streamDuration: 5, ...overrides });
const messages = (request: Record<string, unknown>, info = result(), references = none) => checkResultVideo(request, info, references).map(renderQcFinding);

describe('checkResultVideo: duration (±0.5 s)', () => {
  it.each([
    ['10 s asked, 5 s served', { duration: 10 }, 5.02, ['result is 5.0 s; the request asked for 10 s']],
    ['10 s asked, 2 s served', { duration: 10 }, 2, ['result is 2.0 s; the request asked for 10 s']],
    ['default 5 s, 2 s served', {}, 2, ['result is 2.0 s; the request asked for 5 s (the default)']],
    ['10 s asked, 10.02 s served (AAC priming)', { duration: 10 }, 10.02, []],
    ['10 s asked, 9.5 s served: at the tolerance', { duration: 10 }, 9.5, []],
    ['10 s asked, 9.4 s served: past it', { duration: 10 }, 9.4, ['result is 9.4 s; the request asked for 10 s']],
    ['4 s asked, 4.5 s served: at the tolerance', { duration: 4 }, 4.5, []],
    ['15 s asked, 15.6 s served', { duration: 15 }, 15.6, ['result is 15.6 s; the request asked for 15 s']],
  ])('%s', (_name, fields, seconds, expected) => {
    expect(messages({ model: TEXT, prompt: 'p', ...fields }, result({ duration: seconds }))).toEqual(expected);
  });

  it('an unreadable duration is a finding with its data', () => {
    expect(checkResultVideo({ model: TEXT, prompt: 'p', duration: 8 }, result({ duration: null }), none)).toEqual([
      { check: 'duration', severity: 'warning', expectedSeconds: 8, actualSeconds: null, toleranceSeconds: 0.5, defaulted: false },
    ]);
    expect(messages({ model: TEXT, prompt: 'p', duration: 8 }, result({ duration: null }))).toEqual(["result's duration cannot be read; the request asked for 8 s"]);
  });
});

describe('checkResultVideo: size for quality × aspect_ratio (exact)', () => {
  it.each([
    ['defaults: 720p 16:9', {}, [1280, 720], []],
    ['480p 16:9', { quality: '480p' }, [864, 496], []],
    ['1080p 9:16', { quality: '1080p', aspect_ratio: '9:16' }, [1080, 1920], []],
    ['4k 21:9', { quality: '4k', aspect_ratio: '21:9' }, [4398, 1886], []],
    ['720p 3:4', { aspect_ratio: '3:4' }, [834, 1112], []],
    ['720p 9:16 served landscape', { aspect_ratio: '9:16' }, [1280, 720], ['result is 1280×720; the request asked for 720p 9:16, which is 720×1280']],
    ['1080p served at 720p', { quality: '1080p' }, [1280, 720], ['result is 1280×720; the request asked for 1080p 16:9, which is 1920×1080']],
    ['one pixel off', { quality: '4k', aspect_ratio: '4:3' }, [3328, 2494], ['result is 3328×2494; the request asked for 4k 4:3, which is 3326×2494']],
    ['an unknown quality (a newer document): not compared', { quality: '8k' }, [7680, 4320], []],
  ])('%s', (_name, fields, [width, height], expected) => {
    expect(messages({ model: TEXT, prompt: 'p', ...fields }, result({ width, height }))).toEqual(expected);
  });

  it('a finding carries the sizes, quality and ratio as data', () => {
    expect(checkResultVideo({ model: TEXT, prompt: 'p', quality: '480p', aspect_ratio: '1:1' }, result(), none)).toEqual([
      { check: 'size', severity: 'warning', expected: { width: 640, height: 640 }, actual: { width: 1280, height: 720 }, quality: '480p', aspectRatio: '1:1', resolvedRatio: '1:1', adaptive: null },
    ]);
    expect(checkResultVideo({ model: REF, prompt: 'p', aspect_ratio: 'adaptive', image_urls: ['i'] }, result(), { firstVideo: null, firstImage: image({ width: 600, height: 600 }) })).toEqual([
      { check: 'size', severity: 'warning', expected: { width: 960, height: 960 }, actual: { width: 1280, height: 720 }, quality: '720p', aspectRatio: 'adaptive', resolvedRatio: '1:1', adaptive: { reference: 'image 1', width: 600, height: 600 } },
    ]);
  });
});

describe('checkResultVideo: adaptive follows video 1, else image 1, else 16:9', () => {
  const adaptive = { model: REF, prompt: 'p', aspect_ratio: 'adaptive' };
  const square = video({ width: 640, height: 640 });
  const portrait = image({ width: 1080, height: 1920 });
  it.each([
    ['video 1 is square: 960×960 expected', { video_urls: ['v'], image_urls: ['i'] }, { firstVideo: square, firstImage: portrait }, [960, 960], []],
    ['video 1 is square, result is 16:9', { video_urls: ['v'], image_urls: ['i'] }, { firstVideo: square, firstImage: portrait }, [1280, 720], ['result is 1280×720; the request asked for 720p adaptive, which is 960×960 (1:1, following video 1 at 640×640)']],
    ['no video: image 1 is portrait', { image_urls: ['i'] }, { firstVideo: null, firstImage: portrait }, [1280, 720], ['result is 1280×720; the request asked for 720p adaptive, which is 720×1280 (9:16, following image 1 at 1080×1920)']],
    ['no reference at all: 16:9', {}, none, [720, 1280], ['result is 720×1280; the request asked for 720p adaptive, which is 1280×720 (16:9, no reference video or image to follow)']],
    // a video that was given but could not be read: the ratio it implies is unknown, so the image must not stand in for it
    ['video 1 unreadable: not compared', { video_urls: ['v'], image_urls: ['i'] }, { firstVideo: null, firstImage: portrait }, [123, 456], []],
  ])('%s', (_name, fields, references, [width, height], expected) => {
    expect(messages({ ...adaptive, ...fields }, result({ width, height }), references)).toEqual(expected);
  });

  it.each([
    [854, 480, '16:9'], [480, 854, '9:16'], [1000, 1000, '1:1'], [800, 600, '4:3'], [600, 800, '3:4'], [2560, 1080, '21:9'], [3000, 1000, '21:9'], [300, 700, '9:16'], [1400, 1000, '4:3'],
  ])('%i×%i is nearest %s', (width, height, ratio) => {
    expect(nearestOutputRatio(width, height)).toBe(ratio);
  });
});

describe('checkResultVideo: audio when generate_audio is true (the default)', () => {
  it.each([
    ['default, no audio', {}, false, ['result has no audio; the request asked for audio (generate_audio is true by default)']],
    ['true, no audio', { generate_audio: true }, false, ['result has no audio; the request asked for audio (generate_audio is true)']],
    ['true, audio', { generate_audio: true }, true, []],
    ['false, no audio', { generate_audio: false }, false, []],
    // 無音動画: a silent track still satisfies false
    ['false, a track', { generate_audio: false }, true, []],
  ])('%s', (_name, fields, hasAudio, expected) => {
    expect(messages({ model: TEXT, prompt: 'p', ...fields }, result({ hasAudio, audioCodec: hasAudio ? 'aac' : null }))).toEqual(expected);
  });
});

describe('checkResultVideo: every finding at once, and results that are not videos', () => {
  it('lists duration, size and audio in that order', () => {
    expect(messages({ model: REF, prompt: 'p', image_urls: ['i'], duration: 10, quality: '1080p', aspect_ratio: '9:16' }, result({ duration: 2.0, hasAudio: false }))).toEqual([
      'result is 2.0 s; the request asked for 10 s',
      'result is 1280×720; the request asked for 1080p 9:16, which is 1080×1920',
      'result has no audio; the request asked for audio (generate_audio is true by default)',
    ]);
  });

  it.each([
    ['an image', image({ format: 'png' }), { kind: 'image', format: 'png' }, 'result is not a video: it holds an image (PNG)'],
    ['audio', audio(), { kind: 'audio', format: 'mp3' }, 'result is not a video: it holds audio only (MP3)'],
  ])('a result holding %s', (_name, info, holds, message) => {
    const findings = checkResultVideo({ model: TEXT, prompt: 'p' }, info, none);
    expect(findings).toEqual([{ check: 'video', severity: 'warning', holds, detail: null }]);
    expect(findings.map(renderQcFinding)).toEqual([message]);
  });

  it('a result that cannot be probed', () => {
    const finding = unreadableResultFinding(failure({ detail: 'it is truncated: the moov atom is missing' }));
    expect(finding).toEqual({ check: 'video', severity: 'warning', holds: null, detail: 'it is truncated: the moov atom is missing' });
    expect(renderQcFinding(finding)).toBe('result cannot be read as a video: it is truncated: the moov atom is missing');
  });
});
