import { toolBinary } from '../probe/binaries.js';
import { refusedWriteIn } from '../shared/describe-fs-error.js';
import { ProcessError, runProcess } from '../shared/spawn.js';
import { readProgress, type ProgressState } from './ffmpeg-progress.js';

export interface FfmpegRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Length of the output in seconds, to turn ffmpeg's position into a fraction. */
  expectedSeconds?: number | null;
  /** Fraction done, 0–1. */
  onProgress?: (fraction: number) => void;
}

/** Runs one ffmpeg pass, reporting progress from its -progress output. Throws ProcessError on failure, a write the disk refused included. */
export async function runFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
  const state: ProgressState = { outSeconds: 0, done: false };
  let pending = '';
  const expected = options.expectedSeconds ?? null;
  const command = toolBinary('ffmpeg').path;
  const { stderr } = await runProcess(command, args, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    discardStdout: true,
    onStdout: (chunk) => {
      pending = readProgress(state, pending, chunk);
      if (options.onProgress && expected) options.onProgress(state.done ? 1 : Math.min(0.99, state.outSeconds / expected));
    },
  });
  // ffmpeg 4.x exits 0 when the disk fills while it writes the trailer ("Error writing trailer of …: No space left on device"): not a success
  if (refusedWriteIn(stderr)) throw new ProcessError({ command, args, exitCode: 0, signalName: null, stderrTail: stderr, timedOut: false });
  options.onProgress?.(1);
}
