import { constants, copyFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeProblem } from '../check/describe-problem.js';
import { checkMedia } from '../check/file-rules.js';
import { hasErrors, type Violation } from '../check/violation.js';
import type { MediaInfo } from '../probe/media-info.js';
import { probeFile } from '../probe/probe-file.js';
import type { Profile } from '../spec/profile.js';
import { audioArgs, videoArgs } from './ffmpeg-args.js';
import { sha256File } from '../shared/sha256-file.js';
import { FixCache, fixCacheKey } from './fix-cache.js';
import type { AudioPlan, ImagePlan, KeepPlan, VideoPlan } from './fix-plan.js';
import { EncodeStalledError, runFfmpeg } from './run-ffmpeg.js';
import { DEFAULT_STALL_SECONDS } from './stall-watch.js';
import { ProcessError } from '../shared/spawn.js';
import { writeImage } from './write-image.js';
import { temporaryPath } from '../shared/temp-file.js';
import { refusedWriteError } from '../shared/file-system-error.js';

export interface FixFileOptions {
  /** Where the output goes; its extension may change when an image had to become WebP to fit. */
  outputPath: string;
  profile: Profile;
  cache?: FixCache;
  /** Sample rate and channels of an audio source (MP3 output has limits on both). */
  audioSource?: { sampleRate: number | null; channels: number | null };
  /** The source's duration in seconds, for progress and the stall message. */
  sourceSeconds?: number | null;
  /** An encode whose progress stops for this many seconds is killed (--encode-timeout); 0: no limit. Default 60. */
  encodeTimeoutSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** What one fix did: an output that conforms, or why there is none (data, never a throw, for a file that cannot be fixed). */
export type FixedFile =
  | { ok: true; output: string; cached: boolean; info: MediaInfo | null; violations: Violation[] }
  | {
      ok: false;
      output: null;
      cached: boolean;
      /** The rejected output as probed (null when ffmpeg wrote none, or it did not probe). */
      info: MediaInfo | null;
      /** What the rejected output still breaks, as check reports it. */
      violations: Violation[];
      /** One line: what went wrong. */
      reason: string;
    };

/**
 * Runs one plan: writes under a temporary name beside the output, verifies it by probing and checking, then renames.
 * Throws FileSystemError when the disk refuses the writes (full, read-only): no other file would fare better.
 */
export async function fixFile(plan: KeepPlan | VideoPlan | AudioPlan | ImagePlan, options: FixFileOptions): Promise<FixedFile> {
  const dir = dirname(options.outputPath);
  const stem = basename(options.outputPath).replace(/\.[^.]+$/, '');
  const tempFor = (extension: string) => temporaryPath(dir, stem, extension);
  const finalFor = (extension: string) => join(dir, `${stem}.${extension}`);

  let temp: string | null = null;
  try {
    let cached = false;
    let key: string | null = null;
    if (plan.type !== 'keep' && options.cache) {
      key = fixCacheKey((await sha256File(plan.source)).sha256, plan);
      temp = await options.cache.restore(key, plan.type === 'image' ? [plan.extension, 'webp'] : [plan.extension], tempFor);
      cached = temp !== null;
    }
    let extension = temp ? temp.slice(temp.lastIndexOf('.') + 1) : plan.extension;
    if (!temp) {
      temp = tempFor(plan.extension);
      extension = await execute(plan, temp, options);
      if (extension !== plan.extension) {
        const renamed = tempFor(extension);
        await rename(temp, renamed);
        temp = renamed;
      }
    }
    options.onProgress?.(1);

    const output = finalFor(extension);
    const probe = await probeFile(temp, { signal: options.signal });
    const violations = probe.ok ? checkMedia(probe.info, options.profile, output) : [];
    if (!probe.ok || hasErrors(violations)) {
      const broken = violations.filter((v) => v.severity === 'error').map((v) => describeProblem(v, { subject: false }));
      const reason = probe.ok ? `the fixed copy still does not conform: ${broken.join('; ')}` : `the fixed copy cannot be read back (${probe.failure.detail})`;
      return { ok: false, output: null, cached, info: probe.ok ? probe.info : null, violations, reason };
    }
    if (key && !cached) await options.cache!.store(key, extension, temp);
    await rename(temp, output);
    temp = null;
    return { ok: true, output, cached, info: { ...probe.info, path: output }, violations };
  } catch (error) {
    // a full (or read-only) disk is the environment's fault: thrown naming the disk, never reported as the source's
    const refused = await refusedWriteError(error, temp ?? options.outputPath);
    if (refused) throw refused;
    if (!(error instanceof ProcessError)) throw error;
    return { ok: false, output: null, cached: false, info: null, violations: [], reason: describeFfmpegFailure(error) };
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}

/** One line for an ffmpeg that failed: a crash, a timeout, or its last error line (never its whole output). */
function describeFfmpegFailure(error: ProcessError): string {
  if (error instanceof EncodeStalledError) return describeStall(error);
  if (error.timedOut) return 'ffmpeg did not finish in time';
  if (error.signalName) return `ffmpeg crashed (${error.signalName}) converting it: this file cannot be converted with the ffmpeg in use`;
  const last = error.stderrTail.trim().split('\n').filter(Boolean).pop()?.trim();
  return `ffmpeg cannot convert it (${last ? last.slice(0, 200) : `exit code ${error.exitCode}`})`;
}

const STALLED = 'ffmpeg made no progress for ';

/** Whether a fix's reason is a stalled encode (the file may be fine: the machine was too slow or too busy). */
export function isStalledReason(reason: string): boolean {
  return reason.startsWith(STALLED);
}

/** A stalled encode: where it stopped, why that may be, and the flag that changes the window. */
function describeStall(error: EncodeStalledError): string {
  const at = `at ${seconds(error.atSeconds)} s${error.expectedSeconds ? ` of ${seconds(error.expectedSeconds)} s` : ''}`;
  return `${STALLED}${seconds(error.stallSeconds)} s (${at}): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone`;
}

/** 12.3, 40, 0: one decimal at most, none when whole. */
function seconds(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Writes the plan's output at `temp`; returns the extension actually written. */
async function execute(plan: KeepPlan | VideoPlan | AudioPlan | ImagePlan, temp: string, options: FixFileOptions): Promise<string> {
  const run = { signal: options.signal, onProgress: options.onProgress, stallSeconds: options.encodeTimeoutSeconds ?? DEFAULT_STALL_SECONDS };
  switch (plan.type) {
    case 'keep':
      await copyFile(plan.source, temp, constants.COPYFILE_FICLONE);
      return plan.extension;
    case 'video': {
      const seconds = plan.duration ?? (options.sourceSeconds ?? null);
      await runFfmpeg(videoArgs(plan, plan.source, temp), { ...run, expectedSeconds: seconds });
      return plan.extension;
    }
    case 'audio': {
      const seconds = plan.duration ?? (options.sourceSeconds ?? null);
      await runFfmpeg(audioArgs(plan, plan.source, temp, options.audioSource ?? { sampleRate: null, channels: null }), { ...run, expectedSeconds: seconds });
      return plan.extension;
    }
    case 'image': {
      const written = await writeImage(plan, temp, { signal: options.signal });
      return written.format === 'jpeg' ? 'jpg' : written.format;
    }
  }
}
