import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { displayedPixels } from '../../src/probe/displayed-pixels.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { ffmpeg } from '../helpers/make-media.js';

describe('displayedPixels: the exact displayed area, rounded once', () => {
  it.each([
    ['640×480 at 4:3 (shown 853⅓×480): the 480p minimum exactly', { storedWidth: 640, storedHeight: 480, sampleAspectRatio: 4 / 3 }, 409_600],
    ['638×480 at 4:3 (shown 850⅔×480)', { storedWidth: 638, storedHeight: 480, sampleAspectRatio: 4 / 3 }, 408_320],
    ['720×480 at 8:9 (NTSC 4:3)', { storedWidth: 720, storedHeight: 480, sampleAspectRatio: 8 / 9 }, 307_200],
    ['1440×1080 at 4:3 (HDV)', { storedWidth: 1440, storedHeight: 1080, sampleAspectRatio: 4 / 3 }, 2_073_600],
    ['square pixels', { storedWidth: 854, storedHeight: 480, sampleAspectRatio: 1 }, 409_920],
  ])('%s', (_name, info, pixels) => {
    expect(displayedPixels(info)).toBe(pixels);
  });
});

describe('video.pixels judges the exact displayed size of anamorphic video (real files)', () => {
  let dir: { dir: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.cleanup());

  async function anamorphic(name: string, width: number): Promise<string[]> {
    const path = join(dir.dir, name);
    await ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${width}x480:rate=24`, '-t', '2.5', '-vf', 'setsar=4/3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path]);
    const probed = await probeFile(path, {});
    if (!probed.ok) throw new Error(probed.failure.detail);
    return checkMedia(probed.info, SEED_PROFILE).map((v) => `${v.rule} ${v.actual}: ${v.problem}; ${v.fix}`);
  }

  it('640×480 at 4:3 is 409,600 pixels as displayed: it passes (its rounded width, 853, gave 409,440 and failed)', async () => {
    expect(await anamorphic('sar-640.mp4', 640)).toEqual([]);
  });

  it('638×480 at 4:3 is 408,320 pixels: under the minimum', async () => {
    expect(await anamorphic('sar-638.mp4', 638)).toEqual([
      'video.pixels 408320: frame is 851×480 (stored 638×480, pixels 1.33× as wide as tall) = 408,320 pixels; scale up, keeping the aspect ratio',
    ]);
  });
});
