import { formatLimit } from './format-value.js';
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

/** Builds a violation whose message says what is wrong, the rule and its limit, and what to do. */
export function makeViolation(init: ViolationInit): Violation {
  const limit = init.limit ?? null;
  const allowed = limit ? `; allowed: ${formatLimit(limit, init.bytesPerMB)}` : '';
  const todo = init.fixable ? `Fix: ${init.fix} (seedance-preflight fix does this)` : `To do: ${init.fix}`;
  return {
    rule: init.rule,
    severity: init.severity ?? 'error',
    subject: init.subject,
    limit,
    actual: init.actual ?? null,
    message: `${init.subject}: ${init.problem}${allowed} (rule ${init.rule}). ${todo}.`,
    fix: init.fix,
    fixable: init.fixable,
    source: init.source,
  };
}
