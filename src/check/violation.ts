import type { RuleId } from './rule-catalog.js';

export type Severity = 'error' | 'warning';

/** Units of limits and actual values; they decide how a value is printed. */
export type Unit = 'px' | 'pixels' | 'ratio' | 'bytes' | 's' | 'fps' | 'count' | 'tokens' | 'chars' | 'words' | 'value';

/** The limit a value was held against, as data. */
export interface LimitSpec {
  min?: number;
  max?: number;
  oneOf?: readonly string[];
  unit: Unit;
}

/** One broken rule: a record, never an exception (the CLI decides what it means for the exit code). */
export interface Violation {
  rule: RuleId;
  severity: Severity;
  /** The file's path as the user gave it, or "request" (with the request's origin in `origin`). */
  subject: string;
  limit: LimitSpec | null;
  actual: number | string | boolean | null;
  /** What is wrong, the rule, and what to do, in one sentence a user can act on. */
  message: string;
  /** What to do about it (what `fix` would apply when `fixable`). */
  fix: string;
  fixable: boolean;
  /** Where the limit comes from. */
  source: string;
}

export function hasErrors(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.severity === 'error');
}
