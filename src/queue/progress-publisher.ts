import { basename, isAbsolute, relative } from 'node:path';
import type { JobProgressEvent } from '../pipeline/run-job.js';
import type { Task } from '../submit/task.js';
import type { QueuedProgress, QueuedProgressEvent } from './job-data.js';
import { emptyThrottle, stepThrottle, type ThrottleInput } from './progress-throttle.js';

/** At most two updates a second per job within a stage: a follower redraws at that pace, and Redis keeps up with a fleet. */
export const PROGRESS_INTERVAL_MS = 500;
/** Longest file name or task status an update carries: they are shown on one line. */
const MAX_TEXT = 200;

const bounded = (text: string) => (text.length > MAX_TEXT ? `…${text.slice(-(MAX_TEXT - 1))}` : text);

/** A file as the follower is told it: relative to the job's folder (only its name when outside it: the worker's paths are its own). */
export function jobRelativeFile(folder: string, path: string): string {
  const inside = relative(folder, path);
  return bounded(inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : basename(path));
}

/** runJob's event (or a task's poll) as a queued update's event; null for what the follower does not show. */
export function queuedProgressEventOf(folder: string, event: JobProgressEvent): QueuedProgressEvent | null {
  if (event.type === 'task') return queuedTaskEvent(event.task);
  if (event.type === 'encode') return { type: 'encode', file: jobRelativeFile(folder, event.path), fraction: Math.min(1, Math.max(0, event.fraction)) };
  const upload = event.event;
  return upload.type === 'sending' ? { type: 'upload', file: jobRelativeFile(folder, upload.path), loaded: upload.loaded, bytes: upload.bytes } : null;
}

/** A task's poll: its id, status, percent and estimate only (the task object may hold result URLs). */
function queuedTaskEvent(task: Task): QueuedProgressEvent {
  return { type: 'task', id: bounded(task.id), status: bounded(String(task.status)), progress: task.progress ?? null, etaSeconds: task.task_info?.estimated_time || null };
}

/** Where a job's updates go (job.updateProgress), stage updates at once, events within a stage rate-limited. */
export interface ProgressPublisher {
  stage(stage: string, detail: string, taskId: string | null): void;
  event(event: QueuedProgressEvent): void;
  /** The job ended: what waits goes out, the timer stops. */
  close(): void;
}

export function progressPublisher(send: (progress: QueuedProgress) => void, now: () => number = Date.now): ProgressPublisher {
  const state = emptyThrottle<QueuedProgressEvent>(PROGRESS_INTERVAL_MS);
  let current: QueuedProgress = { stage: '', detail: '', taskId: null };
  let timer: NodeJS.Timeout | undefined;
  // each key's last event this stage: an encoder that says 100 % twice sends one update
  const given = new Map<string, string>();
  const step = (input: ThrottleInput<QueuedProgressEvent>) => {
    const { send: out, wakeAt } = stepThrottle(state, input);
    for (const event of out) send({ ...current, event });
    clearTimeout(timer);
    timer = wakeAt === null ? undefined : setTimeout(() => step({ type: 'tick', at: now() }), Math.max(0, wakeAt - now())).unref();
  };
  return {
    stage(stage, detail, taskId) {
      step({ type: 'flush', at: now() });
      given.clear();
      current = { stage, detail, taskId };
      send(current);
    },
    event(event) {
      const key = event.type === 'task' ? 'task' : `${event.type}:${event.file}`;
      const text = JSON.stringify(event);
      if (given.get(key) === text) return;
      given.set(key, text);
      step({ type: 'event', at: now(), key, value: event });
    },
    close() {
      step({ type: 'flush', at: now() });
    },
  };
}
