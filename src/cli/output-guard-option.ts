import { resolve } from 'node:path';
import { guardOutputs, OutputGuardError, type InputSpec, type OutputSpec } from '../shared/guard-outputs.js';
import { UsageError } from './io.js';

/** `--junit -`: the XML goes to standard output, as `-` means for most tools, instead of to a file named "-". */
export const STDOUT = '-';

/** What `--junit FILE` writes, for the output guard (`--junit -` writes no file). */
export function junitOutputs(file: string | undefined, cwd: string): OutputSpec[] {
  return file && file !== STDOUT ? [{ flag: '--junit', kind: 'file', path: resolve(cwd, file), shown: file }] : [];
}

/** `--junit -` with --json: two documents on one stream cannot be read apart, so it is a usage error before any work. */
export function refuseTwoStdoutDocuments(options: { junit?: string; json?: boolean }): void {
  if (options.junit === STDOUT && options.json) throw new UsageError('--junit - and --json both write to standard output: give --junit a FILE, or leave out --json');
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
