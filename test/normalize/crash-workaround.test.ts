import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fpsPassingLastFrame } from '../../src/normalize/crash-workaround.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { toolBinary } from '../../src/probe/binaries.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { fileArg, ProcessError, runProcess } from '../../src/shared/spawn.js';
import { setVerboseSink } from '../../src/shared/verbose-log.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { ffmpeg, ffprobeStreams } from '../helpers/make-media.js';

describe('fpsPassingLastFrame: fps before tpad clone gets eof_action=pass, nothing else changes', () => {
  const vf = (chain: string) => ['-i', 'file:/a.m4v', '-vf', chain, '-t', '2.1', 'file:/b.mp4'];
  it.each([
    ['scale=740:554:flags=bicubic,setsar=1,fps=60,tpad=stop_mode=clone:stop_duration=2.51,format=yuv420p', 'scale=740:554:flags=bicubic,setsar=1,fps=60:eof_action=pass,tpad=stop_mode=clone:stop_duration=2.51,format=yuv420p'],
    ['fps=30000/1001,tpad=stop_mode=clone:stop_duration=2,format=yuv420p', 'fps=30000/1001:eof_action=pass,tpad=stop_mode=clone:stop_duration=2,format=yuv420p'],
  ])('%s', (chain, patched) => {
    expect(fpsPassingLastFrame(vf(chain))).toEqual(vf(patched));
  });

  it.each([
    ['no tpad', 'scale=854:480,fps=24,format=yuv420p'],
    ['no fps', 'scale=854:480,tpad=stop_mode=clone:stop_duration=2,format=yuv420p'],
    ['tpad before fps', 'tpad=stop_mode=clone:stop_duration=2,fps=24'],
    ['fps already has options', 'fps=24:round=up,tpad=stop_mode=clone:stop_duration=2'],
    ['tpad adds black, not a clone', 'fps=24,tpad=stop_mode=add:stop_duration=2'],
  ])('%s → null', (_what, chain) => {
    expect(fpsPassingLastFrame(vf(chain))).toBeNull();
  });

  it('no -vf (an audio pass, a copy) → null', () => {
    expect(fpsPassingLastFrame(['-i', 'file:/a.m4v', '-c', 'copy', 'file:/b.mp4'])).toBeNull();
    expect(fpsPassingLastFrame(['-vf'])).toBeNull();
  });
});

describe('the one-frame fragmented M4V that crashed the bundled ffmpeg (issue 20, item 5)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let clip: string;
  const lines: string[] = [];
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('sp-m4v-crash-'));
    // fixture recipe: one 120 fps frame (8.3 ms) in a fragmented MP4 (empty moov: no stated end), named .m4v as iTunes does
    clip = join(dir, 'one-frame-120fps-fragmented.m4v');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=120', '-frames:v', '1', '-c:v', 'libx264', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', fileArg(clip)]);
  });
  afterAll(() => cleanup());
  afterEach(() => setVerboseSink(null));

  it.skipIf(toolBinary('ffmpeg').origin !== 'bundled')('the bundled ffmpeg is killed by SIGSEGV on fps=60 then tpad clone (what the workaround is for)', async () => {
    const ff = toolBinary('ffmpeg');
    const error = await runProcess(ff.path, ['-v', 'error', '-i', fileArg(clip), '-vf', 'fps=60,tpad=stop_mode=clone:stop_duration=2.5', '-f', 'null', '-'], { env: ff.env }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessError);
    expect((error as ProcessError).signalName).toBe('SIGSEGV');
  });

  it('fix converts it to 60 fps and extends it to 2.1 s: the crashed pass runs again with fps passing its last frame', async () => {
    setVerboseSink((line) => lines.push(line));
    const outcome = await fixTargets({ paths: [clip], outDir: join(dir, 'out'), profile: SEED_PROFILE });
    setVerboseSink(null);
    const file = outcome.jobs[0]!.files[0]!;
    expect(file.error).toBeNull();
    expect(file.actions.map((a) => a.rule)).toEqual(['video.dimensions', 'video.fps', 'video.duration']);
    const probe = await probeFile(file.output!);
    expect(probe.ok && probe.info.kind === 'video' ? [probe.info.duration, probe.info.fps] : probe).toEqual([2.1, 60]);
    const [stream] = await ffprobeStreams(file.output!);
    expect([stream!.avg_frame_rate, stream!.nb_frames]).toEqual(['60/1', '126']);
    if (toolBinary('ffmpeg').origin !== 'bundled') return;
    const encodes = lines.filter((line) => line.includes('tpad=stop_mode=clone'));
    expect(encodes.map((line) => /,fps=60(:eof_action=pass)?,tpad/.exec(line)?.[0])).toEqual([',fps=60,tpad', ',fps=60:eof_action=pass,tpad']);
    expect(lines.filter((line) => /^← ffmpeg pid \d+: killed by SIGSEGV/.test(line))).toHaveLength(1);
    expect(lines).toContain('ffmpeg crashed (SIGSEGV) with fps before tpad: running it again with fps eof_action=pass');
  }, 60_000);
});
