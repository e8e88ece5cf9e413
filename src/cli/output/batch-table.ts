import { jobOutcome, type BatchJobResult } from '../../pipeline/job-outcome.js';
import { describeRestart } from '../../pipeline/batch-restart.js';
import { selectionSummary, type FolderSelection } from '../../pipeline/folder-selection.js';
import { isRewritten } from '../../pipeline/file-status.js';
import { renderQcFinding } from '../../text/qc-text.js';
import { interruptedSummary, notDoneSummary, qcSummary } from './run-text.js';
import { shower } from './display.js';

/** What the table says besides the jobs: how many folders --only / --exclude selected. */
export interface BatchTableOptions {
  selection?: FolderSelection;
}

/**
 * The summary table of a batch (local or queued): one row per job with its outcome, task and result; the jobs --restart
 * started over, each with what its journal held; then totals, and how many folders --only / --exclude selected. Jobs and
 * results are named relative to `cwd`, the command's folder, as the report names them.
 */
export function formatBatchTable(results: readonly BatchJobResult[], cwd: string, options: BatchTableOptions = {}): string {
  const name = shower(cwd);
  const rows = results.map((r) => [name(r.job), outcome(r), String(r.fixed.filter(isRewritten).length), r.taskId ?? '-', r.ok ? (r.result ? name(r.result.path) : r.request ? 'dry run' : '-') : `${r.error!.message} (to do: ${r.error!.hint})`]);
  const header = ['job', 'outcome', 'fixed', 'task', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.slice(0, 200).map((r) => (i < 4 ? r[i]!.length : 0))));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
  const warnings = results.flatMap((r) => (r.qc ?? []).map((f) => `${f.severity} ${name(r.job)}: ${renderQcFinding(f)}`));
  const restarted = results.flatMap((r) => (r.restarted ? [`started over by --restart (a new task): ${name(r.job)}: ${describeRestart(r.restarted)}`] : []));
  const selected = options.selection && selectionSummary(options.selection);
  const totals = `${results.filter((r) => r.ok).length} of ${results.length} jobs done${notDoneSummary(results)}${qcSummary(results)}${interruptedSummary(results)}.`;
  return `${[line(header), ...rows.map(line), ...warnings, ...restarted, totals, ...(selected ? [`${selected}.`] : [])].join('\n')}\n`;
}

/** done, busy (another process runs it: skipped here), not started, or the stage it was stopped or failed at. */
function outcome(r: BatchJobResult): string {
  const ended = jobOutcome(r);
  if (ended === 'interrupted') return `stopped at ${r.error!.stage}`;
  return ended === 'failed' ? `failed at ${r.error!.stage}` : ended;
}
