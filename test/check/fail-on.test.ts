import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/check-job.js';
import { judgeReport } from '../../src/check/fail-on.js';
import { makeViolation } from '../../src/check/make-violation.js';
import type { Severity } from '../../src/check/violation.js';

const violation = (severity: Severity, subject: string) => makeViolation({ rule: 'video.codec', severity, subject, problem: 'p', fix: 'f', fixable: false, source: 's' });
const file = (path: string, ...severities: Severity[]) => {
  const violations = severities.map((s) => violation(s, path));
  return { path, kind: 'video' as const, ok: !severities.includes('error'), violations, info: null };
};
function report(files: ReturnType<typeof file>[], request: Severity[] = []): CheckReport {
  const violations = request.map((s) => violation(s, 'request.json'));
  const requestOk = !request.includes('error');
  return { ok: requestOk && files.every((f) => f.ok), files, request: { ok: requestOk, violations } };
}
const oks = (r: CheckReport) => ({ ok: r.ok, files: r.files.map((f) => f.ok), request: r.request.ok });

describe('judgeReport', () => {
  // [case, report, judged at 'error', judged at 'warning']
  const cases: Array<[string, CheckReport, ReturnType<typeof oks>, ReturnType<typeof oks>]> = [
    ['clean', report([file('a')]), { ok: true, files: [true], request: true }, { ok: true, files: [true], request: true }],
    ['a file warning', report([file('a', 'warning'), file('b')]), { ok: true, files: [true, true], request: true }, { ok: false, files: [false, true], request: true }],
    ['a request warning', report([file('a')], ['warning']), { ok: true, files: [true], request: true }, { ok: false, files: [true], request: false }],
    ['an error', report([file('a', 'error')]), { ok: false, files: [false], request: true }, { ok: false, files: [false], request: true }],
    ['an error and a warning', report([file('a', 'error', 'warning')], ['warning']), { ok: false, files: [false], request: true }, { ok: false, files: [false], request: false }],
    ['no files, no request problems', report([]), { ok: true, files: [], request: true }, { ok: true, files: [], request: true }],
  ];
  it.each(cases)('%s', (_name, input, atError, atWarning) => {
    expect(oks(judgeReport(input, 'error'))).toEqual(atError);
    expect(oks(judgeReport(input, 'warning'))).toEqual(atWarning);
  });

  it('keeps the violations and their severities', () => {
    const input = report([file('a', 'warning')], ['warning', 'error']);
    const judged = judgeReport(input, 'warning');
    expect(judged.files[0]!.violations).toEqual(input.files[0]!.violations);
    expect(judged.request.violations).toEqual(input.request.violations);
  });
});
