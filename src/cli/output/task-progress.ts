import type { Task } from '../../submit/task.js';
import type { RetryEvent } from '../../submit/http.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { formatTaskProgress } from './task-text.js';

interface TaskProgress {
  onProgress(task: Task): void;
  stop(): void;
}

/** A bar on a terminal; in logs, one line each time the status changes. Always on stderr. */
export async function createTaskProgress(io: CliIo): Promise<TaskProgress> {
  const bar = await createProgress(io, 'waiting');
  let lastStatus: string | null = null;
  return {
    onProgress(task) {
      if (io.stderrIsTTY && io.progressStream) {
        bar.update(task.progress ?? 0, 100);
        return;
      }
      if (task.status !== lastStatus) io.stderr(formatTaskProgress(task));
      lastStatus = task.status;
    },
    stop: () => bar.stop(),
  };
}

/** "create answered HTTP 429 rate_limit_exceeded: …; retrying in 2 s (attempt 1 failed)". */
export function formatRetry(event: RetryEvent): string {
  return `${event.operation}: ${event.reason}; retrying in ${Number((event.delayMs / 1000).toFixed(2))} s (attempt ${event.attempt} failed)\n`;
}
