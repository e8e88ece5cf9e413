import { resolve } from 'node:path';
import { guardOutputs, OutputGuardError, type InputSpec, type OutputSpec } from '../shared/guard-outputs.js';
import { UsageError } from './io.js';

/** What `--junit FILE` writes, for the output guard. */
export function junitOutputs(file: string | undefined, cwd: string): OutputSpec[] {
  return file ? [{ flag: '--junit', kind: 'file', path: resolve(cwd, file), shown: file }] : [];
}

/** The output guard for a command: an output on an input (or on another output) is a usage error, exit 2, before anything is written. */
export async function guardCommandOutputs(outputs: readonly OutputSpec[], inputs: readonly InputSpec[]): Promise<void> {
  if (outputs.length === 0) return;
  try {
    await guardOutputs(outputs, inputs);
  } catch (error) {
    throw asUsageError(error);
  }
}

/** The guard's error as the command line's usage error (exit 2); any other error unchanged. */
export function asUsageError(error: unknown): unknown {
  return error instanceof OutputGuardError ? new UsageError(error.message) : error;
}
