import type { Command } from 'commander';
import type { FitMode } from '../normalize/fix-plan.js';
import { DEFAULT_STALL_SECONDS } from '../normalize/stall-watch.js';
import { loadProfile, ProfileError } from '../spec/load-profile.js';
import type { Profile } from '../spec/profile.js';
import { UsageError } from './io.js';

/** --concurrency (or `name`: a variable, a config key): a whole number ≥ 1, or undefined for the default. */
export function parseConcurrency(value: string | undefined, name = '--concurrency'): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of at least 1, not "${value}"`);
  return n;
}

/** --fit (or `name`): pad or crop. */
export function parseFit(value: string, name = '--fit'): FitMode {
  if (value !== 'pad' && value !== 'crop') throw new UsageError(`${name} must be pad or crop, not ${JSON.stringify(value)}`);
  return value;
}

/** --audio-format (or `name`): mp3 or wav. */
export function parseAudioFormat(value: string, name = '--audio-format'): 'mp3' | 'wav' {
  if (value !== 'mp3' && value !== 'wav') throw new UsageError(`${name} must be mp3 or wav, not ${JSON.stringify(value)}`);
  return value;
}

/** --profile: a built-in name or a JSON file; a bad one is a usage error (exit 2). */
export async function loadProfileOption(value: string | undefined): Promise<Profile> {
  return loadProfile(value).catch((error: unknown) => {
    throw error instanceof ProfileError ? new UsageError(error.message) : error;
  });
}

/** --encode-timeout, declared by addFixFlags and by worker (which encodes but takes its fix settings from the queue). */
export const ENCODE_TIMEOUT_FLAG = [
  '--encode-timeout <seconds>',
  `stop an encode that makes no progress for this many seconds; 0: no limit (default ${DEFAULT_STALL_SECONDS}, or SEEDANCE_ENCODE_TIMEOUT)`,
] as const;

/** Declares --fit, --audio-format and --encode-timeout (read by parseFixFlags), shared by fix, run and batch; `fitHelp` overrides the short --fit help. */
export function addFixFlags(command: Command, fitHelp = 'aspect ratio out of range: pad or crop'): Command {
  return command
    .option('--fit <mode>', fitHelp, 'pad')
    .option('--audio-format <format>', 'format for audio that must be converted: mp3 or wav', 'mp3')
    .option(...ENCODE_TIMEOUT_FLAG);
}

/** --fit, --audio-format and --encode-timeout (or SEEDANCE_ENCODE_TIMEOUT in `env`), shared by fix, run and batch. */
export function parseFixFlags(
  options: { fit: string; audioFormat: string; encodeTimeout?: string },
  env: NodeJS.ProcessEnv = {},
): { fit: FitMode; audioFormat: 'mp3' | 'wav'; encodeTimeoutSeconds: number | undefined } {
  return { fit: parseFit(options.fit), audioFormat: parseAudioFormat(options.audioFormat), encodeTimeoutSeconds: parseEncodeTimeout(options.encodeTimeout, env) };
}

/** --encode-timeout, else SEEDANCE_ENCODE_TIMEOUT: seconds without progress before an encode is stopped (0: no limit); undefined: the default. */
export function parseEncodeTimeout(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const [name, value] = flag !== undefined ? ['--encode-timeout', flag] : ['SEEDANCE_ENCODE_TIMEOUT', env.SEEDANCE_ENCODE_TIMEOUT];
  // an empty variable is an unset one (as `VAR= command` leaves it)
  if (value === undefined || (flag === undefined && value.trim() === '')) return undefined;
  return parseSecondsOrZero(name, value);
}

/** A number of seconds where 0 means no limit (`name`: the flag, variable or config key), as a number. */
export function parseSecondsOrZero(name: string, value: string): number {
  const text = value.trim();
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) throw new UsageError(`${name} must be a number of seconds, 0 for no limit, not ${JSON.stringify(value)}`);
  return Number(text);
}
