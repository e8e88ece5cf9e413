import type { FixOutcome } from '../../pipeline/fix-targets.js';
import type { FailOn } from '../../check/fail-on.js';
import { fixPasses } from '../../pipeline/fix-verdict.js';
import { violationJson } from '../../text/violation-text.js';
import { shower, shownFixOutcome } from './display.js';

/**
 * `fix --json`: the `check --json` shape, plus per file its `output`, `mode` and the actions taken (before → after), and per
 * request its output. `interrupted` (top level): Ctrl-C or SIGTERM stopped the fix; per file, `interrupted` (stopped
 * part-way) or `notStarted`: neither is a file that cannot be fixed. Paths relative to `cwd`, the command's folder. In a
 * dry run, each file's `outputViolations` and the `request` are what the plan leaves (src/pipeline/remaining-plan.ts).
 */
export function formatFixJson(given: FixOutcome, cwd: string, failOn: FailOn = 'error'): string {
  // the verdict is judged on the outcome as it is; only the paths are shown otherwise
  const ok = fixPasses(given, failOn);
  const outcome = shownFixOutcome(given, shower(cwd));
  const jobs = outcome.jobs;
  const violations = jobs.flatMap((j) => j.request.violations);
  const strict = failOn === 'warning';
  const document = {
    ok,
    dryRun: outcome.dryRun,
    files: jobs.flatMap((j) =>
      j.files.map(({ path, kind, ok, violations, output, mode, actions, cached, error, interrupted, outputViolations }) => ({
        path,
        kind,
        // with --strict (--fail-on warning), an output that still has warnings does not pass
        ok: ok && !(strict && outputViolations.length > 0),
        violations: violations.map(violationJson),
        // what the written output still breaks as checked again (warnings on an accepted one), or a rejected one's errors
        outputViolations: outputViolations.map(violationJson),
        output,
        mode,
        actions,
        cached,
        error,
        interrupted: interrupted === 'stopped',
        notStarted: interrupted === 'not started',
      })),
    ),
    request: { ok: strict ? violations.length === 0 : !violations.some((v) => v.severity === 'error'), violations: violations.map(violationJson) },
    // a request fix could not write is listed too, with the files that kept it from being written
    requests: jobs
      .filter((j) => j.requestOutput !== null || j.requestBlockedBy.length)
      .map((j) => ({ label: j.label, output: j.requestOutput, blockedBy: j.requestBlockedBy })),
    interrupted: jobs.some((j) => j.files.some((f) => f.interrupted)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
