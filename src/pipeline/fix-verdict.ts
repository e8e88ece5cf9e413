import type { FailOn } from '../check/fail-on.js';
import type { Violation } from '../check/violation.js';
import type { FixOutcome } from './fix-targets.js';

/**
 * The warnings fix leaves: on each written output (its verifying check) and on each job's request (checked again on
 * the request written, or, with nothing written, on the sources). These fail `fix --strict`. Pure.
 */
export function remainingWarnings(outcome: FixOutcome): Violation[] {
  const outputs = outcome.jobs.flatMap((j) => j.files.flatMap((f) => (f.ok ? f.outputViolations.filter((v) => v.severity === 'warning') : [])));
  const requests = outcome.jobs.flatMap((j) => j.request.violations.filter((v) => v.severity === 'warning'));
  return [...outputs, ...requests];
}

/** Whether the fix passes at `failOn`: with 'warning' (--strict), no warning may remain either. Pure. */
export function fixPasses(outcome: FixOutcome, failOn: FailOn): boolean {
  return outcome.ok && (failOn === 'error' || remainingWarnings(outcome).length === 0);
}
