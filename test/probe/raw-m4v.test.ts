import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { planFix } from '../../src/normalize/plan-fix.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { DEBIAN_FFPROBE } from '../helpers/independent-check.js';
import { DEBIAN_FFMPEG } from '../helpers/make-media.js';

/** A raw MPEG-4 Part 2 stream (.m4v, no container: ffmpeg -f m4v) is video, read by ffprobe, and fix makes an H.264 MP4 of it. */
const run = promisify(execFile);
const debianMissing = existsSync(DEBIAN_FFMPEG) && existsSync(DEBIAN_FFPROBE) ? null : `${DEBIAN_FFMPEG} or ${DEBIAN_FFPROBE} is not installed (apt-get install ffmpeg)`;
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (debianMissing && !required) console.log(`raw .m4v tests skipped: ${debianMissing}`);

let dir: string;
let cleanup: (() => Promise<void>) | undefined;
let clip: string;

describe.runIf(!debianMissing || required)('raw MPEG-4 Part 2 video (.m4v)', () => {
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('sp-m4v-'));
    clip = join(dir, 'clip.m4v');
    // 3 s at 20 fps, 640×480: the container, codec, frame size and rate all need fixing
    await run(DEBIAN_FFMPEG, ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=20', '-t', '3', '-c:v', 'mpeg4', '-f', 'm4v', clip]);
  }, 60_000);
  afterAll(() => cleanup?.());

  it('check: video in no container, every error fixable', async () => {
    const probe = await probeFile(clip);
    expect(probe.ok && probe.info.kind === 'video' ? [probe.info.format, probe.info.videoCodec, probe.info.width, probe.info.height, probe.info.fps, probe.info.duration] : probe).toEqual(['m4v', 'mpeg4', 640, 480, 20, null]);
    const violations = probe.ok ? checkMedia(probe.info, SEED_PROFILE) : [];
    expect(violations.map((v) => [v.rule, v.severity, v.actual, v.fixable, v.problem])).toEqual([
      ['video.format', 'error', 'm4v', true, 'container is none (a raw MPEG-4 video stream)'],
      ['video.codec', 'error', 'mpeg4', true, 'video codec is mpeg4, which the provider may not decode'],
      ['video.pixels', 'error', 307200, true, 'frame is 640×480 = 307,200 pixels'],
      ['video.duration', 'warning', null, true, 'duration cannot be determined'],
      ['video.fps', 'error', 20, true, 'frame rate is 20 fps (measured from packet timestamps)'],
    ]);
    const plan = planFix(probe, violations, SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });
    expect([plan.type, plan.mode, plan.actions.map((a) => a.what)]).toEqual(['video', 'reencode', ['container M4V → MP4', 'scale up 640×480 → 740×554', 're-encode mpeg4 → H.264', 'frame rate 20 → 24 fps']]);
  });

  it('fix writes an H.264 MP4 that Debian ffprobe reads: 3 s, 72 frames at 24 fps, 740×554', async () => {
    const fixed = await fixTargets({ paths: [clip], profile: SEED_PROFILE, outDir: join(dir, 'out'), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.error, file.mode]).toEqual([true, null, 'reencode']);
    const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,nb_read_frames:format=format_name,duration', '-of', 'json', file.output!]);
    const seen = JSON.parse(stdout) as { streams: unknown[]; format: { format_name: string; duration: string } };
    expect([seen.streams, seen.format.format_name, Number(seen.format.duration)]).toEqual([[{ codec_name: 'h264', width: 740, height: 554, avg_frame_rate: '24/1', nb_read_frames: '72' }], 'mov,mp4,m4a,3gp,3g2,mj2', 3]);
    const again = await probeFile(file.output!);
    expect(again.ok ? checkMedia(again.info, SEED_PROFILE).map((v) => v.rule) : again).toEqual([]);
  }, 120_000);
});
