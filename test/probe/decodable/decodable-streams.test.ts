import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia, checkProbeFailure } from '../../../src/check/file-rules.js';
import { planFix } from '../../../src/normalize/plan-fix.js';
import { fixTargets } from '../../../src/pipeline/fix-targets.js';
import { probeFile } from '../../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../../src/spec/seed-profile.js';
import { tempDir } from '../../helpers/fixtures.js';
import { DEBIAN_FFPROBE } from '../../helpers/independent-check.js';
import { UNDECODABLE, writeUndecodable } from './undecodable-media.js';

/**
 * Fixable means decodable (issue 20, item 3), on the files undecodable-media.ts makes: the first decodable video and
 * audio are kept; a file whose video (or an audio file's audio) does not decode is not fixable here, with the reason.
 */
const run = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-decodable-'));
  await writeUndecodable(dir);
}, 120_000);
afterAll(() => cleanup?.());

type Kept = { video: number | null; audio: number | null };
/** [file, streams kept (ffprobe indexes), errors as [rule, actual, fixable, problem, fix], the plan's reason when unfixable]. */
const VERDICTS: Array<[string, Kept | null, Array<[string, unknown, boolean, string, string]>, string | null]> = [
  ['broken-first-audio.mp4', { video: 0, audio: 2 }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
  ['empty-first-audio.mp4', { video: 0, audio: 2 }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
  ['no-audio-description.mp4', { video: 0, audio: null }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
  ['fake-first-video.mp4', { video: 1, audio: 2 }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
  ['no-video-description.mp4', null, [['file.corrupt', 'no-sample-description', false, 'its video track has no sample description (stsd), so nothing says how to decode it', 'export it again']],
    'not fixable here: its video track has no sample description (stsd), so nothing says how to decode it: export it again (rule file.corrupt)'],
  ['empty-video.mp4', null, [['file.corrupt', 'no-samples', false, 'its video track holds no frames', 'export it again']], 'not fixable here: its video track holds no frames: export it again (rule file.corrupt)'],
  ['cover-art-broken-aac.m4a', null, [['file.corrupt', 'no-sample-description', false, 'its audio track has no sample description (stsd), so nothing says how to decode it', 'export it again']],
    'not fixable here: its audio track has no sample description (stsd), so nothing says how to decode it: export it again (rule file.corrupt)'],
  ['reference.mov', null, [['file.corrupt', 'external', false, "the video's frames are in another file (a QuickTime reference movie)", 'export it self-contained']],
    "not fixable here: the video's frames are in another file (a QuickTime reference movie): export it self-contained (rule file.corrupt)"],
];

describe('fixable means decodable: exact verdicts through both readers', () => {
  it('covers every file made, once', () => {
    expect(VERDICTS.map(([name]) => name).sort()).toEqual([...UNDECODABLE].sort());
  });

  it.each(VERDICTS)('%s', async (name, kept, errors, reason) => {
    for (const reader of ['auto', 'ffprobe'] as const) {
      const probe = await probeFile(join(dir, name), { reader });
      const violations = probe.ok ? checkMedia(probe.info, SEED_PROFILE) : [checkProbeFailure(probe.failure)];
      expect(violations.filter((v) => v.severity === 'error').map((v) => [v.rule, v.actual, v.fixable, v.problem, v.fix])).toEqual(errors);
      const plan = planFix(probe, violations, SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });
      if (kept) expect([reader, plan.type === 'video' ? plan.streams : plan.type]).toEqual([reader, kept]);
      else expect([reader, plan.type, plan.type === 'unfixable' ? plan.reason : null]).toEqual([reader, 'unfixable', reason]);
    }
  });

  it('a video whose audio does not decode: check warns under file.corrupt, and the plan says the sound is dropped', async () => {
    for (const reader of ['auto', 'ffprobe'] as const) {
      const probe = await probeFile(join(dir, 'no-audio-description.mp4'), { reader });
      const violations = probe.ok ? checkMedia(probe.info, SEED_PROFILE) : [checkProbeFailure(probe.failure)];
      expect([reader, violations.filter((v) => v.severity === 'warning').map((v) => [v.rule, v.actual, v.fixable, v.problem, v.fix])]).toEqual([reader, [
        ['file.corrupt', 'no-sample-description', true, 'its audio track has no sample description (stsd), so nothing says how to decode it (track 2)', 'export it again to keep its sound; fix drops the track, so the output has no sound'],
      ]]);
      const plan = planFix(probe, violations, SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });
      expect([reader, plan.actions.filter((a) => a.rule === 'file.corrupt'), plan.type === 'video' ? plan.audio : plan.type]).toEqual([reader, [
        { rule: 'file.corrupt', what: 'drop audio track 2: it does not decode here (no sample description); the output has no sound', before: 'audio track 2', after: null },
      ], 'none']);
    }
  });

  it('the files they are made from are read as they were written', async () => {
    const probe = await probeFile(join(dir, 'two-audio.mp4'));
    expect(probe.ok && probe.info.kind === 'video' ? [probe.info.videoStreamIndex, probe.info.audioStreamIndex, probe.info.extraStreams] : probe).toEqual([0, 1, 1]);
  });
});

const debianMissing = existsSync(DEBIAN_FFPROBE) ? null : `${DEBIAN_FFPROBE} is not installed (apt-get install ffmpeg)`;
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (debianMissing && !required) console.log(`decodable-streams fix outputs skipped: ${debianMissing}`);

describe('the fixable ones: fix keeps the streams that decode, and Debian ffprobe reads the output', () => {
  it.runIf(!debianMissing || required).each(['broken-first-audio.mp4', 'empty-first-audio.mp4', 'fake-first-video.mp4'])('%s', async (name) => {
    const fixed = await fixTargets({ paths: [join(dir, name)], profile: SEED_PROFILE, outDir: join(dir, 'out', name), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.error, file.mode]).toEqual([true, null, 'reencode']);
    const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,width,height,avg_frame_rate,nb_read_frames:format=duration', '-of', 'json', file.output!]);
    const seen = JSON.parse(stdout) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    // 3 s at 24 fps of the 720×720 picture, and one AAC track: never the empty or undecodable one
    expect(seen.streams).toEqual([
      { codec_name: 'h264', codec_type: 'video', width: 720, height: 720, avg_frame_rate: '24/1', nb_read_frames: '72' },
      { codec_name: 'aac', codec_type: 'audio', avg_frame_rate: '0/0', nb_read_frames: expect.any(String) },
    ]);
    expect(Number(seen.format.duration)).toBeCloseTo(3, 1);
  }, 120_000);

  it.runIf(!debianMissing || required)('no-audio-description.mp4: the output is the video alone', async () => {
    const fixed = await fixTargets({ paths: [join(dir, 'no-audio-description.mp4')], profile: SEED_PROFILE, outDir: join(dir, 'out', 'no-audio'), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.error, file.mode]).toEqual([true, null, 'reencode']);
    const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,width,height,avg_frame_rate,nb_read_frames', '-of', 'json', file.output!]);
    expect((JSON.parse(stdout) as { streams: unknown[] }).streams).toEqual([{ codec_name: 'h264', codec_type: 'video', width: 720, height: 720, avg_frame_rate: '24/1', nb_read_frames: '72' }]);
  }, 120_000);
});
