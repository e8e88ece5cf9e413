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

/**
 * One broken rule: a record, never an exception, and never a sentence (the CLI writes the sentence and
 * decides what it means for the exit code). Its text fields name no command of the CLI.
 */
export interface Violation {
  rule: RuleId;
  severity: Severity;
  /** The file's path as the user gave it, or the request's origin (a request file, an asset folder). */
  subject: string;
  limit: LimitSpec | null;
  actual: number | string | boolean | null;
  /** What is wrong, without the subject: "frame rate is 15 fps". */
  problem: string;
  /** What to do, as an imperative (what `fix` applies when `fixable`): "raise the frame rate to 24 fps". */
  fix: string;
  fixable: boolean;
  /** Where the limit comes from. */
  source: string;
  /** Bytes in one MB as the profile reads it; present on byte limits, which are printed in MB. */
  bytesPerMB?: number;
}

export function hasErrors(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.severity === 'error');
}
