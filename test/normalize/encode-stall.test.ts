import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixFile } from '../../src/normalize/fix-file.js';
import type { AudioPlan } from '../../src/normalize/fix-plan.js';
import { runFfmpeg } from '../../src/normalize/run-ffmpeg.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { makeTone } from '../helpers/make-media.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-encode-stall-')));
afterAll(() => cleanup());

/** An MP3 re-encode of `source`, as plan-fix would make it for a 40 s track. */
function mp3Plan(source: string, duration = 40): AudioPlan {
  return { type: 'audio', kind: 'audio', mode: 'reencode', codec: 'mp3', duration, extendBy: 0, bitrateKbps: 128, source, extension: 'mp3', actions: [] };
}

describe('the encode stall watchdog (real ffmpeg)', () => {
  it('kills an encode whose input stops feeding, names what to try, and leaves no temporary behind', async () => {
    const folder = join(dir, 'stalled');
    await mkdir(folder);
    const fifo = join(folder, 'feed.wav');
    execFileSync('mkfifo', [fifo]);
    // a writer that never writes: ffmpeg waits on its input forever, as on a damaged network mount
    const writer = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const fixed = await fixFile(mp3Plan(fifo), { outputPath: join(folder, 'feed.mp3'), profile: SEED_PROFILE, encodeTimeoutSeconds: 1 });
      expect(fixed).toEqual({
        ok: false,
        output: null,
        cached: false,
        info: null,
        violations: [],
        reason: 'ffmpeg made no progress for 1 s (at 0 s of 40 s): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone',
      });
    } finally {
      closeSync(writer);
    }
    expect(await readdir(folder)).toEqual(['feed.wav']);
  });

  it('lets a long encode that keeps progressing run past a short stall window', async () => {
    const output = join(dir, 'paced.wav');
    // -re feeds the input at real time: 3 s of wall clock, three times the 1 s window, with progress all along
    await runFfmpeg(['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=3', '-c:a', 'pcm_s16le', '-f', 'wav', `file:${output}`], { stallSeconds: 1, expectedSeconds: 3 });
    const probe = await probeFile(output);
    if (!probe.ok || probe.info.kind !== 'audio') throw new Error(`not an audio file: ${output}`);
    expect(probe.info.duration).toBe(3);
  });

  it('with --encode-timeout 0 waits out a pause longer than any window: the input resumes and the fix succeeds', async () => {
    const folder = join(dir, 'no-limit');
    await mkdir(folder);
    const wav = await readFile(await makeTone(dir, 'tone-3s.wav', { seconds: 3, sampleRate: 8000, codec: ['-c:a', 'pcm_s16le'], format: 'wav' }));
    const fifo = join(folder, 'feed.wav');
    execFileSync('mkfifo', [fifo]);
    const writer = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    // the input pauses 1.5 s before its first byte (a 1 s window would end it, as above), then comes whole (48 kB: within the pipe's buffer)
    let written = 0;
    const feed = new Promise<void>((resolve) => setTimeout(() => ((written = writeSync(writer, wav)), closeSync(writer), resolve()), 1500));
    const fixed = await fixFile(mp3Plan(fifo, 3), { outputPath: join(folder, 'feed.mp3'), profile: SEED_PROFILE, encodeTimeoutSeconds: 0 });
    await feed;
    expect(written).toBe(wav.length);
    expect([fixed.ok, fixed.output]).toEqual([true, join(folder, 'feed.mp3')]);
    // the whole 3 s came through (MP3 frames and the encoder's delay round it up to 3.168)
    expect(fixed.info?.kind === 'audio' && fixed.info.duration).toBe(3.168);
  });
});
