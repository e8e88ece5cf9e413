import { makeViolation } from '../check/make-violation.js';
import { hasErrors, type Violation } from '../check/violation.js';
import type { InputFileError } from '../shared/read-text-file.js';
import { ruleSource } from '../spec/rule-sources.js';

const CONFINED_SOURCE = ruleSource('file.outside_job');

/** A job's file (media or text) that resolves outside the job's folder: reported, never opened. */
export function outsideJobViolation(subject: string, path: string, resolved: string, jobDir: string): Violation {
  return makeViolation({
    rule: 'file.outside_job',
    subject,
    actual: resolved,
    problem: `${path === subject ? 'it' : path} ${resolved === path ? 'is' : `resolves to ${resolved},`} outside the job's folder ${jobDir}; nothing outside a job is opened`,
    fix: "move the file into the job's folder, or pass --allow-outside-paths if it is kept elsewhere on purpose",
    fixable: false,
    source: CONFINED_SOURCE,
  });
}

/**
 * A text input the tool refused to read (request file, prompt.txt), as a violation of its job: outside the folder is
 * file.outside_job; not a regular file or too long is the rule of what the file holds (request.json, request.prompt).
 */
export function inputFileViolation(subject: string, error: InputFileError, rule: 'request.json' | 'request.prompt'): Violation {
  if (error.problem === 'outside') {
    return makeViolation({ rule: 'file.outside_job', subject, actual: error.path, problem: `${error.path} ${error.clause}; nothing outside a job is opened`, fix: "move the file into the job's folder, or pass --allow-outside-paths if it is kept elsewhere on purpose", fixable: false, source: CONFINED_SOURCE });
  }
  const noun = rule === 'request.json' ? 'the request file' : `the prompt file ${error.path}`;
  return makeViolation({
    rule,
    subject,
    actual: error.problem,
    problem: `${noun} cannot be used: ${error.detail}`,
    fix: error.problem === 'too-large' ? 'shorten it' : error.problem === 'not-regular' ? 'replace it with a regular file' : 'make it a readable regular file',
    fixable: false,
    source: ruleSource(rule),
  });
}

/**
 * The verdict on a job's fixed request with its source's load violations kept (refused text inputs, data URIs, URLs
 * with credentials: fix cannot repair the user's file, and its rewrite leaves such entries out, so the copy alone
 * would pass, or say only "prompt is missing" instead of why).
 */
export function withInputFileViolations(request: { ok: boolean; violations: Violation[] }, sourceViolations: readonly Violation[]): { ok: boolean; violations: Violation[] } {
  const kept = sourceViolations.filter((v) => !v.fixable);
  if (kept.length === 0) return request;
  const rules = new Set(kept.map((v) => v.rule));
  const violations = [...kept, ...request.violations.filter((v) => !rules.has(v.rule))];
  return { ok: !hasErrors(violations), violations };
}
