import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseFfprobe, type FileFacts } from '../../../src/probe/ffprobe-parse.js';
import { toolBinary } from '../../../src/probe/binaries.js';
import { readInProcess } from '../../../src/probe/in-process/read-in-process.js';
import { fixture } from '../../helpers/fixtures.js';

/**
 * A video whose audio codec the ffmpeg in use cannot decode (here: a decoder list without AAC, as an ffmpeg built
 * without it would give) keeps its picture: the in-process reader hands it to ffprobe's path, which records the sound dropped.
 */
const run = promisify(execFile);
const path = fixture('delayed-audio.mp4');
const facts: FileFacts = { path, format: 'mp4', extension: 'mp4', extensionMatches: true, sizeBytes: statSync(path).size };
const noAac = async () => new Set(['h264']);

describe('a video whose audio has no decoder here', () => {
  it('the in-process reader falls back to ffprobe, naming why', async () => {
    expect(await readInProcess(facts, noAac)).toEqual({ ok: false, fallback: { code: 'trait', detail: 'no decoder for its aac audio' } });
  });

  it("ffprobe's path keeps the video and records the audio track dropped", async () => {
    const { stdout } = await run(toolBinary('ffprobe').path, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
    const parsed = parseFfprobe(stdout, facts, false, await noAac());
    expect(parsed.ok && parsed.info.kind === 'video' ? [parsed.info.hasAudio, parsed.info.audioStreamIndex, parsed.info.droppedAudio] : parsed).toEqual([false, null, { index: 1, codec: 'aac', reason: 'no-decoder' }]);
  });
});
