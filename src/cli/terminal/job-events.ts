import type { JobProgressEvent } from '../../pipeline/run-job.js';
import type { Task } from '../../submit/task.js';
import type { ProgressEvent } from './progress-event.js';

/** A task's poll as a job's progress: its status, percent and the provider's estimate (none when it says 0). */
export function taskEvent(key: string, task: Task): ProgressEvent {
  return { type: 'task', key, id: task.id, status: task.status, progress: task.progress ?? null, etaSeconds: task.task_info?.estimated_time || null };
}

/** The job's progress event as the live area takes it (files named as `show` names them); null for what it does not show. */
export function jobProgressEvent(key: string, event: JobProgressEvent, show: (path: string) => string): ProgressEvent | null {
  if (event.type === 'task') return taskEvent(key, event.task);
  if (event.type === 'encode') return { type: 'encode', key, file: show(event.path), fraction: event.fraction };
  const upload = event.event;
  return upload.type === 'sending' ? { type: 'upload', key, file: show(upload.path), loaded: upload.loaded, bytes: upload.bytes } : null;
}
