import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
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
import { DEBIAN_FFMPEG } from '../../helpers/make-media.js';
import { boxPath, emptyTrack, renameBox, replaceBox } from './mp4-edit.js';

/**
 * Fixable means decodable (issue 20, item 3). Every file here is made by Debian's ffmpeg (20 fps, so fix must re-encode
 * it to 24 fps and map streams), then one box edited (mp4-edit.ts): a sample description renamed 'free', a track's
 * sample tables emptied, a data reference pointing at another file. The first decodable video and audio are kept; a
 * file whose video (or an audio file's audio) does not decode is not fixable here, with the reason.
 */
const run = promisify(execFile);
const STSD = (trak: number) => ['moov', `trak#${trak}`, 'mdia', 'minf', 'stbl', 'stsd'];

let dir: string;
let cleanup: () => Promise<void>;

async function debianFfmpeg(args: string[]): Promise<void> {
  await run(DEBIAN_FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

const clip = ['-f', 'lavfi', '-i', 'testsrc2=size=720x720:rate=20'];
const tone = (hz: number) => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** Each fixture: how it is made from the sources written in beforeAll. */
const EDITS: Record<string, (sources: Record<string, Buffer>) => Buffer> = {
  // the first of two AAC tracks has no sample description (ffprobe: codec unknown)
  'broken-first-audio.mp4': (s) => renameBox(s.twoAudio!, STSD(1), 'free'),
  // the first of two AAC tracks lists no samples
  'empty-first-audio.mp4': (s) => emptyTrack(s.twoAudio!, 1),
  // a 320×240 video track with its headers and no samples before the real one: a fake auxiliary track
  'fake-first-video.mp4': (s) => emptyTrack(s.twoVideo!, 0),
  'no-video-description.mp4': (s) => renameBox(s.twoAudio!, STSD(0), 'free'),
  'empty-video.mp4': (s) => emptyTrack(s.twoAudio!, 0),
  // cover art (MJPEG, attached picture) and an AAC track without its sample description
  'cover-art-broken-aac.m4a': (s) => renameBox(s.cover!, STSD(0), 'free'),
  // ftyp and moov only, its data reference a 'url ' entry without the self-contained flag naming frames.mov
  'reference.mov': (s) => referenceMovie(s.mov!),
};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-decodable-'));
  const made = (name: string) => join(dir, name);
  await debianFfmpeg([...clip, ...tone(440), ...tone(660), '-map', '0:v', '-map', '1:a', '-map', '2:a', '-t', '3', ...h264, '-c:a', 'aac', made('two-audio.mp4')]);
  await debianFfmpeg([...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=20'], ...clip, ...tone(440), '-map', '0:v', '-map', '1:v', '-map', '2:a', '-t', '3', ...h264, '-c:a', 'aac', made('two-video.mp4')]);
  await debianFfmpeg([...tone(440), '-f', 'lavfi', '-i', 'color=red:size=300x300', '-map', '0:a', '-map', '1:v', '-frames:v', '1', '-t', '4', '-c:a', 'aac', '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', made('cover.m4a')]);
  await debianFfmpeg([...clip, '-t', '3', ...h264, '-f', 'mov', made('frames.mov')]);
  const sources = { twoAudio: await readFile(made('two-audio.mp4')), twoVideo: await readFile(made('two-video.mp4')), cover: await readFile(made('cover.m4a')), mov: await readFile(made('frames.mov')) };
  for (const [name, edit] of Object.entries(EDITS)) await writeFile(made(name), edit(sources));
}, 120_000);
afterAll(() => cleanup?.());

/** A reference movie of `mov`: its index alone, every sample left in frames.mov, which the data reference names. */
function referenceMovie(mov: Buffer): Buffer {
  const url = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('frames.mov\0', 'latin1')]);
  const entry = Buffer.concat([Buffer.alloc(4), Buffer.from('url ', 'latin1'), url]);
  entry.writeUInt32BE(entry.length, 0);
  const dref = ['moov', 'trak#0', 'mdia', 'minf', 'dinf', 'dref', 'url '];
  const edited = replaceBox(mov, dref, entry);
  const ftyp = boxPath(edited, ['ftyp'])[0]!;
  const moov = boxPath(edited, ['moov'])[0]!;
  return Buffer.concat([edited.subarray(ftyp.at, ftyp.at + ftyp.size), edited.subarray(moov.at, moov.at + moov.size)]);
}

type Kept = { video: number | null; audio: number | null };
/** [file, streams kept (ffprobe indexes), errors as [rule, actual, fixable, problem, fix], the plan's reason when unfixable]. */
const VERDICTS: Array<[string, Kept | null, Array<[string, unknown, boolean, string, string]>, string | null]> = [
  ['broken-first-audio.mp4', { video: 0, audio: 2 }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
  ['empty-first-audio.mp4', { video: 0, audio: 2 }, [['video.fps', 20, true, 'frame rate is 20 fps', 'raise the frame rate to 24 fps']], null],
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
});
