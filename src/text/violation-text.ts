import { describeProblem } from '../check/describe-problem.js';
import type { Violation } from '../check/violation.js';

/**
 * The one sentence a user reads for a violation: what is wrong, the rule and its limit, and what to do
 * ("… (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).").
 * `subject: false` leaves the file out, for lines printed under the file's own heading.
 */
export function renderViolation(v: Violation, options: { subject?: boolean } = {}): string {
  const todo = v.fixable ? `Fix: ${v.fix} (seedance-preflight fix does this)` : `To do: ${v.fix}`;
  return `${describeProblem(v, options)}. ${todo}.`;
}

/** A violation as a line under a heading that names `heading`: its subject is left out when it is that same file or request. */
export function violationLine(v: Violation, heading: string): string {
  return `    ${v.severity.padEnd(7)} ${renderViolation(v, { subject: v.subject !== heading })}`;
}

/** A violation as `check --json` and `fix --json` print it: the documented keys, in order, `message` rendered here. */
export function violationJson(v: Violation) {
  const { rule, severity, subject, limit, actual, fix, fixable, source } = v;
  return { rule, severity, subject, limit, actual, message: renderViolation(v), fix, fixable, source };
}
