import { formatAge } from '../../queue/age-text.js';
import type { JobHolder, QueueStatus, WorkerStatus } from '../../queue/queue-status.js';

/**
 * `queue status`: the counts, one row per job (folder, state, stage, task, and for an active job its worker, said gone
 * when its heartbeat stopped), then one row per worker that published a heartbeat (host, pid, jobs, up, last heartbeat).
 */
export function formatQueueStatus(status: QueueStatus, where: string): string {
  const { counts } = status;
  const alive = status.workers.filter((w) => w.state === 'alive').length;
  const head = `queue ${status.queueName} at ${where}: ${counts.waiting} waiting, ${counts.active} active, ${counts.done} done, ${counts.failed} failed`;
  const lines = [head];
  if (status.jobs.length > 0) {
    const withWorker = status.jobs.some((j) => j.worker !== null);
    const rows = status.jobs.map((j) => [j.relativePath ?? `(job ${j.id})`, j.state, j.stage ?? '-', j.taskId ?? '-', ...(withWorker ? [j.worker ? holderText(j.worker, alive) : '-'] : [])]);
    lines.push(...table(['job', 'state', 'stage', 'task', ...(withWorker ? ['worker'] : [])], rows));
  }
  if (status.workers.length > 0) {
    lines.push(`workers: ${alive} alive, ${status.workers.length - alive} gone`);
    lines.push(...table(['worker', 'host', 'pid', 'jobs', 'up', 'last heartbeat'], status.workers.map(workerRow)));
  }
  return `${lines.join('\n')}\n`;
}

/** An active job's worker: its id while it beats; when it stopped, since when and when the job is handed out again. */
export function holderText(holder: JobHolder, aliveWorkers: number): string {
  const who = holder.workerId ?? '(unnamed worker)';
  if (holder.state === 'alive') return who;
  const seen = holder.state === 'gone' ? `worker ${who} gone (last seen ${formatAge(holder.lastBeatAgeMs ?? 0)} ago)` : `worker ${who} has no heartbeat (a worker of an older version, or one that exited)`;
  if (holder.lockExpiresInMs !== null) return holder.state === 'gone' ? `${seen}: will be taken again when its lock expires (in ${formatAge(holder.lockExpiresInMs)})` : seen;
  return aliveWorkers > 0 ? `${seen}: its lock expired; a running worker takes it again at its next stalled check` : `${seen}: its lock expired; taken again once a worker runs (none is alive)`;
}

function workerRow(w: WorkerStatus): string[] {
  const beat = `${formatAge(w.lastBeatAgeMs)} ago${w.state === 'gone' ? ': gone' : ''}`;
  return [w.id, w.host, String(w.pid), String(w.jobs.length), formatAge(w.beatAt - w.startedAt), beat];
}

/** A header and rows in columns two spaces apart, the last one unpadded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [line(header), ...rows.map(line)];
}

/** `queue status --json`: {queue, now, counts, workers, jobs}; times as ISO dates, ages in ms. */
export function formatQueueStatusJson(status: QueueStatus): string {
  const workers = status.workers.map((w) => ({
    id: w.id,
    host: w.host,
    pid: w.pid,
    state: w.state,
    jobs: w.jobs,
    startedAt: new Date(w.startedAt).toISOString(),
    lastBeatAt: new Date(w.beatAt).toISOString(),
    lastBeatAgeMs: w.lastBeatAgeMs,
    lockDurationMs: w.lockDurationMs,
    beatEveryMs: w.beatEveryMs,
  }));
  return `${JSON.stringify({ queue: status.queueName, now: new Date(status.now).toISOString(), counts: status.counts, workers, jobs: status.jobs }, null, 2)}\n`;
}
