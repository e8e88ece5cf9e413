import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTool } from '../probe/binaries.js';
import { sweepTemporariesOnce, temporaryPathFor } from '../shared/temp-file.js';

/** What a sandbox task "generates". */
export interface ResultVideoSpec {
  seconds: number;
  width: number;
  height: number;
  audio: boolean;
}

/** Bumped whenever the arguments below change, so stale files in the temp folder are not served. */
const FORMAT_VERSION = 'v3';
const FPS = 24;
const MAKE_TIMEOUT_MS = 120_000;

/** Above this many pixels (the 4K sizes) the segment is a flat colour: a test pattern at 4K takes seconds to encode even for 1 s. */
const PATTERN_MAX_PIXELS = 2_100_000;

/** One second of picture at the size, H.264: the only part ever encoded, so a 15 s result costs what 1 s does. */
function segmentArgs(spec: ResultVideoSpec, output: string): string[] {
  const picture = `duration=1:size=${spec.width}x${spec.height}:rate=${FPS}`;
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', spec.width * spec.height <= PATTERN_MAX_PIXELS ? `testsrc=${picture}` : `color=c=0x2f6f9f:${picture}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-f', 'mp4', `file:${output}`,
  ];
}

/** The segment looped to the duration without re-encoding (stream copy), with a tone as AAC when audio is asked. */
function resultArgs(spec: ResultVideoSpec, segment: string, output: string): string[] {
  const tone = spec.audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${spec.seconds}`] : [];
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    // -1: loop the input for as long as -t asks
    '-stream_loop', '-1', '-i', `file:${segment}`,
    ...tone,
    '-map', '0:v', '-c:v', 'copy',
    ...(spec.audio ? ['-map', '1:a', '-c:a', 'aac'] : []),
    '-t', String(spec.seconds),
    // index first, so players start before the whole file arrives
    '-movflags', '+faststart',
    '-f', 'mp4', `file:${output}`,
  ];
}

const pending = new Map<string, Promise<string>>();

/** A result MP4 of the spec, made once with the bundled ffmpeg and kept in the temp folder across runs. */
export function resultVideo(spec: ResultVideoSpec): Promise<string> {
  const name = `result-${spec.width}x${spec.height}-${spec.seconds}s-${spec.audio ? 'audio' : 'silent'}-${FORMAT_VERSION}.mp4`;
  return once(name, async (path) => {
    const segment = await once(`segment-${spec.width}x${spec.height}-${FORMAT_VERSION}.mp4`, (out) => makeAtomically(out, (temp) => segmentArgs(spec, temp)));
    await makeAtomically(path, (temp) => resultArgs(spec, segment, temp));
  });
}

/** Runs `make` for a file of the cache folder unless it is there already; concurrent callers share one run. */
function once(name: string, make: (path: string) => Promise<void>): Promise<string> {
  let job = pending.get(name);
  if (!job) {
    job = (async () => {
      const path = join(tmpdir(), `seedance-sandbox-${process.getuid?.() ?? 'user'}`, name);
      if (!(await stat(path).then((s) => s.size > 0, () => false))) await make(path);
      return path;
    })();
    pending.set(name, job);
    job.catch(() => pending.delete(name));
  }
  return job;
}

async function makeAtomically(path: string, args: (temp: string) => string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await sweepTemporariesOnce(dirname(path));
  const temp = temporaryPathFor(path);
  try {
    await runTool('ffmpeg', args(temp), { timeoutMs: MAKE_TIMEOUT_MS });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
