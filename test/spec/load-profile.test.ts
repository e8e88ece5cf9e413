import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides, loadProfile, ProfileError } from '../../src/spec/load-profile.js';
import { BUILTIN_PROFILES } from '../../src/spec/builtin-profiles.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import type { Profile } from '../../src/spec/profile.js';

const ORIGIN = 'limits.json';
const KNOWN = 'seed, strict-927k';

/** The profile without its name and description, to compare limits only. */
function limitsOf(profile: Profile): Omit<Profile, 'name' | 'description'> {
  const { name: _name, description: _description, ...limits } = profile;
  return limits;
}

describe('built-in profiles', () => {
  it('seed holds the docs/LIMITS.md figures, MB = 10^6', () => {
    const s = SEED_PROFILE;
    expect(s.name).toBe('seed');
    expect(s.bytesPerMB.value).toBe(1_000_000);
    expect([s.image.formats.value, s.image.side.value, s.image.aspectRatio.value, s.image.maxBytes.value]).toEqual([['jpeg', 'png', 'webp'], { min: 300, max: 6000 }, { min: 0.4, max: 2.5 }, 30_000_000]);
    expect([s.video.formats.value, s.video.codecs.value, s.video.riskyCodecs.value, s.video.audioCodecs.value]).toEqual([['mp4', 'mov'], ['h264', 'hevc'], ['hevc'], ['aac', 'mp3']]);
    expect([s.video.maxPixelsUpTo720p.value, s.video.duration.value, s.video.aspectRatio.value, s.video.side.value, s.video.pixels.value, s.video.maxBytes.value, s.video.fps.value, s.video.durationTolerance.value]).toEqual([
      927_408, { min: 2, max: 15 }, { min: 0.4, max: 2.5 }, { min: 300, max: 6000 }, { min: 409_600, max: 2_086_876 }, 50_000_000, { min: 24, max: 60 }, 0.1,
    ]);
    expect([s.audio.formats.value, s.audio.duration.value, s.audio.maxBytes.value]).toEqual([['wav', 'mp3'], { min: 2, max: 15 }, 15_000_000]);
    const r = s.request;
    expect([r.models.value, r.maxImages.value, r.maxVideos.value, r.maxAudios.value, r.totalVideoSeconds.value, r.totalAudioSeconds.value, r.totalMediaBytes.value]).toEqual([
      ['seedance-2.0-reference-to-video', 'seedance-2.0-text-to-video'], 9, 3, 3, 15, 15, 64_000_000,
    ]);
    expect([r.promptMaxTokens.value, r.promptRecommendedChineseChars.value, r.promptRecommendedEnglishWords.value, r.duration.value, r.qualities.value, r.aspectRatios.value, r.callbackMaxLength.value]).toEqual([
      10_000, 500, 1000, { min: 4, max: 15 }, ['480p', '720p', '1080p', '4k'], ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'], 2048,
    ]);
  });

  it('every limit names where it comes from', () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      expect(profile.bytesPerMB.source).not.toBe('');
      for (const section of [profile.image, profile.video, profile.audio, profile.request]) {
        for (const [key, limit] of Object.entries(section)) expect([key, typeof limit.source === 'string' && limit.source.length > 10]).toEqual([key, true]);
      }
    }
  });

  it('strict-927k differs from seed only in its name, description and pixel cap', () => {
    const strict = BUILTIN_PROFILES['strict-927k']!;
    expect(strict.name).toBe('strict-927k');
    expect(strict.video.pixels).toEqual({ value: { min: 409_600, max: 927_408 }, source: 'docs/LIMITS.md#video.pixels; reading "Pixel cap": a later revision gives 927,408 (834×1112) for 480p/720p output' });
    const expected = structuredClone(limitsOf(SEED_PROFILE));
    expected.video.pixels = strict.video.pixels;
    expect(limitsOf(strict)).toEqual(expected);
  });
});

describe('loadProfile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('no name: the seed profile', async () => {
    expect(await loadProfile(undefined)).toBe(SEED_PROFILE);
    expect(await loadProfile('')).toBe(SEED_PROFILE);
  });

  it('built-in names', async () => {
    expect(await loadProfile('seed')).toBe(SEED_PROFILE);
    const strict = await loadProfile('strict-927k');
    expect(strict).toBe(BUILTIN_PROFILES['strict-927k']);
    expect(strict.video.pixels.value).toEqual({ min: 409_600, max: 927_408 });
  });

  it('a JSON file of overrides on top of a built-in profile', async () => {
    const path = join(dir, 'mine.json');
    await writeFile(path, JSON.stringify({ extends: 'strict-927k', name: 'mine', video: { fps: { max: 30 } }, request: { maxImages: { value: 4, source: 'our account' } } }));
    const profile = await loadProfile(path);
    expect(profile.name).toBe('mine');
    expect(profile.description).toBe(`${BUILTIN_PROFILES['strict-927k']!.description}, with overrides from ${path}`);
    expect(profile.video.fps).toEqual({ value: { min: 24, max: 30 }, source: `profile file ${path}` });
    expect(profile.request.maxImages).toEqual({ value: 4, source: 'our account' });
    expect(profile.video.pixels.value).toEqual({ min: 409_600, max: 927_408 });
    // the built-ins stay as they were
    expect(SEED_PROFILE.video.fps.value).toEqual({ min: 24, max: 60 });
    expect(BUILTIN_PROFILES['strict-927k']!.video.fps.value).toEqual({ min: 24, max: 60 });
    expect(BUILTIN_PROFILES['strict-927k']!.request.maxImages.value).toBe(9);
  });

  it("a profile file's sources stay as its author wrote them, whatever they cite", async () => {
    const path = join(dir, 'cites.json');
    const sources = { old: 'LIMITS.md ambiguity "Pixel cap": later revision, 834×1112', contract: 'https://example.com/contract#limits' };
    await writeFile(path, JSON.stringify({ video: { pixels: { value: { max: 927_408 }, source: sources.old } }, image: { maxBytes: { value: 10_000_000, source: sources.contract } } }));
    const profile = await loadProfile(path);
    expect([profile.video.pixels.source, profile.image.maxBytes.source]).toEqual([sources.old, sources.contract]);
    // the limits it does not name keep the built-in citation
    expect(profile.video.fps.source).toBe(SEED_PROFILE.video.fps.source);
    expect(profile.video.fps.source).toBe('docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS');
  });

  it('a file that does not exist', async () => {
    const path = join(dir, 'nope.json');
    await expect(loadProfile(path)).rejects.toThrow(new ProfileError(`profile ${path}: no such file; give a JSON file or one of: ${KNOWN}`));
    await expect(loadProfile(path)).rejects.toBeInstanceOf(ProfileError);
  });

  it('a directory', async () => {
    await expect(loadProfile(dir)).rejects.toThrow(`profile ${dir}: it is a directory, not a regular file; give a JSON file or one of: ${KNOWN}`);
  });

  it('a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "video": ');
    const error = await loadProfile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).name).toBe('ProfileError');
    expect((error as Error).message).toMatch(new RegExp(`^profile ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON \\(.+\\)$`));
  });

  it('a JSON file whose overrides are wrong', async () => {
    const path = join(dir, 'wrong.json');
    await writeFile(path, JSON.stringify({ video: { fps: { max: 'sixty' } } }));
    await expect(loadProfile(path)).rejects.toThrow(new ProfileError(`profile ${path}: "video.fps" must be an object with "min" and/or "max" numbers`));
  });
});

describe('applyOverrides', () => {
  it('an empty document: a copy of seed named after its origin', () => {
    const profile = applyOverrides({}, ORIGIN);
    expect(profile).not.toBe(SEED_PROFILE);
    expect(profile.name).toBe(ORIGIN);
    expect(profile.description).toBe(`${SEED_PROFILE.description}, with overrides from ${ORIGIN}`);
    expect(limitsOf(profile)).toEqual(limitsOf(SEED_PROFILE));
    // a deep copy: changing it leaves seed alone
    profile.video.fps.value.max = 1;
    expect(SEED_PROFILE.video.fps.value.max).toBe(60);
  });

  it('"extends", "name" and "description"', () => {
    const profile = applyOverrides({ extends: 'strict-927k', name: 'team', description: 'our limits' }, ORIGIN);
    expect([profile.name, profile.description, profile.video.pixels.value.max]).toEqual(['team', 'our limits', 927_408]);
    // a name that is not a string falls back to the origin
    expect(applyOverrides({ name: 7 }, ORIGIN).name).toBe(ORIGIN);
    expect(applyOverrides({ extends: null }, ORIGIN).video.pixels.value.max).toBe(2_086_876);
  });

  const cases: Array<[string, Record<string, unknown>, (p: Profile) => unknown, unknown]> = [
    ['bytesPerMB as a number', { bytesPerMB: 1_048_576 }, (p) => p.bytesPerMB, { value: 1_048_576, source: `profile file ${ORIGIN}` }],
    ['bytesPerMB with its source', { bytesPerMB: { value: 1_048_576, source: 'binary MB' } }, (p) => p.bytesPerMB, { value: 1_048_576, source: 'binary MB' }],
    ['a range: max only, min kept', { video: { pixels: { max: 927_408 } } }, (p) => p.video.pixels, { value: { min: 409_600, max: 927_408 }, source: `profile file ${ORIGIN}` }],
    ['a range: min only, max kept', { video: { fps: { min: 15 } } }, (p) => p.video.fps.value, { min: 15, max: 60 }],
    ['a range: min may be 0', { video: { duration: { min: 0 } } }, (p) => p.video.duration.value, { min: 0, max: 15 }],
    ['a range with value and source', { video: { pixels: { value: { min: 1, max: 2 }, source: 'mine' } } }, (p) => p.video.pixels, { value: { min: 1, max: 2 }, source: 'mine' }],
    ['a list', { image: { formats: ['jpeg', 'png'] } }, (p) => p.image.formats.value, ['jpeg', 'png']],
    ['a number', { request: { maxImages: 4 } }, (p) => p.request.maxImages.value, 4],
    ['a fractional number', { video: { durationTolerance: 0.25 } }, (p) => p.video.durationTolerance.value, 0.25],
    ['64 MB relaxed', { request: { totalMediaBytes: 200_000_000 } }, (p) => p.request.totalMediaBytes.value, 200_000_000],
  ];
  it.each(cases)('%s', (_name, data, pick, expected) => {
    expect(pick(applyOverrides(data, ORIGIN))).toEqual(expected);
  });

  it('leaves every other limit as the base has it', () => {
    const profile = applyOverrides({ video: { pixels: { max: 927_408 } } }, ORIGIN);
    const expected = structuredClone(limitsOf(SEED_PROFILE));
    expected.video.pixels = { value: { min: 409_600, max: 927_408 }, source: `profile file ${ORIGIN}` };
    expect(limitsOf(profile)).toEqual(expected);
  });

  const errors: Array<[string, unknown, string]> = [
    ['null', null, 'expected a JSON object'],
    ['an array', [], 'expected a JSON object'],
    ['a string', 'seed', 'expected a JSON object'],
    ['an unknown base', { extends: 'loose' }, `"extends" must be one of ${KNOWN}`],
    ['a base that is not a string', { extends: 3 }, `"extends" must be one of ${KNOWN}`],
    ['an unknown key', { videos: {} }, 'unknown key "videos"; known: bytesPerMB, image, video, audio, request'],
    ['"constructor" at the top', { constructor: { a: 1 } }, 'unknown key "constructor"; known: bytesPerMB, image, video, audio, request'],
    ['"toString" at the top', { toString: {} }, 'unknown key "toString"; known: bytesPerMB, image, video, audio, request'],
    ['a section that is not an object', { image: 5 }, '"image" must be an object of limits'],
    ['a section that is an array', { image: [] }, '"image" must be an object of limits'],
    ['an unknown limit', { image: { maxSize: 1 } }, 'unknown limit "image.maxSize"; known: formats, side, aspectRatio, maxBytes'],
    ['"constructor" as a limit', { image: { constructor: { min: 1 } } }, 'unknown limit "image.constructor"; known: formats, side, aspectRatio, maxBytes'],
    ['"hasOwnProperty" as a limit', { video: { hasOwnProperty: 1 } }, 'unknown limit "video.hasOwnProperty"; known: formats, codecs, riskyCodecs, audioCodecs, duration, aspectRatio, side, pixels, maxPixelsUpTo720p, maxBytes, fps, durationTolerance'],
    ['a negative number', { image: { maxBytes: -1 } }, '"image.maxBytes" must be a positive number'],
    ['zero', { bytesPerMB: 0 }, '"bytesPerMB" must be a positive number'],
    ['a number as text', { request: { maxImages: '9' } }, '"request.maxImages" must be a positive number'],
    ['an empty list', { image: { formats: [] } }, '"image.formats" must be a list of strings'],
    ['a list of numbers', { image: { formats: [1] } }, '"image.formats" must be a list of strings'],
    ['a list as a string', { audio: { formats: 'mp3' } }, '"audio.formats" must be a list of strings'],
    ['a range as a number', { video: { fps: 30 } }, '"video.fps" must be an object with "min" and/or "max" numbers'],
    ['a range with an unknown key', { video: { fps: { mid: 30 } } }, '"video.fps" must be an object with "min" and/or "max" numbers'],
    ['a range with a negative min', { video: { fps: { min: -1 } } }, '"video.fps" must be an object with "min" and/or "max" numbers'],
    ['a range with max 0', { video: { fps: { max: 0 } } }, '"video.fps" must be an object with "min" and/or "max" numbers'],
  ];
  it.each(errors)('refuses %s', (_name, data, message) => {
    expect(() => applyOverrides(data, ORIGIN)).toThrow(new ProfileError(`profile ${ORIGIN}: ${message}`));
  });

  it('a "__proto__" key from JSON neither passes nor reaches Object.prototype', () => {
    const top = JSON.parse('{"__proto__": {"hasOwnProperty": {"min": 1}}}') as unknown;
    expect(() => applyOverrides(top, ORIGIN)).toThrow(new ProfileError(`profile ${ORIGIN}: unknown key "__proto__"; known: bytesPerMB, image, video, audio, request`));
    const nested = JSON.parse('{"image": {"__proto__": {"min": 1}}}') as unknown;
    expect(() => applyOverrides(nested, ORIGIN)).toThrow(new ProfileError(`profile ${ORIGIN}: unknown limit "image.__proto__"; known: formats, side, aspectRatio, maxBytes`));
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
    expect(Object.getPrototypeOf(SEED_PROFILE.image)).toBe(Object.prototype);
  });
});

describe('applyOverrides: ranges stay ordered', () => {
  it('refuses a range whose min ends above its max', () => {
    expect(() => applyOverrides({ video: { fps: { min: 70 } } }, 'p.json')).toThrow('profile p.json: "video.fps" has min above max');
  });
});
