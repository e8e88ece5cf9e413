import { PreflightError } from './errors.js';
import { identifyPath } from './identify-path.js';
import { findOutputProblems, type OutputClaim, type RunInput } from './output-guard.js';

/** An output named where it would overwrite an input, another output, or a file the tool did not write: nothing was written. */
export class OutputGuardError extends PreflightError {
  readonly kind = 'output-guard';
  constructor(readonly problems: readonly string[]) {
    super(problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more output problem${problems.length > 2 ? 's' : ''})` : problems[0]!);
  }
}

/** A path the run writes, before the file system is asked about it. */
export type OutputSpec = Omit<OutputClaim, 'id'> & { path: string };
/** A file the run reads, before the file system is asked about it. */
export type InputSpec = Omit<RunInput, 'id'> & { path: string };

/** Throws OutputGuardError when an output would land on an input (by path, through links, or as a hard link), on another output, or is of the wrong type. */
export async function guardOutputs(outputs: readonly OutputSpec[], inputs: readonly InputSpec[]): Promise<void> {
  const problems = await outputProblems(outputs, inputs);
  if (problems.length) throw new OutputGuardError(problems);
}

export async function outputProblems(outputs: readonly OutputSpec[], inputs: readonly InputSpec[]): Promise<string[]> {
  const [claims, facts] = await Promise.all([
    Promise.all(outputs.map(async ({ path, ...rest }) => ({ ...rest, id: await identifyPath(path) }))),
    Promise.all(inputs.map(async ({ path, ...rest }) => ({ ...rest, id: await identifyPath(path) }))),
  ]);
  // an input that is not there is not overwritten (check reports it missing)
  return findOutputProblems(claims, facts.filter((f) => f.id.type !== 'missing'));
}
