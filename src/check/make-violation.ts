import type { RuleId } from './rule-catalog.js';
import type { LimitSpec, Severity, Violation } from './violation.js';

export interface ViolationInit {
  rule: RuleId;
  severity?: Severity;
  subject: string;
  limit?: LimitSpec | null;
  actual?: number | string | boolean | null;
  /** What is wrong, without the file name: "frame rate is 15 fps". */
  problem: string;
  /** What to do, as an imperative: "re-encode at 24 fps". */
  fix: string;
  fixable: boolean;
  source: string;
  bytesPerMB?: number;
}

/** A violation as data: the defaults filled in; the sentence is written where it is shown (describeProblem, the CLI). */
export function makeViolation(init: ViolationInit): Violation {
  const limit = init.limit ?? null;
  const violation: Violation = {
    rule: init.rule,
    severity: init.severity ?? 'error',
    subject: init.subject,
    limit,
    actual: init.actual ?? null,
    problem: init.problem,
    fix: init.fix,
    fixable: init.fixable,
    source: init.source,
  };
  // only a byte limit's printing depends on what a MB is
  if (limit?.unit === 'bytes' && init.bytesPerMB !== undefined) violation.bytesPerMB = init.bytesPerMB;
  return violation;
}
