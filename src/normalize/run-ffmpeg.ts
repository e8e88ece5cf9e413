import { toolBinary } from '../probe/binaries.js';
import { runProcess } from '../shared/spawn.js';
import { readProgress, type ProgressState } from './ffmpeg-progress.js';

export interface FfmpegRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Length of the output in seconds, to turn ffmpeg's position into a fraction. */
  expectedSeconds?: number | null;
  /** Fraction done, 0–1. */
  onProgress?: (fraction: number) => void;
}

/** Runs one ffmpeg pass, reporting progress from its -progress output. Throws ProcessError on failure. */
export async function runFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
  const state: ProgressState = { outSeconds: 0, done: false };
  let pending = '';
  const expected = options.expectedSeconds ?? null;
  await runProcess(toolBinary('ffmpeg').path, args, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    discardStdout: true,
    onStdout: (chunk) => {
      pending = readProgress(state, pending, chunk);
      if (options.onProgress && expected) options.onProgress(state.done ? 1 : Math.min(0.99, state.outSeconds / expected));
    },
  });
  options.onProgress?.(1);
}
