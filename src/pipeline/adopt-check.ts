import { OUTPUT_DEFAULTS } from '../spec/output-sizes.js';
import type { Task } from '../submit/task.js';

/** A task created this long before the journal recorded sending the create is still taken as its task: the two clocks may differ. */
export const ADOPT_CLOCK_SKEW_SECONDS = 60;
/** A task created later than this after the create was sent is not its task: a create is answered (or lost) within its timeout. */
export const ADOPT_LATEST_SECONDS = 600;

/** What the job knows of the create it lost: the request it sent and when the journal recorded sending it. */
export interface SentCreate {
  request: Record<string, unknown>;
  /** ISO time of the journal's submit.at (state sending or unknown). */
  sentAt: string | null;
}

/** One way the task differs from the job's create: the field, the task's side and the job's side. */
export interface AdoptMismatch {
  field: 'model' | 'duration' | 'created';
  task: string;
  job: string;
}

/**
 * Pure: how a task (its detail: model, task_info.video_duration, created) differs from the create the job sent; [] when
 * nothing it carries contradicts it. The detail has no prompt, so this proves what it can, not that the task is the job's.
 */
export function adoptMismatches(task: Pick<Task, 'model' | 'task_info' | 'created'>, sent: SentCreate): AdoptMismatch[] {
  const found: AdoptMismatch[] = [];
  const model = sent.request.model;
  if (typeof model === 'string' && task.model !== undefined && task.model !== model) found.push({ field: 'model', task: task.model, job: model });
  const duration = task.task_info?.video_duration;
  const asked = typeof sent.request.duration === 'number' ? sent.request.duration : null;
  const expected = asked ?? OUTPUT_DEFAULTS.durationSeconds;
  if (duration !== undefined && duration !== expected) found.push({ field: 'duration', task: `${duration} s`, job: asked === null ? `${expected} s (the default; the request names none)` : `${expected} s` });
  const sentMs = sent.sentAt === null ? NaN : Date.parse(sent.sentAt);
  if (task.created !== undefined && Number.isFinite(sentMs)) {
    const createdMs = task.created * 1000;
    const early = createdMs < sentMs - ADOPT_CLOCK_SKEW_SECONDS * 1000;
    const late = createdMs > sentMs + ADOPT_LATEST_SECONDS * 1000;
    if (early || late) found.push({ field: 'created', task: new Date(createdMs).toISOString(), job: new Date(sentMs).toISOString() });
  }
  return found;
}

/** "task X: model A, the job's request: B; …": both sides of every mismatch, in one line. */
export function describeMismatches(taskId: string, mismatches: readonly AdoptMismatch[]): string {
  const side = (m: AdoptMismatch) =>
    m.field === 'created'
      ? `created ${m.task}, the job's create was sent ${m.job} (its task is created from ${ADOPT_CLOCK_SKEW_SECONDS} s before to ${ADOPT_LATEST_SECONDS / 60} min after)`
      : `${m.field} ${m.task}, the job's request: ${m.job}`;
  return `task ${taskId}: ${mismatches.map(side).join('; ')}`;
}
