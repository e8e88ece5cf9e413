import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderQcFinding } from '../../src/text/qc-text.js';
import { qcResultFile } from '../../src/pipeline/qc-result-file.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { runProcess } from '../../src/shared/spawn.js';
import { fixture, tempDir } from '../helpers/fixtures.js';

let temp: { dir: string; cleanup: () => Promise<void> };
let portraitResult: string;

beforeAll(async () => {
  temp = await tempDir('sp-result-qc-file-');
  // what a provider returns for 720p 9:16, 4 s with sound: made with Debian's ffmpeg, independent of the tool's
  portraitResult = join(temp.dir, 'result 720x1280.mp4');
  await runProcess('/usr/bin/ffmpeg', [
    '-hide_banner', '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=720x1280:rate=24:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', portraitResult,
  ]);
});
afterAll(() => temp?.cleanup());

const REF = 'seedance-2.0-reference-to-video';
const adaptive = { model: REF, prompt: 'video 1 in the style of image 1', video_urls: ['https://cdn.example/v.mp4'], image_urls: ['https://cdn.example/i.jpg'], aspect_ratio: 'adaptive', duration: 4 };

describe('qcResultFile: probes the result, and for adaptive the reference it follows', () => {
  it('a 4 s 720×1280 result for a 4 s 720p 9:16 request: nothing to say', async () => {
    expect(await qcResultFile({ model: REF, prompt: 'p', image_urls: ['https://cdn.example/i.jpg'], duration: 4, aspect_ratio: '9:16' }, portraitResult)).toEqual([]);
  });

  it('adaptive follows the local copy of video 1: portrait matches, landscape does not', async () => {
    const local = (video: string) => ({ localPathOf: (url: string) => (url === adaptive.video_urls[0] ? fixture(video) : url === adaptive.image_urls[0] ? fixture('landscape-1280x720.jpg') : null) });
    expect(await qcResultFile(adaptive, portraitResult, local('portrait-480x854.mp4'))).toEqual([]);
    // a display matrix counts: 854×480 stored, turned 90°, is shown 480×854
    expect(await qcResultFile(adaptive, portraitResult, local('rotated-90-854x480.mp4'))).toEqual([]);
    expect((await qcResultFile(adaptive, portraitResult, local('valid-854x480-30fps.mp4'))).map(renderQcFinding)).toEqual([
      'result is 720×1280; the request asked for 720p adaptive, which is 1280×720 (16:9, following video 1 at 854×480)',
    ]);
  });

  it('adaptive with a remote video 1 (no local copy): the size is not compared, the rest is', async () => {
    const findings = await qcResultFile({ ...adaptive, duration: 10 }, portraitResult, { localPathOf: () => null });
    expect(findings.map((f) => f.check)).toEqual(['duration']);
  });

  it('a result that is not a video at all', async () => {
    for (const name of ['no-moov.mp4', 'text-named.mp4']) {
      const probed = await probeFile(fixture(name));
      const detail = probed.ok ? '' : probed.failure.detail;
      expect(detail).not.toBe('');
      expect(await qcResultFile({ model: REF, prompt: 'p' }, fixture(name))).toEqual([{ check: 'video', severity: 'warning', holds: null, detail }]);
    }
  });
});
