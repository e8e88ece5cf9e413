import type { BatchJobResult } from '../../pipeline/job-outcome.js';
import { describeRestart } from '../../pipeline/batch-restart.js';
import { junit } from './check-junit.js';
import { renderQcFinding } from '../../text/qc-text.js';
import { redactForOutput } from '../../shared/redact.js';
import { displayPath } from '../../shared/display-path.js';

/**
 * A JUnit XML report of a batch: one test case per job; a failed job carries its stage, message and what to do; a job
 * another process runs is skipped, saying who holds it, as is a job Ctrl-C or SIGTERM stopped or kept from starting
 * (not a failure: the next run resumes it); a job --restart started over, and result QC warnings, go to its output.
 * Jobs are named relative to `cwd`, the command's folder.
 */
export function formatBatchJunit(results: readonly BatchJobResult[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name('seedance-preflight batch');
  for (const r of results) {
    const testCase = suite.testCase().className('job').name(displayPath(r.job, cwd));
    const skipped = (r.busy || r.cancelled) && r.error;
    if (skipped) testCase.skipped();
    else if (r.error) testCase.failure(`${r.error.stage}: ${r.error.message} (to do: ${r.error.hint})`, r.error.stage);
    // one output (the builder keeps the last one set): why it was skipped, that --restart started it over (a new paid task), its QC warnings
    const output = [
      ...(skipped ? [`${r.error!.message} (to do: ${r.error!.hint})`] : []),
      ...(r.restarted ? [`started over by --restart (a new task): ${describeRestart(r.restarted)}`] : []),
      ...(r.qc ?? []).map((f) => `${f.severity}: ${renderQcFinding(f)}`),
    ];
    if (output.length) testCase.standardOutput(output.join('\n'));
  }
  // the redaction policy: a URL's credentials and the environment's secrets never reach a CI artifact
  return redactForOutput(builder.build(), env);
}
