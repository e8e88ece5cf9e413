import type { ApiClient } from './client.js';
import type { DownloadResult } from './download.js';
import type { Task } from './task.js';
import type { WaitOptions } from './wait.js';

export interface WaitAndDownloadResult {
  task: Task;
  /** Set when the task completed and a download path was given. */
  download: DownloadResult | null;
}

/** Waits for a task and, once it completes, downloads results[0] at once (links expire in 24 h). Failed tasks are returned, not thrown. */
export async function waitAndDownload(client: ApiClient, taskId: string, options: WaitOptions & { downloadTo?: string; onDownloadStart?: (url: string) => void }): Promise<WaitAndDownloadResult> {
  const task = await client.waitForTask(taskId, options);
  if (task.status !== 'completed' || !options.downloadTo) return { task, download: null };
  options.onDownloadStart?.(task.results?.[0] ?? '');
  return { task, download: await client.downloadResult(task, options.downloadTo, { signal: options.signal }) };
}
