import { toolBinary } from '../probe/binaries.js';
import { refusedWriteIn } from '../shared/describe-fs-error.js';
import { ProcessError, runProcess } from '../shared/spawn.js';
import { verboseEnabled, verboseLog } from '../shared/verbose-log.js';
import { fpsPassingLastFrame } from './crash-workaround.js';
import { readProgress, type ProgressState } from './ffmpeg-progress.js';
import { isStalled, observeProgress, startWatch } from './stall-watch.js';

export interface FfmpegRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Kill the encode when its position has not moved for this many seconds; 0 or absent: no limit. */
  stallSeconds?: number;
  /** Length of the output in seconds, to turn ffmpeg's position into a fraction. */
  expectedSeconds?: number | null;
  /** Fraction done, 0–1. */
  onProgress?: (fraction: number) => void;
}

/** An encode killed because its progress stopped: where it stood, to say so. */
export class EncodeStalledError extends ProcessError {
  readonly stallSeconds: number;
  readonly atSeconds: number;
  readonly expectedSeconds: number | null;

  constructor(cause: ProcessError, stallSeconds: number, atSeconds: number, expectedSeconds: number | null) {
    super({ command: cause.command, args: cause.args, exitCode: cause.exitCode, signalName: cause.signalName, stderrTail: cause.stderrTail, timedOut: false, stalled: true, cause });
    this.stallSeconds = stallSeconds;
    this.atSeconds = atSeconds;
    this.expectedSeconds = expectedSeconds;
  }
}

/**
 * Runs one ffmpeg pass, reporting progress from its -progress output. Throws ProcessError on failure (EncodeStalledError
 * when it stopped moving), a write the disk refused included. A SIGSEGV of fps then tpad's clone (the bundled ffmpeg on a
 * one-frame fragmented clip, see crash-workaround.ts) is run once more with fps passing its last frame.
 */
export async function runFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<void> {
  try {
    await runPass(args, options);
  } catch (error) {
    const retry = error instanceof ProcessError && error.signalName === 'SIGSEGV' ? fpsPassingLastFrame(args) : null;
    if (!retry) throw error;
    if (verboseEnabled()) verboseLog('ffmpeg crashed (SIGSEGV) with fps before tpad: running it again with fps eof_action=pass');
    await runPass(retry, options);
  }
}

async function runPass(args: readonly string[], options: FfmpegRunOptions): Promise<void> {
  const state: ProgressState = { outSeconds: 0, frames: 0, done: false };
  let pending = '';
  const expected = options.expectedSeconds ?? null;
  const ffmpeg = toolBinary('ffmpeg');
  const command = ffmpeg.path;
  const stallMs = (options.stallSeconds ?? 0) * 1000;
  let watch = startWatch(Date.now());
  const { stderr } = await runProcess(command, args, {
    env: ffmpeg.env,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    discardStdout: true,
    ...(stallMs > 0 && { isStalled: (now: number) => isStalled(watch, now, stallMs), stallCheckMs: Math.min(1000, Math.max(50, stallMs / 4)) }),
    onStdout: (chunk) => {
      pending = readProgress(state, pending, chunk);
      watch = observeProgress(watch, state, Date.now());
      if (options.onProgress && expected) options.onProgress(state.done ? 1 : Math.min(0.99, state.outSeconds / expected));
    },
  }).catch((error: unknown) => {
    throw error instanceof ProcessError && error.stalled ? new EncodeStalledError(error, stallMs / 1000, state.outSeconds, expected) : error;
  });
  // ffmpeg 4.x exits 0 when the disk fills while it writes the trailer ("Error writing trailer of …: No space left on device"): not a success
  if (refusedWriteIn(stderr)) throw new ProcessError({ command, args, exitCode: 0, signalName: null, stderrTail: stderr, timedOut: false });
  options.onProgress?.(1);
}
