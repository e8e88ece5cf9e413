import type { Violation } from '../check/violation.js';
import type { FixPlan } from '../normalize/fix-plan.js';

/** What a job will still break once its plan has run, known before any encode (what `fix --dry-run` shows). */
export interface RemainingViolations {
  /** Per planned file, in the order planned: the violations its plan leaves. */
  files: { path: string; violations: Violation[] }[];
  /** The request's: rules fix does not repair (counts, fields, URLs), and combined durations no cut can fit. */
  request: Violation[];
}

/**
 * Pure: the violations left after the plans. An unfixable file keeps its errors (and the warnings fix cannot act
 * on); a fixable one keeps no error, and keeps a warning only when it is copied or remuxed with no action for its
 * rule (a re-encode or conversion writes new streams). The request keeps what is not fixable, and `over` (the
 * planned totals still over a cap) replaces the source's reading of the same rule.
 */
export function remainingAfterPlan(files: readonly { path: string; plan: FixPlan; violations: readonly Violation[] }[], requestViolations: readonly Violation[], over: readonly Violation[]): RemainingViolations {
  const overRules = new Set(over.map((v) => v.rule));
  return {
    files: files.map(({ path, plan, violations }) => ({ path, violations: violations.filter((v) => remains(v, plan)) })),
    request: [...requestViolations.filter((v) => !v.fixable && !overRules.has(v.rule)), ...over],
  };
}

function remains(v: Violation, plan: FixPlan): boolean {
  if (plan.type === 'unfixable') return v.severity === 'error' || !v.fixable;
  if (v.severity === 'error') return false;
  const streamsKept = plan.mode === 'copy' || plan.mode === 'remux';
  return streamsKept && !plan.actions.some((a) => a.rule === v.rule);
}
