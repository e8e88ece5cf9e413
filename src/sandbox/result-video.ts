import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolBinary } from '../probe/binaries.js';
import { runProcess } from '../shared/spawn.js';
import { sweepTemporariesOnce, temporaryPathFor } from '../shared/temp-file.js';

/** What every sandbox task "generates": 2 s of test pattern and a tone, 1280×720 (16:9 720p, the documents' defaults), H.264/AAC. */
function resultVideoArgs(output: string): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=duration=2:size=1280x720:rate=24',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-shortest',
    // index first, so players start before the whole file arrives
    '-movflags', '+faststart',
    '-f', 'mp4', output,
  ];
}

let pending: Promise<string> | null = null;

/** The result MP4, made once with the bundled ffmpeg and kept in the temp folder across runs. */
export function resultVideo(): Promise<string> {
  pending ??= makeResultVideo().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

async function makeResultVideo(): Promise<string> {
  const dir = join(tmpdir(), `seedance-sandbox-${process.getuid?.() ?? 'user'}`);
  const path = join(dir, 'result-1280x720-2s-v1.mp4');
  if (await stat(path).then((s) => s.size > 0, () => false)) return path;
  await mkdir(dir, { recursive: true });
  await sweepTemporariesOnce(dir);
  const temp = temporaryPathFor(path);
  try {
    await runProcess(toolBinary('ffmpeg').path, resultVideoArgs(temp), { timeoutMs: 60_000 });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return path;
}
