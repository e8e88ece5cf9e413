import { jobOutcome, type BatchJobResult } from '../../pipeline/job-outcome.js';
import { renderQcFinding } from './qc-text.js';
import { interruptedSummary, notDoneSummary, qcSummary } from './run-text.js';

/** The summary table of a batch (local or queued): one row per job with its outcome, task and result, then totals. */
export function formatBatchTable(results: readonly BatchJobResult[], root: string): string {
  const name = (job: string) => (job.startsWith(root) ? job.slice(root.length + 1) || '.' : job);
  const rows = results.map((r) => [name(r.job), outcome(r), String(r.fixed.filter((f) => f.actions.length).length), r.taskId ?? '-', r.ok ? (r.result?.path ?? (r.request ? 'dry run' : '-')) : `${r.error!.message} (to do: ${r.error!.hint})`]);
  const header = ['job', 'outcome', 'fixed', 'task', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.slice(0, 200).map((r) => (i < 4 ? r[i]!.length : 0))));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
  const warnings = results.flatMap((r) => (r.qc ?? []).map((f) => `${f.severity} ${name(r.job)}: ${renderQcFinding(f)}`));
  return `${[line(header), ...rows.map(line), ...warnings].join('\n')}\n${results.filter((r) => r.ok).length} of ${results.length} jobs done${notDoneSummary(results)}${qcSummary(results)}${interruptedSummary(results)}.\n`;
}

/** done, busy (another process runs it: skipped here), not started, or the stage it was stopped or failed at. */
function outcome(r: BatchJobResult): string {
  const ended = jobOutcome(r);
  if (ended === 'interrupted') return `stopped at ${r.error!.stage}`;
  return ended === 'failed' ? `failed at ${r.error!.stage}` : ended;
}
