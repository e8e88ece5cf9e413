import { makeViolation } from '../check/make-violation.js';
import { hasErrors, type Violation } from '../check/violation.js';
import type { CheckReport } from '../check/check-job.js';
import { checkTargets } from './check-targets.js';
import type { Profile } from '../spec/profile.js';
import { ruleSource } from '../spec/rule-sources.js';

export interface PreparedRequest {
  /** The request exactly as it will be sent; null when the file is not a JSON object. */
  request: Record<string, unknown> | null;
  /** Every rule the request breaks (local media included): submit refuses when ok is false. */
  report: CheckReport;
  ok: boolean;
}

/** Loads a request file for submit: media must be URLs, and the request must pass every check rule (the pipeline checks; the API client in src/submit only sends). */
export async function prepareRequest(requestFile: string, profile: Profile, options: { verifyUrls?: boolean; signal?: AbortSignal } = {}): Promise<PreparedRequest> {
  const { report, jobs, inputs } = await checkTargets({ requestFile, profile, remote: options.verifyUrls ?? true, signal: options.signal });
  const job = jobs[0]!;
  const violations: Violation[] = [...report.request.violations];
  for (const file of report.files) {
    // submit sends URLs only: a local file must be uploaded first
    violations.push(
      makeViolation({
        rule: 'request.media_url',
        subject: job.label,
        actual: file.path,
        problem: `${file.path} is a local file, and submit sends URLs only`,
        fix: 'upload it first and put its URL in the request',
        fixable: false,
        source: ruleSource('request.media_url'),
      }),
    );
  }
  const request = inputs[0]!.request;
  const ok = !hasErrors(violations) && request !== null;
  return { request, ok, report: { ok, files: report.files, request: { ok, violations } } };
}
