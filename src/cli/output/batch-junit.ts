import type { BatchJobResult } from '../../pipeline/job-outcome.js';
import { junit } from './check-junit.js';
import { renderQcFinding } from './qc-text.js';
import { redactForOutput } from '../../shared/redact.js';

/**
 * A JUnit XML report of a batch: one test case per job; a failed job carries its stage, message and what to do; a job
 * another process runs is skipped, saying who holds it, as is a job Ctrl-C or SIGTERM stopped or kept from starting
 * (not a failure: the next run resumes it); result QC warnings go to its output.
 */
export function formatBatchJunit(results: readonly BatchJobResult[], env: NodeJS.ProcessEnv = process.env): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name('seedance-preflight batch');
  for (const r of results) {
    const testCase = suite.testCase().className('job').name(r.job);
    if ((r.busy || r.cancelled) && r.error) testCase.skipped().standardOutput(`${r.error.message} (to do: ${r.error.hint})`);
    else if (r.error) testCase.failure(`${r.error.stage}: ${r.error.message} (to do: ${r.error.hint})`, r.error.stage);
    if (r.qc?.length) testCase.standardOutput(r.qc.map((f) => `${f.severity}: ${renderQcFinding(f)}`).join('\n'));
  }
  // the redaction policy: a URL's credentials and the environment's secrets never reach a CI artifact
  return redactForOutput(builder.build(), env);
}
