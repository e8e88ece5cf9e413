import { describe, expect, it } from 'vitest';
import { describeProblem } from '../../src/check/describe-problem.js';
import { makeViolation, type ViolationInit } from '../../src/check/make-violation.js';
import { renderViolation, violationJson } from '../../src/text/violation-text.js';

const base: ViolationInit = {
  rule: 'video.fps',
  subject: 'media/clip.webm',
  limit: { min: 24, max: 60, unit: 'fps' },
  actual: 15,
  problem: 'frame rate is 15 fps',
  fix: 'raise the frame rate to 24 fps',
  fixable: true,
  source: 'docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS',
};

describe('renderViolation: the one sentence a user reads', () => {
  const cases: Array<[string, ViolationInit, string]> = [
    ['fixable: the CLI names the command that does it', base, 'media/clip.webm: frame rate is 15 fps; allowed: 24–60 fps (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).'],
    [
      'not fixable: what to do, no command',
      { ...base, rule: 'request.duration', subject: 'job/request.json', limit: { min: 4, max: 15, unit: 's' }, actual: 'five', problem: 'duration "five" is not a whole number of seconds from 4 to 15', fix: 'set "duration" to an integer from 4 to 15', fixable: false },
      'job/request.json: duration "five" is not a whole number of seconds from 4 to 15; allowed: 4–15 s (rule request.duration). To do: set "duration" to an integer from 4 to 15.',
    ],
    [
      'no limit: no "allowed"',
      { ...base, rule: 'request.audio_only', subject: 'job', limit: null, actual: 2, problem: 'audio is given without any image or video', fix: 'add at least one image or video', fixable: false },
      'job: audio is given without any image or video (rule request.audio_only). To do: add at least one image or video.',
    ],
    [
      'one of a list',
      { ...base, rule: 'image.format', subject: 'photo.gif', limit: { oneOf: ['jpeg', 'png', 'webp'], unit: 'value' }, actual: 'gif', problem: 'format is GIF', fix: 'convert to JPEG' },
      'photo.gif: format is GIF; allowed: one of jpeg, png, webp (rule image.format). Fix: convert to JPEG (seedance-preflight fix does this).',
    ],
    [
      'a byte cap in MB of 10^6 bytes',
      { ...base, rule: 'video.size', limit: { max: 50_000_000, unit: 'bytes' }, actual: 50_000_001, problem: 'file is 50 MB (50,000,001 bytes; 1 MB = 1,000,000 bytes)', fix: 're-encode at a bitrate that fits the cap', bytesPerMB: 1_000_000 },
      'media/clip.webm: file is 50 MB (50,000,001 bytes; 1 MB = 1,000,000 bytes); allowed: at most 50 MB (rule video.size). Fix: re-encode at a bitrate that fits the cap (seedance-preflight fix does this).',
    ],
    [
      'a byte cap in MB of 2^20 bytes, as the profile reads a MB',
      { ...base, rule: 'video.size', limit: { max: 52_428_800, unit: 'bytes' }, actual: 52_428_801, problem: 'file is 50 MB (52,428,801 bytes; 1 MB = 1,048,576 bytes)', fix: 're-encode at a bitrate that fits the cap', bytesPerMB: 1_048_576 },
      'media/clip.webm: file is 50 MB (52,428,801 bytes; 1 MB = 1,048,576 bytes); allowed: at most 50 MB (rule video.size). Fix: re-encode at a bitrate that fits the cap (seedance-preflight fix does this).',
    ],
  ];
  it.each(cases)('%s', (_name, init, sentence) => {
    expect(renderViolation(makeViolation(init))).toBe(sentence);
  });

  it('leaves the subject out under its own heading', () => {
    expect(renderViolation(makeViolation(base), { subject: false })).toBe('frame rate is 15 fps; allowed: 24–60 fps (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).');
  });
});

describe('describeProblem: library text, what is wrong and the rule, no command', () => {
  it('says the subject, the problem, the limit and the rule; the fix is left to the caller', () => {
    expect(describeProblem(makeViolation(base))).toBe('media/clip.webm: frame rate is 15 fps; allowed: 24–60 fps (rule video.fps)');
    expect(describeProblem(makeViolation(base), { subject: false })).toBe('frame rate is 15 fps; allowed: 24–60 fps (rule video.fps)');
  });
});

describe('violationJson: check --json keeps its documented shape', () => {
  it('has exactly the documented keys, in order, with the rendered message', () => {
    const json = violationJson(makeViolation({ ...base, rule: 'video.size', limit: { max: 50_000_000, unit: 'bytes' }, actual: 60_000_000, problem: 'file is 60 MB', fix: 're-encode', bytesPerMB: 1_000_000 }));
    expect(Object.keys(json)).toEqual(['rule', 'severity', 'subject', 'limit', 'actual', 'message', 'fix', 'fixable', 'source']);
    expect(json).toEqual({
      rule: 'video.size',
      severity: 'error',
      subject: 'media/clip.webm',
      limit: { max: 50_000_000, unit: 'bytes' },
      actual: 60_000_000,
      message: 'media/clip.webm: file is 60 MB; allowed: at most 50 MB (rule video.size). Fix: re-encode (seedance-preflight fix does this).',
      fix: 're-encode',
      fixable: true,
      source: 'docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS',
    });
  });
});
