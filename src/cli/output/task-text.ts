import { taskFailureHint } from '../../submit/errors.js';
import { taskFailureCommand } from './cli-hint.js';
import type { DownloadResult } from '../../submit/download.js';
import type { Task } from '../../submit/task.js';

/** A task for people: status and progress, then the result link or the error and what to do. */
export function formatTaskText(task: Task, download: DownloadResult | null = null): string {
  const lines = [`task ${task.id} ${task.status}${task.status === 'completed' || task.status === 'failed' ? '' : ` ${task.progress ?? 0}%`}`];
  const facts = [task.model, task.created !== undefined ? `created ${new Date(task.created * 1000).toISOString()}` : null, task.task_info?.video_duration !== undefined ? `video ${task.task_info.video_duration} s` : null];
  if (task.status === 'pending' || task.status === 'processing') facts.push(task.task_info?.estimated_time !== undefined ? `about ${task.task_info.estimated_time} s to go` : null);
  lines.push(`  ${facts.filter(Boolean).join(' · ')}`);
  if (task.status === 'completed') {
    const url = task.results?.[0];
    lines.push(url ? `  result: ${url}` : '  result: none given');
    if (download) lines.push(`  downloaded: ${download.path} (${download.bytes} bytes)`);
    else if (url) lines.push(`  the link expires 24 hours after generation: seedance-preflight wait ${task.id} --download FILE saves it`);
  }
  if (task.status === 'failed' || task.status === 'cancelled') {
    const code = task.error?.code ?? (task.status === 'cancelled' ? 'cancelled' : 'unknown_error');
    lines.push(`  error: ${code}${task.error?.message ? `: ${task.error.message}` : ''}`);
    const command = taskFailureCommand(code);
    lines.push(`  to do: ${taskFailureHint(code)}${command ? `; ${command}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One progress line for logs: "task-… processing 40% (about 12 s to go)". */
export function formatTaskProgress(task: Task): string {
  const eta = task.task_info?.estimated_time !== undefined && (task.status === 'pending' || task.status === 'processing') ? ` (about ${task.task_info.estimated_time} s to go)` : '';
  return `${task.id} ${task.status} ${task.progress ?? 0}%${eta}\n`;
}
