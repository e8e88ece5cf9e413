import type { CheckReport } from '../../check/check-job.js';
import type { Task } from '../../submit/task.js';
import { formatCheckText } from './check-text.js';
import { displayPath } from '../../shared/display-path.js';

/** Why submit refused: every broken rule, then that nothing was sent; paths relative to `cwd`. */
export function formatSubmitRefusal(report: CheckReport, requestFile: string, cwd: string): string {
  const errors = [...report.files.flatMap((f) => f.violations), ...report.request.violations].filter((v) => v.severity === 'error').length;
  // local files stand where URLs must: the commands that make them URLs
  const upload = report.files.length ? 'Upload its local files (seedance-preflight upload, or seedance-preflight run does every stage), fix' : 'Fix';
  return `${formatCheckText(report, cwd)}not submitted: ${displayPath(requestFile, cwd)} breaks ${errors} rule${errors === 1 ? '' : 's'}; nothing was sent and nothing billed. ${upload} the request and submit again.\n`;
}

/** --dry-run: the exact body that would be POSTed, and where. */
export function formatDryRun(request: Record<string, unknown>, url: string): string {
  return `dry run: nothing sent. submit would POST ${url} with:\n${JSON.stringify(request, null, 2)}\n`;
}

/** The line after a create: the id to wait on. */
export function formatCreated(task: Task): string {
  return `created task ${task.id} (${task.status}${task.task_info?.estimated_time !== undefined ? `, about ${task.task_info.estimated_time} s` : ''}); follow it with: seedance-preflight wait ${task.id}\n`;
}
