import { countOutcomes, jobOutcome, type BatchJobResult } from '../../pipeline/job-outcome.js';
import { qcFindingJson, renderQcFinding } from '../../text/qc-text.js';
import type { Violation } from '../../check/violation.js';
import { violationJson } from '../../text/violation-text.js';
import { shower, shownJobResult, shownViolation } from './display.js';

/**
 * Per job: done (with the result file and what was fixed) or the stage that failed and what to do; then a summary. Paths
 * relative to `cwd`, the command's folder, as the report shows them.
 */
export function formatRunText(given: readonly BatchJobResult[], cwd: string, dryRun: boolean): string {
  const lines: string[] = [];
  const show = shower(cwd);
  const results = given.map((r) => shownJobResult(r, show));
  for (const r of results) {
    if (r.busy && r.error) {
      // another process runs this job: nothing was done here, which is not a failure
      lines.push(`- ${r.job}  ${r.error.message}`);
      lines.push(`    to do: ${r.error.hint}`);
      continue;
    }
    if (r.cancelled && r.error) {
      // stopped by Ctrl-C or SIGTERM: not a failure, the next run resumes it
      lines.push(`- ${r.job}  ${r.notStarted ? r.error.message : `stopped at ${r.error.stage}: ${r.error.message}`}`);
      lines.push(`    to do: ${r.error.hint}`);
      continue;
    }
    if (r.error) {
      lines.push(`✗ ${r.job}  failed at ${r.error.stage}: ${r.error.message}`);
      lines.push(`    to do: ${r.error.hint}`);
      continue;
    }
    if (dryRun) {
      lines.push(`✓ ${r.job}  dry run: checked and fixed; nothing uploaded, nothing billed`);
      lines.push(`    request that would be sent:`);
      lines.push(...JSON.stringify(r.request, null, 2).split('\n').map((l) => `      ${l}`));
      if (r.costDrivers) lines.push(`    cost drivers: ${r.costDrivers.outputSeconds} s of output video, ${r.costDrivers.inputVideoSeconds} s of input video, content filter factor ${r.costDrivers.contentFilterFactor}`);
    } else {
      const resumed = r.resumed.length ? ` (resumed: ${[...new Set(r.resumed)].join(', ')} already done)` : '';
      lines.push(`✓ ${r.job}  task ${r.taskId} completed → ${r.result?.path ?? '?'}${resumed}`);
      for (const finding of r.qc ?? []) lines.push(`    ${finding.severity} ${renderQcFinding(finding)}`);
    }
    for (const earlier of r.previousResults ?? []) lines.push(`    kept the earlier result of task ${earlier.taskId} (previous request): ${earlier.path}`);
    // a resumed fix did nothing in this run: its files were fixed by an earlier one (read back from the journal)
    const fixedWhen = r.resumed.includes('fix') ? 'fixed earlier' : 'fixed';
    for (const f of r.fixed.filter((f) => f.actions.length > 0)) lines.push(`    ${fixedWhen} ${f.path}: ${f.actions.map((a) => a.what).join('; ')}`);
  }
  lines.push(`${results.filter((r) => r.ok).length} of ${results.length} job${results.length === 1 ? '' : 's'} ${dryRun ? 'ready' : 'done'}${notDoneSummary(results)}${qcSummary(results)}${interruptedSummary(results)}.`);
  return `${lines.join('\n')}\n`;
}

/** ", 1 failed, 2 busy": the jobs that ended neither done nor interrupted, a job another process runs counted apart from the failed. */
export function notDoneSummary(results: readonly BatchJobResult[]): string {
  const { failed, busy } = countOutcomes(results);
  return `${failed ? `, ${failed} failed` : ''}${busy ? `, ${busy} busy` : ''}`;
}

/** "; interrupted: 3 of 5 jobs not finished (2 stopped, 1 not started); run again to resume", or "" when nothing was interrupted. */
export function interruptedSummary(results: readonly BatchJobResult[]): string {
  const counts = countOutcomes(results);
  const stopped = counts.interrupted;
  const notStarted = counts['not started'];
  if (!stopped && !notStarted) return '';
  const parts = [stopped ? `${stopped} stopped` : '', notStarted ? `${notStarted} not started` : ''].filter(Boolean);
  return `; interrupted: ${stopped + notStarted} of ${results.length} job${results.length === 1 ? '' : 's'} not finished (${parts.join(', ')}); run again to resume`;
}

/** "; 1 result differs from its request": the jobs whose downloaded video drew QC warnings. */
export function qcSummary(results: readonly BatchJobResult[]): string {
  const differing = results.filter((r) => r.qc?.length).length;
  return differing ? `; ${differing} result${differing === 1 ? ' differs from its request' : 's differ from their requests'}` : '';
}

/**
 * `run --json` / `batch --json`: {ok, dryRun, jobs: [...]}; each job's `outcome` says how it ended; `extra` goes before
 * `jobs` (batch: the folders --only/--exclude selected). Paths relative to `cwd`, the command's folder.
 */
export function formatRunJson(given: readonly BatchJobResult[], dryRun: boolean, cwd: string, extra: Record<string, unknown> = {}, violations: ReadonlyArray<readonly Violation[] | null> = []): string {
  const show = shower(cwd);
  const results = given.map((r) => shownJobResult(r, show));
  const jobs = results.map((r, i) => ({
    job: r.job,
    ok: r.ok,
    taskId: r.taskId,
    result: r.result,
    qc: r.qc?.map(qcFindingJson) ?? null,
    resumed: [...new Set(r.resumed)],
    fixed: r.fixed.map(({ path, kind, mode, actions, output, cached }) => ({ path, kind, mode, actions, output, cached })),
    uploads: (r.uploads ?? []).map(({ path, key, url, bytes, uploaded }) => ({ path, key, url, bytes, uploaded })),
    request: r.request,
    costDrivers: r.costDrivers,
    error: r.error,
    state: r.state ?? null,
    notes: r.notes ?? [],
    previousResults: r.previousResults ?? [],
    cancelled: r.cancelled ?? false,
    busy: r.busy ?? null,
    outcome: jobOutcome(r),
    // stopped part-way by the signal; or reached by it before its turn, so nothing of it ran
    interrupted: jobOutcome(r) === 'interrupted',
    notStarted: r.notStarted ?? false,
    // batch --restart started it over with a new task: what its journal held before (its task, or its unanswered create)
    restarted: r.restarted ?? null,
    // what the job's check found in it as given, by rule id (run --dry-run --json); null where not asked for
    violations: violations[i]?.map((v) => violationJson(shownViolation(v, show))) ?? null,
  }));
  return `${JSON.stringify({ ok: results.every((r) => r.ok), dryRun, ...extra, jobs }, null, 2)}\n`;
}

