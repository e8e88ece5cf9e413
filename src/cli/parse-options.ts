import type { Command } from 'commander';
import type { FitMode } from '../normalize/fix-plan.js';
import { loadProfile, ProfileError } from '../spec/load-profile.js';
import type { Profile } from '../spec/profile.js';
import { UsageError } from './io.js';

/** --concurrency: a whole number ≥ 1, or undefined for the default. */
export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, not "${value}"`);
  return n;
}

/** --profile: a built-in name or a JSON file; a bad one is a usage error (exit 2). */
export async function loadProfileOption(value: string | undefined): Promise<Profile> {
  return loadProfile(value).catch((error: unknown) => {
    throw error instanceof ProfileError ? new UsageError(error.message) : error;
  });
}

/** Declares --fit and --audio-format (read by parseFixFlags), shared by fix, run and batch; `fitHelp` overrides the short --fit help. */
export function addFixFlags(command: Command, fitHelp = 'aspect ratio out of range: pad or crop'): Command {
  return command
    .option('--fit <mode>', fitHelp, 'pad')
    .option('--audio-format <format>', 'format for audio that must be converted: mp3 or wav', 'mp3');
}

/** --fit and --audio-format, shared by fix, run and batch. */
export function parseFixFlags(options: { fit: string; audioFormat: string }): { fit: FitMode; audioFormat: 'mp3' | 'wav' } {
  if (options.fit !== 'pad' && options.fit !== 'crop') throw new UsageError(`--fit must be pad or crop, not ${JSON.stringify(options.fit)}`);
  if (options.audioFormat !== 'mp3' && options.audioFormat !== 'wav') throw new UsageError(`--audio-format must be mp3 or wav, not ${JSON.stringify(options.audioFormat)}`);
  return { fit: options.fit, audioFormat: options.audioFormat };
}
