import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { aspectKeptFindings, independentCheck, independentCheckerMissing, type IndependentResult } from '../helpers/independent-check.js';
import { writeGenerated } from './generated.js';

// the checker the invariant leans on must itself catch what it is there to catch
const missing = independentCheckerMissing();
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (missing && !required) console.log(`independent checker tests skipped: ${missing}`);

describe.runIf(!missing || required)('independentCheck (Debian ffprobe, LIMITS.md constants)', () => {
  const cases: Array<[string, Omit<IndependentResult, 'displayedAspect'> & { displayedAspect: number | null }]> = [
    ['valid-854x480-30fps.mp4', { kind: 'video', format: 'mp4', displayedAspect: 854 / 480, findings: [] }],
    ['fps-15.mp4', { kind: 'video', format: 'mp4', displayedAspect: 854 / 480, findings: [{ rule: 'video.fps', detail: 'average frame rate 15/1 (15 fps), outside 24–60' }] }],
    ['rotated-90-854x480.mp4', { kind: 'video', format: 'mp4', displayedAspect: 480 / 854, findings: [] }],
    ['long-16s.mp4', { kind: 'video', format: 'mp4', displayedAspect: 854 / 480, findings: [{ rule: 'video.duration', detail: 'container 16 s, video stream 16 s, longest stream 16 s: longer than 15 s' }] }],
    ['prores.mov', { kind: 'video', format: 'mp4', displayedAspect: 854 / 480, findings: [{ rule: 'video.codec', detail: 'video codec prores, not one of h264, hevc' }] }],
    ['wide-3000x1000.png', { kind: 'image', format: 'png', displayedAspect: 3, findings: [{ rule: 'image.aspect_ratio', detail: '3000×1000 as displayed is 3, outside 0.4–2.5' }] }],
    ['exif-orientation-6.jpg', { kind: 'image', format: 'jpeg', displayedAspect: 480 / 640, findings: [] }],
    ['png-named.jpg', { kind: 'image', format: 'png', displayedAspect: 1, findings: [{ rule: 'file.extension_mismatch', detail: 'named .jpg but the bytes are png' }] }],
    ['tone.flac', { kind: 'audio', format: 'flac', displayedAspect: null, findings: [{ rule: 'audio.format', detail: 'format flac (flac), not one of wav, mp3' }] }],
    ['short-1s.wav', { kind: 'audio', format: 'wav', displayedAspect: null, findings: [{ rule: 'audio.duration', detail: 'container 1 s, audio stream 1 s, longest stream 1 s: shorter than 2 s' }] }],
  ];
  it.each(cases)('%s', async (name, expected) => {
    expect(await independentCheck(fixture(name))).toEqual(expected);
  });

  it('a file it cannot read is a finding, not a crash', async () => {
    const result = await independentCheck(fixture('text-named.mp4'));
    expect(result).toMatchObject({ kind: null, format: null, displayedAspect: null });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.rule).toBe('file.readable');
    expect(result.findings[0]!.detail).toMatch(/^Debian's ffprobe cannot read it: .*moov atom not found$/);
  });

  describe('on generated media', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir('sp-independent-'));
      await writeGenerated(dir, ['anamorphic-sar2-640x360.mp4', 'exif-6-2000x600.jpg']);
    });
    afterAll(() => cleanup());

    it('reads the sample aspect ratio: 640×360 at SAR 2:1 is shown 1280×360', async () => {
      expect(await independentCheck(join(dir, 'anamorphic-sar2-640x360.mp4'))).toEqual({
        kind: 'video',
        format: 'mp4',
        displayedAspect: 1280 / 360,
        findings: [{ rule: 'video.aspect_ratio', detail: '1280×360 as displayed is 3.556, outside 0.4–2.5' }],
      });
    });

    it('reads EXIF orientation 6: 2000×600 stored is shown 600×2000', async () => {
      expect(await independentCheck(join(dir, 'exif-6-2000x600.jpg'))).toEqual({
        kind: 'image',
        format: 'jpeg',
        displayedAspect: 0.3,
        findings: [{ rule: 'image.aspect_ratio', detail: '600×2000 as displayed is 0.3, outside 0.4–2.5' }],
      });
    });
  });
});

describe('aspectKeptFindings: the displayed shape is kept, or brought to the nearest allowed one', () => {
  const shaped = (kind: 'image' | 'video', displayedAspect: number): IndependentResult => ({ kind, format: 'x', displayedAspect, findings: [] });
  const cases: Array<[string, number, number, string | null]> = [
    ['kept exactly', 16 / 9, 16 / 9, null],
    ['even sides move it a little (1001×721 → 1000×720)', 1001 / 721, 1000 / 720, null],
    ['too wide, padded to 2.5', 3.2, 2.5, null],
    ['too tall, padded to 0.4', 0.3, 0.4, null],
    ['squeezed: 32:9 shown as 16:9', 32 / 9, 16 / 9, 'displayed shape 1.778, but the source shows 3.556 (expected 2.5): the picture is squeezed or stretched'],
    ['stretched: 4:3 shown as 16:9', 4 / 3, 16 / 9, 'displayed shape 1.778, but the source shows 1.333 (expected 1.333): the picture is squeezed or stretched'],
  ];
  it.each(cases)('%s', (_name, source, output, detail) => {
    expect(aspectKeptFindings(shaped('video', source), shaped('video', output))).toEqual(detail ? [{ rule: 'video.aspect_ratio', detail }] : []);
  });

  it('says nothing about audio', () => {
    expect(aspectKeptFindings({ kind: 'audio', format: 'mp3', displayedAspect: null, findings: [] }, { kind: 'audio', format: 'mp3', displayedAspect: null, findings: [] })).toEqual([]);
  });
});
