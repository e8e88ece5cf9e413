import type { QueueStatus } from '../../queue/queue-status.js';

/** `queue status`: the counts, then one row per job (folder, state, stage, task). */
export function formatQueueStatus(status: QueueStatus, where: string): string {
  const { counts } = status;
  const head = `queue ${status.queueName} at ${where}: ${counts.waiting} waiting, ${counts.active} active, ${counts.done} done, ${counts.failed} failed`;
  if (status.jobs.length === 0) return `${head}\n`;
  const rows = status.jobs.map((j) => [j.relativePath ?? `(job ${j.id})`, j.state, j.stage ?? '-', j.taskId ?? '-']);
  const header = ['job', 'state', 'stage', 'task'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  return `${[head, line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `queue status --json`: {queue, counts, jobs}. */
export function formatQueueStatusJson(status: QueueStatus): string {
  return `${JSON.stringify({ queue: status.queueName, counts: status.counts, jobs: status.jobs }, null, 2)}\n`;
}
