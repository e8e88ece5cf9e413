import { describe, it, expect } from 'vitest';
import { checkJob, mergeReports } from '../../src/check/check-job.js';
import { checkAggregate } from '../../src/check/aggregate-rules.js';
import { checkMedia, checkProbeFailure, checkVideoForQuality } from '../../src/check/file-rules.js';
import type { CheckInput, JobMedia, JobReport } from '../../src/check/job.js';
import { checkRequestFields } from '../../src/check/request-rules.js';
import { RULES, type RuleId } from '../../src/check/rule-catalog.js';
import type { Violation } from '../../src/check/violation.js';
import { parseRequestText } from '../../src/pipeline/request-file.js';
import { outsideJobViolation } from '../../src/pipeline/input-file-violation.js';
import type { ProbeProblemCode } from '../../src/probe/media-info.js';
import { REFERENCE_MODEL, TEXT_MODEL } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, entry, failure, ids, image, urlEntry, video } from '../helpers/media-info.js';

const seed = SEED_PROFILE;

function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return { label: 'job/request.json', request: null, media: [], loadViolations: [], ...overrides };
}

describe('checkJob', () => {
  it('a conforming job: every file ok, the request ok', () => {
    const [img, vid, aud] = [image(), video(), audio()];
    const media = [entry('image_urls', 0, img), entry('video_urls', 0, vid), entry('audio_urls', 0, aud)];
    const report = checkJob(input({ request: { model: REFERENCE_MODEL, prompt: 'image 1 and video 1 with audio 1' }, media }), seed);
    expect(report).toEqual({
      label: 'job/request.json',
      files: [
        { path: 'photo.jpg', kind: 'image', ok: true, violations: [], info: img },
        { path: 'clip.mp4', kind: 'video', ok: true, violations: [], info: vid },
        { path: 'tone.mp3', kind: 'audio', ok: true, violations: [], info: aud },
      ],
      request: { ok: true, violations: [] },
    });
  });

  it('per-file reports: warnings keep a file ok, errors do not; URLs and unprobed entries have no file report', () => {
    const broken: JobMedia = { field: 'video_urls', index: 1, ref: 'bad.mp4', path: 'job/bad.mp4', probe: { ok: false, failure: failure({ path: 'job/bad.mp4', code: 'corrupt', detail: 'its index (moov) is missing' }) } };
    const pending: JobMedia = { field: 'image_urls', index: 2, ref: 'later.jpg', path: 'job/later.jpg', probe: null };
    const media = [
      entry('image_urls', 0, image({ path: 'job/hevc-cover.jpg', format: 'png', extension: 'jpg', extensionMatches: false })),
      urlEntry('image_urls', 1),
      pending,
      entry('video_urls', 0, video({ path: 'job/hevc.mp4', videoCodec: 'hevc' })),
      broken,
      entry('audio_urls', 0, audio({ path: 'job/long.mp3', duration: 20, containerDuration: 20, streamDuration: 20 })),
    ];
    const report = checkJob(input({ media }), seed);
    expect(report.files.map((f) => [f.path, f.kind, f.ok, ids(f.violations)])).toEqual([
      ['job/hevc-cover.jpg', 'image', true, ['file.extension_mismatch:warning']],
      ['job/hevc.mp4', 'video', true, ['video.codec:warning']],
      ['job/bad.mp4', null, false, ['file.corrupt:error']],
      ['job/long.mp3', 'audio', false, ['audio.duration:error']],
    ]);
    expect(report.files[2]!.info).toBeNull();
    expect(report.files[2]!.violations[0]!.problem).toBe('its index (moov) is missing');
    // no request: no request rules, not even the aggregate ones
    expect(report.request).toEqual({ ok: true, violations: [] });
  });

  it('request violations: load problems first, then request fields, then rules across media', () => {
    const load = parseRequestText('{"image_urls": ["data:image/png;base64,AAAA"]}', 'job/request.json').loadViolations;
    expect(ids(load)).toEqual(['request.media_url:error']);
    const media = [...Array.from({ length: 4 }, (_, i) => entry('video_urls', i, video({ path: `v${i}.mp4` })))];
    const report = checkJob(input({ request: { model: REFERENCE_MODEL, prompt: 'image 1', duration: 3, video_urls: [] }, media, loadViolations: load }), seed);
    expect(ids(report.request.violations)).toEqual(['request.media_url:error', 'request.duration:error', 'request.video_count:error', 'request.prompt_reference:warning']);
    expect(report.request.ok).toBe(false);
    expect(report.request.violations.every((v) => v.subject === 'job/request.json')).toBe(true);
  });

  it('only warnings: the request stays ok', () => {
    const report = checkJob(input({ request: { model: REFERENCE_MODEL, prompt: 'image 2', seed: 1 }, media: [entry('image_urls', 0, image())] }), seed);
    expect(ids(report.request.violations)).toEqual(['request.unknown_field:warning', 'request.prompt_reference:warning']);
    expect(report.request.ok).toBe(true);
  });

  it('the text model: media are refused by the field rule, not as audio-only', () => {
    const media = [entry('audio_urls', 0, audio())];
    const report = checkJob(input({ request: { model: TEXT_MODEL, prompt: 'a storm', audio_urls: ['tone.mp3'] }, media }), seed);
    expect(ids(report.request.violations)).toEqual(['request.media_for_text_model:error']);
  });

  it('the reference model with audio alone', () => {
    const media = [entry('audio_urls', 0, audio())];
    const report = checkJob(input({ request: { model: REFERENCE_MODEL, prompt: 'a storm', audio_urls: ['tone.mp3'] }, media }), seed);
    expect(ids(report.request.violations)).toEqual(['request.audio_only:error']);
  });
});

describe('mergeReports', () => {
  const okFile = { path: 'a.jpg', kind: 'image' as const, ok: true, violations: [], info: image() };
  const warn: Violation = checkMedia(video({ videoCodec: 'hevc' }), seed)[0]!;
  const err: Violation = checkProbeFailure(failure());
  const job = (label: string, files: JobReport['files'], violations: Violation[]): JobReport => ({ label, files, request: { ok: !violations.some((v) => v.severity === 'error'), violations } });

  it('no reports: ok and empty', () => {
    expect(mergeReports([])).toEqual({ ok: true, files: [], request: { ok: true, violations: [] } });
  });

  it('concatenates files and request violations in job order', () => {
    const merged = mergeReports([job('one', [okFile], [warn]), job('two', [{ ...okFile, path: 'b.jpg' }], [])]);
    expect(merged.files.map((f) => f.path)).toEqual(['a.jpg', 'b.jpg']);
    expect(merged.request).toEqual({ ok: true, violations: [warn] });
    expect(merged.ok).toBe(true);
  });

  it('not ok when any file fails', () => {
    const merged = mergeReports([job('one', [okFile, { ...okFile, path: 'c.mp4', ok: false, violations: [err] }], [])]);
    expect(merged).toMatchObject({ ok: false, request: { ok: true } });
  });

  it('not ok when any request error exists', () => {
    const merged = mergeReports([job('one', [okFile], []), job('two', [], [err])]);
    expect(merged).toMatchObject({ ok: false, request: { ok: false, violations: [err] } });
  });
});

describe('rule catalog coverage', () => {
  it('the pure rules can produce every rule id except the --remote URL checks', () => {
    const seen = new Set<RuleId>();
    const add = (violations: readonly Violation[]) => violations.forEach((v) => seen.add(v.rule));

    for (const code of ['not_found', 'not_a_file', 'unreadable', 'empty', 'unknown_format', 'corrupt', 'too_large_to_decode'] satisfies ProbeProblemCode[]) {
      add([checkProbeFailure(failure({ code }))]);
    }
    add(checkMedia(image({ format: 'gif', extension: 'png', extensionMatches: false, width: 200, height: 600, sizeBytes: 31_000_000 }), seed));
    add(checkMedia(video({ format: 'webm', videoCodec: 'vp9', audioCodec: 'opus', width: 6001, height: 1100, containerDuration: 16, streamDuration: 3, sizeBytes: 51_000_000, fps: 15, variableFrameRate: true }), seed));
    add(checkMedia(video({ color: { primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, hdr: 'pq' } }), seed));
    add(checkVideoForQuality(video({ width: 1920, height: 1080 }), '720p', seed));
    add(checkMedia(audio({ format: 'flac', containerDuration: 1, streamDuration: 1.5, sizeBytes: 16_000_000 }), seed));
    add(checkMedia(image({ format: 'jpeg', colorSpace: 'cmyk' }), seed));
    add(checkMedia(audio({ format: 'wav', extension: 'wav', audioCodec: 'gsm_ms' }), seed));
    add(checkMedia(audio({ damage: { kind: 'truncated', headerSays: 247.9, decodes: 0.21, fraction: 0.001, detail: 'cut' } }), seed));
    add(parseRequestText('not json', 'r.json').loadViolations);
    add([outsideJobViolation('r.json', 'x.jpg', '/elsewhere/x.jpg', '/job')]);
    add(parseRequestText('{"image_urls": ["ftp://x/y.jpg"]}', 'r.json').loadViolations);
    add(checkRequestFields({ prompt: '猫'.repeat(5001), duration: 1, quality: 'x', aspect_ratio: 'x', generate_audio: 'x', content_filter: 'x', callback_url: 'http://x', model_params: { web_search: true }, extra: 1 }, seed, 'r'));
    add(checkRequestFields({ model: TEXT_MODEL, prompt: 'x', image_urls: [] }, seed, 'r'));
    add(checkRequestFields({ model: REFERENCE_MODEL, prompt: 'x', model_params: { web_search: true } }, seed, 'r'));
    add(checkRequestFields({ model: TEXT_MODEL, prompt: words(1001) }, seed, 'r'));
    const many = [
      ...Array.from({ length: 10 }, (_, i) => urlEntry('image_urls', i)),
      ...Array.from({ length: 4 }, (_, i) => entry('video_urls', i, video({ duration: 5, sizeBytes: 20_000_000 }))),
      ...Array.from({ length: 4 }, (_, i) => entry('audio_urls', i, audio({ duration: 5 }))),
      entry('audio_urls', 4, image()),
    ];
    add(checkAggregate(many, 'image 11', false, seed, 'r'));
    add(checkAggregate([urlEntry('audio_urls', 0)], 'x', false, seed, 'r'));

    const remoteOnly: RuleId[] = ['request.url_unreachable', 'request.url_content_type', 'request.url_media_unread'];
    const expected = (Object.keys(RULES) as RuleId[]).filter((id) => !remoteOnly.includes(id)).sort();
    expect([...seen].sort()).toEqual(expected);
  });
});

function words(n: number): string {
  return Array.from({ length: n }, () => 'w').join(' ');
}
