import { describe, expect, it } from 'vitest';
import { canonicalJson, changedInputs, fingerprintOf, type JobInputs } from '../../src/pipeline/fingerprint.js';

const BASE: JobInputs = {
  request: { model: 'seedance-2.0-reference-to-video', prompt: 'a cat', image_urls: ['sha256:aa', 'https://cdn/x.png'], duration: 5 },
  profile: 'p1',
  fix: { fit: 'pad', audioFormat: 'mp3' },
};
const FOLDER: JobInputs = { request: { prompt: 'a cat', files: { 'clip.mp4': 'sha256:11', 'still.png': 'sha256:22' } }, profile: 'p1', fix: { fit: 'pad', audioFormat: 'mp3' } };

describe('canonicalJson and fingerprintOf', () => {
  it('key order does not matter; values and array order do', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    const reordered: JobInputs = { fix: { audioFormat: 'mp3', fit: 'pad' }, profile: 'p1', request: { duration: 5, image_urls: ['sha256:aa', 'https://cdn/x.png'], prompt: 'a cat', model: 'seedance-2.0-reference-to-video' } };
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(BASE));
    expect(fingerprintOf({ ...BASE, request: { ...BASE.request, image_urls: ['https://cdn/x.png', 'sha256:aa'] } })).not.toBe(fingerprintOf(BASE));
    expect(fingerprintOf(BASE)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('changedInputs: what differs, in the words a user knows', () => {
  it.each([
    ['the prompt', { ...BASE, request: { ...BASE.request, prompt: 'a dog' } }, ['prompt']],
    ['one image\'s content', { ...BASE, request: { ...BASE.request, image_urls: ['sha256:bb', 'https://cdn/x.png'] } }, ['image_urls']],
    ['a field added', { ...BASE, request: { ...BASE.request, generate_audio: true } }, ['generate_audio']],
    ['a field removed and one changed', { ...BASE, request: { model: BASE.request.model, prompt: 'a cat', image_urls: BASE.request.image_urls, duration: 8 } }, ['duration']],
    ['the profile', { ...BASE, profile: 'p2' }, ['profile']],
    ['--fit and --audio-format', { ...BASE, fix: { fit: 'crop', audioFormat: 'wav' } }, ['--fit', '--audio-format']],
    ['nothing', BASE, []],
  ] as [string, JobInputs, string[]][])('%s', (_what, now, changed) => {
    expect(changedInputs(BASE, now)).toEqual(changed);
  });

  it('an asset folder names each file added, removed or changed, and the prompt', () => {
    const now: JobInputs = { ...FOLDER, request: { prompt: 'a dog', files: { 'clip.mp4': 'sha256:99', 'music.flac': 'sha256:33' } } };
    expect(changedInputs(FOLDER, now)).toEqual(['clip.mp4', 'music.flac', 'still.png', 'prompt']);
  });
});
