import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { DEBIAN_FFPROBE } from '../helpers/independent-check.js';
import { DEBIAN_FFMPEG } from '../helpers/make-media.js';
import { appendChild, box, boxPayload, replaceBox } from '../probe/decodable/mp4-edit.js';

/**
 * Output frame rates (issue 20, item 4): set exactly when they change, never changed when the source's real rate is in
 * range, and measured from the packets when the stated one is not the real one. Each source is made by Debian's ffmpeg
 * (the arguments below); each output is read by Debian's ffprobe with -count_frames.
 */
const run = promisify(execFile);
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const vp9 = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k'];
const picture = (size: string, rate: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`];

/** name → Debian ffmpeg's arguments (after -y), or an edit of another fixture. */
const SOURCES: Array<[string, string[]]> = [
  // 60 fps H.264 + AAC in MPEG-TS (90 kHz clock): a remux into MP4
  ['ts60.ts', [...picture('640x640', 60), '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '3', ...x264, '-c:a', 'aac', '-f', 'mpegts']],
  // 30 fps VP9 in WebM: Matroska's 1 ms clock, DefaultDuration 33.333 ms
  ['webm30.webm', [...picture('640x640', 30), '-t', '3', ...vp9]],
  // 50 frames at irregular times averaging 8.3 fps (DefaultDuration still says 30)
  ['vfr.webm', [...picture('640x640', 30), '-frames:v', '50', '-vf', "setpts='(N/30+N*0.0867+0.03*mod(N,3))/TB'", ...vp9]],
  // 4 s at 30 fps, a key frame every 10; copied from 1.45 s on: an edit list hides the 4 frames before it
  ['gop10.mp4', [...picture('480x480', 30), '-t', '4', ...x264, '-g', '10']],
  // 5 s at 60 fps (300 frames), then its last frame's duration written as 0 (below), as a remux of a camera's TS wrote it
  ['cfr60.mp4', [...picture('720x720', 60), '-t', '5', ...x264]],
  // 3 s at 30 fps, 480×480 (too few pixels: fix re-encodes), then a Dolby Vision profile 9 box (below)
  ['sdr.mov', [...picture('480x480', 30), '-t', '3', ...x264, '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-f', 'mov']],
];

let dir: string;
let cleanup: () => Promise<void>;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-rates-'));
  for (const [name, args] of SOURCES) await run(DEBIAN_FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...args, at(name)]);
  await run(DEBIAN_FFMPEG, ['-hide_banner', '-v', 'error', '-y', '-ss', '1.45', '-i', at('gop10.mp4'), '-c', 'copy', at('editlist.mp4')]);
  // dvvC: version 1.0, profile 9 level 5, RPU and base layer present, base-layer compatibility id 2 (SDR), 19 reserved bytes
  const dvvc = box('dvvC', Buffer.from([1, 0, 0x12, 0x2d, 0x20]), Buffer.alloc(19));
  await writeFile(at('dv9.mov'), appendChild(await readFile(at('sdr.mov')), ['moov', 'trak#0', 'mdia', 'minf', 'stbl', 'stsd', 'avc1'], dvvc));
  // stts: 299 samples of the clip's duration, then 1 of 0 ticks (ffprobe: avg_frame_rate 18000/299 = 60.2, r_frame_rate 60)
  const clip = await readFile(at('cfr60.mp4'));
  const stts = ['moov', 'trak#0', 'mdia', 'minf', 'stbl', 'stts'];
  const delta = boxPayload(clip, stts).readUInt32BE(12);
  const table = Buffer.alloc(24);
  [0, 2, 299, delta, 1, 0].forEach((value, i) => table.writeUInt32BE(value, i * 4));
  await writeFile(at('last-frame-0.mp4'), replaceBox(clip, stts, box('stts', table)));
}, 120_000);
afterAll(() => cleanup?.());

/** [file, what both readers read: fps (3 places), fpsSource, variable, hdr; check's errors by rule]. */
const READ: Array<[string, [number, string, boolean, string | null], string[]]> = [
  ['ts60.ts', [60, 'stated', false, null], ['video.format']],
  ['webm30.webm', [30, 'stated', false, null], ['video.format', 'video.codec']],
  ['vfr.webm', [8.305, 'packets', true, null], ['video.format', 'video.codec', 'video.fps']],
  ['editlist.mp4', [30, 'stated', false, null], ['video.pixels']],
  // Dolby Vision whose base layer is SDR is SDR: no video.hdr, no tone map
  ['dv9.mov', [30, 'stated', false, null], ['video.pixels']],
  // 300 frames in 299 durations states 60.2 fps: the base rate, 60, is the real one and in range (was video.fps, 60.2)
  ['last-frame-0.mp4', [60, 'stated', false, null], []],
];

describe('the rate both readers read', () => {
  it.each(READ)('%s', async (name, read, errors) => {
    for (const reader of ['auto', 'ffprobe'] as const) {
      const probe = await probeFile(at(name), { reader });
      if (!probe.ok || probe.info.kind !== 'video') throw new Error(`${name}: not read as video`);
      const { fps, fpsSource, variableFrameRate, color } = probe.info;
      expect([reader, Math.round(fps! * 1000) / 1000, fpsSource, variableFrameRate, color.hdr]).toEqual([reader, ...read]);
      const violations = checkMedia(probe.info, SEED_PROFILE);
      expect(violations.filter((v) => v.severity === 'error').map((v) => v.rule)).toEqual(errors);
      expect(violations.some((v) => v.rule === 'video.hdr')).toBe(false);
    }
  });
});

const debianMissing = existsSync(DEBIAN_FFPROBE) ? null : `${DEBIAN_FFPROBE} is not installed (apt-get install ffmpeg)`;
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (debianMissing && !required) console.log(`frame-rate fix outputs skipped: ${debianMissing}`);

async function debianVideo(path: string): Promise<{ frames: number; avg: string; base: string; transfer: string | null }> {
  const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames,avg_frame_rate,r_frame_rate,color_transfer', '-of', 'json', path]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, string>> }).streams[0]!;
  return { frames: Number(stream.nb_read_frames), avg: stream.avg_frame_rate!, base: stream.r_frame_rate!, transfer: stream.color_transfer ?? null };
}

/** [file, mode, the source's decoded frames (Debian), the output's frames, average and base rate, transfer (untagged SD is BT.601)]. */
const FIXED: Array<[string, string, number, { frames: number; avg: string; base: string; transfer: string | null }]> = [
  // remuxed: the stated rate stays exactly 60
  ['ts60.ts', 'remux', 180, { frames: 180, avg: '60/1', base: '60/1', transfer: null }],
  // re-encoded from a 1 ms clock: every frame once, at 30, never doubled
  ['webm30.webm', 'reencode', 90, { frames: 90, avg: '30/1', base: '30/1', transfer: 'smpte170m' }],
  // 8.3 fps on average is under the minimum: a constant 24 fps over the same 5.93 s (was 178 frames at the stated 30)
  ['vfr.webm', 'reencode', 50, { frames: 142, avg: '24/1', base: '24/1', transfer: 'smpte170m' }],
  // the edit list's hidden frames are not counted as shown ones: the 76 shown frames, all kept
  ['editlist.mp4', 'reencode', 76, { frames: 76, avg: '30/1', base: '30/1', transfer: 'smpte170m' }],
  // SDR Dolby Vision: re-encoded as the SDR it is (BT.709 as tagged), no tone map
  ['dv9.mov', 'reencode', 90, { frames: 90, avg: '30/1', base: '30/1', transfer: 'bt709' }],
];

describe('fix writes the rate exactly, and keeps every frame of a rate in range', () => {
  it.runIf(!debianMissing || required).each(FIXED)('%s', async (name, mode, sourceFrames, output) => {
    expect((await debianVideo(at(name))).frames).toBe(sourceFrames);
    const fixed = await fixTargets({ paths: [at(name)], profile: SEED_PROFILE, outDir: at(`out-${name}`), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.error, file.mode, file.actions.some((a) => a.rule === 'video.hdr')]).toEqual([true, null, mode, false]);
    expect(await debianVideo(file.output!)).toEqual(output);
  }, 120_000);
});
