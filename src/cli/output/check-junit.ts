import junitModule, { type Builder, type TestCase } from 'junit-report-builder';
import { rulesForKind, type RuleId } from '../../check/rule-catalog.js';
import type { CheckReport } from '../../check/check-job.js';
import type { FailOn } from '../../check/fail-on.js';
import type { Violation } from '../../check/violation.js';
import { renderViolation } from '../../text/violation-text.js';
import { redactForOutput } from '../../shared/redact.js';
import { shower, shownCheckReport } from './display.js';

// its types declare an ES default export, but at run time module.exports is the builder itself
export const junit = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

/**
 * A JUnit XML report: one test case per file and rule (passing rules included), and per request rule that failed.
 * Warnings go to the case's output, or, with `failOn: 'warning'` (--strict), fail the case like errors. Paths relative to `cwd`.
 */
export function formatCheckJunit(given: CheckReport, cwd: string, suiteName = 'seedance-preflight check', env: NodeJS.ProcessEnv = process.env, failOn: FailOn = 'error'): string {
  const report = shownCheckReport(given, shower(cwd));
  const builder = junit.newBuilder();
  const files = builder.testSuite().name(`${suiteName}: files`);
  for (const file of report.files) {
    const rules: RuleId[] = file.kind ? rulesForKind(file.kind) : [];
    for (const v of file.violations) if (!rules.includes(v.rule)) rules.push(v.rule);
    for (const rule of rules) addCase(files.testCase().className(file.path).name(rule), file.violations.filter((v) => v.rule === rule), failOn);
  }
  const request = builder.testSuite().name(`${suiteName}: requests`);
  const subjects = [...new Set(report.request.violations.map((v) => v.subject))];
  for (const subject of subjects) {
    const violations = report.request.violations.filter((v) => v.subject === subject);
    for (const rule of [...new Set(violations.map((v) => v.rule))]) {
      addCase(request.testCase().className(subject).name(rule), violations.filter((v) => v.rule === rule), failOn);
    }
  }
  // the redaction policy: a URL's credentials and the environment's secrets never reach a CI artifact
  return redactForOutput(builder.build(), env);
}

function addCase(testCase: TestCase, violations: Violation[], failOn: FailOn): void {
  if (failOn === 'warning') {
    if (violations.length) testCase.failure(violations.map((v) => (v.severity === 'warning' ? `warning: ${renderViolation(v)}` : renderViolation(v))).join('\n'), violations[0]!.rule);
    return;
  }
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length) testCase.failure(errors.map((v) => renderViolation(v)).join('\n'), errors[0]!.rule);
  const warnings = violations.filter((v) => v.severity === 'warning');
  if (warnings.length) testCase.standardOutput(warnings.map((v) => `warning: ${renderViolation(v)}`).join('\n'));
}
