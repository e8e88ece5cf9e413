import type { Task } from '../../submit/task.js';
import type { RetryEvent } from '../../submit/http.js';
import type { CliIo } from '../io.js';
import { terminalOf } from '../terminal/terminal.js';
import { formatTaskProgress } from './task-text.js';

interface TaskProgress {
  onProgress(task: Task): void;
  stop(): void;
}

/** The task's line in the live area on a terminal; in logs, one line each time the status changes; nothing under -q. Always on stderr. */
export async function createTaskProgress(io: CliIo): Promise<TaskProgress> {
  const terminal = terminalOf(io);
  const view = await terminal.view({ noun: 'job', total: 1, log: false });
  let lastStatus: string | null = null;
  return {
    onProgress(task) {
      if (view.live) {
        view.update({ type: 'stage', key: task.id, stage: 'wait', detail: '' });
        view.update({ type: 'task', key: task.id, id: task.id, status: task.status, progress: task.progress ?? null, etaSeconds: task.task_info?.estimated_time ?? null });
        return;
      }
      if (task.status !== lastStatus) terminal.info(formatTaskProgress(task));
      lastStatus = task.status;
    },
    stop: () => view.stop(),
  };
}

/** "create answered HTTP 429 rate_limit_exceeded: …; retrying in 2 s (attempt 1 failed)". */
export function formatRetry(event: RetryEvent): string {
  return `${event.operation}: ${event.reason}; retrying in ${Number((event.delayMs / 1000).toFixed(2))} s (attempt ${event.attempt} failed)\n`;
}
