import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { renderViolation } from '../../src/text/violation-text.js';
import { fixTargets, type FixedFileReport } from '../../src/pipeline/fix-targets.js';
import type { AudioInfo, ImageInfo, MediaInfo } from '../../src/probe/media-info.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { runProcess } from '../../src/shared/spawn.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { writeBombPng, writeFlatJpeg, writeFlatWebp } from '../helpers/generated-media.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-fix-still-')));
afterAll(() => cleanup());

let runs = 0;
/** What check says of one file, as [rule, severity, fixable, the sentence the CLI prints] rows. */
async function checked(path: string): Promise<Array<[string, string, boolean, string]>> {
  const probe = await probeFile(path);
  if (!probe.ok) throw new Error(`${path}: ${probe.failure.detail}`);
  return checkMedia(probe.info, SEED_PROFILE).map((v) => [v.rule, v.severity, v.fixable, renderViolation(v)]);
}

/** Fixes one file into a fresh folder. */
async function fixReport(source: string): Promise<FixedFileReport> {
  const outcome = await fixTargets({ paths: [source], outDir: join(dir, `out-${++runs}`), profile: SEED_PROFILE });
  return outcome.jobs[0]!.files[0]!;
}

/** Fixes one file; the output must probe again and break no rule (errors or warnings). */
async function fixed<T extends MediaInfo>(source: string): Promise<{ file: FixedFileReport; info: T }> {
  const file = await fixReport(source);
  expect([file.ok, file.error]).toEqual([true, null]);
  const probe = await probeFile(file.output!);
  if (!probe.ok) throw new Error(`output does not probe: ${probe.failure.detail}`);
  expect(checkMedia(probe.info, SEED_PROFILE)).toEqual([]);
  return { file, info: probe.info as T };
}

/** Debian's ffprobe (not the tool's): the output's codec and its length, read independently. */
async function debianAudio(path: string): Promise<{ codec: string; seconds: number }> {
  const { stdout } = await runProcess('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', `file:${path}`]);
  const data = JSON.parse(stdout) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
  return { codec: data.streams[0]!.codec_name, seconds: Number(data.format.duration) };
}

describe('images: check and fix agree', () => {
  it('HEIC: converted through heic-decode (the prebuilt sharp has no HEVC), upright as displayed', async () => {
    expect(await checked(fixture('heic-orientation-6.heic'))).toEqual([
      ['image.format', 'error', true, `${fixture('heic-orientation-6.heic')}: format is HEIC; allowed: one of jpeg, png, webp (rule image.format). Fix: convert to JPEG (seedance-preflight fix does this).`],
    ]);
    const { file, info } = await fixed<ImageInfo>(fixture('heic-orientation-6.heic'));
    expect(file.actions).toEqual([{ rule: 'image.format', what: 'HEIC → JPEG', before: 'heic', after: 'jpeg' }]);
    expect([info.format, info.width, info.height, info.orientation]).toEqual(['jpeg', 480, 640, 1]);
    // the red block stored top-left is shown top-right once irot turns the picture a quarter clockwise
    const { data } = await sharp(file.output!).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 3)];
    expect(at(470, 10).map((c) => Math.round(c / 32))).toEqual([8, 0, 0]);
    expect(at(10, 10).map((c) => Math.round(c / 32))).toEqual([2, 3, 5]);
  });

  it.each([
    ['layers.psd', 'PSD → JPEG', 'psd', 400, 300],
    ['image.jp2', 'JP2 → JPEG', 'jp2', 640, 480],
  ])('%s: decoded by the bundled ffmpeg, converted (%s)', async (name, what, format, width, height) => {
    const { file, info } = await fixed<ImageInfo>(fixture(name));
    expect(file.actions[0]).toEqual({ rule: 'image.format', what, before: format, after: 'jpeg' });
    expect([info.format, info.width, info.height]).toEqual(['jpeg', width, height]);
  });

  it('an RLE PSD the bundled ffmpeg cannot decode: check tries the decode and calls it unfixable, and fix agrees', async () => {
    expect(await checked(fixture('psd-rle.psd'))).toEqual([
      ['image.format', 'error', false, `${fixture('psd-rle.psd')}: format is PSD; allowed: one of jpeg, png, webp (rule image.format). To do: the PSD decoder here cannot read it (Not enough data for rle scanline): export it as JPEG or PNG.`],
    ]);
    const file = await fixReport(fixture('psd-rle.psd'));
    expect([file.mode, file.output, file.error]).toEqual(['unfixable', null, 'not fixable: the PSD decoder here cannot read it (Not enough data for rle scanline): export it as JPEG or PNG (rule image.format)']);
  });

  it('JPEG XL: check calls it unfixable with the reason, and fix writes nothing', async () => {
    expect(await checked(fixture('image.jxl'))).toEqual([
      ['image.format', 'error', false, `${fixture('image.jxl')}: format is JXL; allowed: one of jpeg, png, webp (rule image.format). To do: no decoder for jpegxl here: export it as JPEG or PNG.`],
    ]);
    const file = await fixReport(fixture('image.jxl'));
    expect([file.mode, file.ok, file.output, file.error]).toEqual(['unfixable', false, null, 'not fixable: no decoder for jpegxl here: export it as JPEG or PNG (rule image.format)']);
  });

  it('CMYK JPEG: a warning in check; fix writes sRGB', async () => {
    expect(await checked(fixture('cmyk.jpg'))).toEqual([
      ['image.color_space', 'warning', true, `${fixture('cmyk.jpg')}: colours are CMYK (made for print): screens and decoders that expect RGB show them wrong; allowed: one of srgb (rule image.color_space). Fix: convert to sRGB (seedance-preflight fix does this).`],
    ]);
    const { file, info } = await fixed<ImageInfo>(fixture('cmyk.jpg'));
    expect(file.actions).toEqual([{ rule: 'image.color_space', what: 'colours CMYK → sRGB', before: 'cmyk', after: 'srgb' }]);
    expect([info.format, info.colorSpace, info.width, info.height]).toEqual(['jpeg', 'srgb', 640, 480]);
    expect((await sharp(file.output!).metadata()).channels).toBe(3);
  });

  it('a 20,000 × 14,000 JPEG (280 MP) is fixed with bounded memory: shrunk while loading, then scaled to 6,000 px', async () => {
    const path = join(dir, 'panorama.jpg');
    await writeFlatJpeg(path, 20_000, 14_000);
    expect((await checked(path)).map(([rule, severity, fixable]) => [rule, severity, fixable])).toEqual([
      ['image.dimensions', 'error', true],
      ['image.dimensions', 'error', true],
    ]);
    const before = process.memoryUsage().rss;
    const { info } = await fixed<ImageInfo>(path);
    expect([info.format, info.width, info.height]).toEqual(['jpeg', 6000, 4200]);
    // a whole decode holds 840 MB of pixels; shrunk by 2 while loading it is a quarter of that
    expect(process.memoryUsage().rss - before).toBeLessThan(500 * 1024 * 1024);
  }, 120_000);

  it.each([
    ['a 16,000 × 9,000 WebP (144 MP: WebP is decoded whole)', 'huge.webp', (path: string) => writeFlatWebp(path, 16_000, 9_000), 'at 16000×9000 (144 MP) it is past the decoding bound of 100 MP (only a JPEG can be shrunk while loading)'],
    ['a 30,000 × 30,000 PNG (900 MP)', 'bomb.png', (path: string) => writeBombPng(path), 'at 30000×30000 (900 MP) it is past the decoding bound of 100 MP (only a JPEG can be shrunk while loading)'],
  ])('%s: check raises file.too_large_to_decode, and fix agrees', async (_name, file, make, problem) => {
    const path = join(dir, file);
    await make(path);
    const rows = await checked(path);
    expect(rows[0]).toEqual(['file.too_large_to_decode', 'error', false, `${path}: ${problem}; allowed: at most 100,000,000 pixels (rule file.too_large_to_decode). To do: export the image again at most 6,000 px a side.`]);
    // what else it breaks cannot be fixed either
    expect(rows.slice(1).map(([rule, , fixable]) => [rule, fixable])).toEqual([['image.dimensions', false], ['image.dimensions', false]]);
    const report = await fixReport(path);
    expect([report.mode, report.output, report.error]).toEqual(['unfixable', null, 'not fixable: export the image again at most 6,000 px a side (rule file.too_large_to_decode)']);
  }, 60_000);
});

describe('audio: check and fix agree', () => {
  it('ID3-tagged ADTS AAC: judged 16.07 s (counted), converted to MP3 and trimmed to 14.9 s', async () => {
    const rows = await checked(fixture('id3-adts-16s.aac'));
    expect(rows.map(([rule]) => rule)).toEqual(['audio.format', 'audio.duration']);
    expect(rows[1]![3]).toBe(`${fixture('id3-adts-16s.aac')}: lasts 16.07 s (counted from its packets; its header says 9.17 s); allowed: 2–15 s (rule audio.duration). Fix: trim to 15 s (seedance-preflight fix does this).`);
    const { file, info } = await fixed<AudioInfo>(fixture('id3-adts-16s.aac'));
    expect(file.actions.map((a) => a.what)).toEqual(['AAC → MP3', 'trim 16.07 s → 14.9 s (from the start)']);
    expect(await debianAudio(file.output!)).toEqual({ codec: 'mp3', seconds: info.duration });
    expect(info.duration).toBeGreaterThanOrEqual(14.9);
    expect(info.duration).toBeLessThan(15);
  });

  it('a cut-short MP3 announcing 247 s: damaged, and 0.36 s is too little to extend: not fixable, no silence padded onto it', async () => {
    expect(await checked(fixture('truncated-247s.mp3'))).toEqual([['file.damaged', 'error', false, `${fixture('truncated-247s.mp3')}: damaged: the header says 247.07 s but 0.37 s decodes: the file was cut off; its Info header states 9,458 frames (247.066 s) in 247,248 bytes, but the file holds 555 bytes, and its frames last 0.366 s (rule file.damaged). To do: export it again (0.36 s is too little to extend: fix needs at least 1 s that decodes).`]]);
    const file = await fixReport(fixture('truncated-247s.mp3'));
    expect([file.ok, file.output]).toEqual([false, null]);
  });

  it('1.73 s of E-AC-3: converted to MP3 and extended to the length planned (2.1 s), not 0.62 s', async () => {
    const { file, info } = await fixed<AudioInfo>(fixture('short-1.73s.eac3'));
    expect(file.actions.map((a) => a.what)).toEqual(['AC3 → MP3', 'extend 1.76 s → 2.1 s with silence']);
    const independent = await debianAudio(file.output!);
    expect(independent.codec).toBe('mp3');
    expect(independent.seconds).toBeGreaterThanOrEqual(2.1);
    expect(independent.seconds).toBeLessThan(2.2);
    expect(info.duration).toBe(independent.seconds);
  });

  it('an MP3 behind zero bytes conforms: copied as it is', async () => {
    expect(await checked(fixture('zero-padded.mp3'))).toEqual([]);
    const { file } = await fixed<AudioInfo>(fixture('zero-padded.mp3'));
    expect([file.mode, file.actions]).toEqual(['copy', []]);
  });

  it.each([
    ['tone.aiff', 'AIFF → MP3'],
    ['rf64.wav', 'RF64 → MP3'],
    ['tone.wv', 'WAVPACK → MP3'],
  ])('%s is audio in a format not taken: converted (%s)', async (name, what) => {
    expect((await checked(fixture(name))).map(([rule, severity, fixable]) => [rule, severity, fixable])).toEqual([['audio.format', 'error', true]]);
    const { file, info } = await fixed<AudioInfo>(fixture(name));
    expect(file.actions).toEqual([{ rule: 'audio.format', what, before: what.split(' ')[0]!.toLowerCase(), after: 'mp3' }]);
    expect(await debianAudio(file.output!)).toEqual({ codec: 'mp3', seconds: info.duration });
  });

  it.each([
    ['gsm.wav', 'gsm_ms'],
    ['alaw.wav', 'pcm_alaw'],
    ['adpcm.wav', 'adpcm_ms'],
    ['mp3-in.wav', 'mp3'],
  ])('%s: a WAV holding %s warns, and fix writes PCM WAV', async (name, codec) => {
    expect(await checked(fixture(name))).toEqual([
      ['audio.codec', 'warning', true, `${fixture(name)}: the WAV holds ${codec} audio, not PCM: decoders that expect a plain WAV may reject it; allowed: one of pcm (rule audio.codec). Fix: convert to PCM WAV (seedance-preflight fix does this).`],
    ]);
    const { file, info } = await fixed<AudioInfo>(fixture(name));
    expect(file.actions).toEqual([{ rule: 'audio.codec', what: `${codec} in WAV → PCM WAV`, before: codec, after: 'pcm_s16le' }]);
    expect([info.format, info.audioCodec]).toEqual(['wav', 'pcm_s16le']);
    expect((await debianAudio(file.output!)).codec).toBe('pcm_s16le');
  });

  it('MPEG layer II under a .mp3 name warns, and fix re-encodes it as MP3 (layer III)', async () => {
    const path = fixture('mp2-named.mp3');
    expect(await checked(path)).toEqual([
      ['audio.codec', 'warning', true, `${path}: the file holds MPEG audio layer II, not MP3 (layer III): decoders that expect an MP3 may reject it; allowed: one of mp3 (rule audio.codec). Fix: convert to MP3 (seedance-preflight fix does this).`],
    ]);
    const { file } = await fixed<AudioInfo>(path);
    expect(file.actions).toEqual([{ rule: 'audio.codec', what: 'mp2 → MP3', before: 'mp2', after: 'mp3' }]);
    expect((await debianAudio(file.output!)).codec).toBe('mp3');
  });

  it('a WAV with no samples is unfixable: nothing to extend, no 2 s of silence', async () => {
    expect(await checked(fixture('no-samples.wav'))).toEqual([
      ['audio.duration', 'error', false, `${fixture('no-samples.wav')}: holds no samples (0 s of audio); allowed: 2–15 s (rule audio.duration). To do: nothing to extend: export or record the audio again.`],
    ]);
    const file = await fixReport(fixture('no-samples.wav'));
    expect([file.mode, file.output, file.error]).toEqual(['unfixable', null, 'not fixable: nothing to extend: export or record the audio again (rule audio.duration)']);
  });
});
