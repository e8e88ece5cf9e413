import type { DownloadResult } from '../../submit/download.js';
import type { Task } from '../../submit/task.js';
import type { ReportedError } from './task-error.js';

/** The one JSON document of status, wait and submit: {ok, task, download, error} (submit adds request and dryRun). */
export function formatTaskJson(document: { ok: boolean; task: Task | null; download?: DownloadResult | null; error?: ReportedError['json'] | null; [extra: string]: unknown }): string {
  const { ok, task, download = null, error = null, ...extra } = document;
  return `${JSON.stringify({ ok, ...extra, task, download, error }, null, 2)}\n`;
}
