import type { FitMode } from '../normalize/fix-plan.js';
import type { RunJobResult } from '../pipeline/run-job.js';
import { sha256Text } from '../pipeline/fingerprint.js';
import type { Profile } from '../spec/profile.js';

/** The shape of a queued job's data; a worker reads only the format it knows. */
export const JOB_FORMAT = 1;

export const DEFAULT_QUEUE_NAME = 'seedance-preflight';

/** BullMQ's job name for ours (a dashboard shows it). */
export const JOB_NAME = 'asset-folder';

/** The settings of the batch that enqueued the job: every worker runs it as that batch would have. */
export interface QueuedSettings {
  fit: FitMode;
  audioFormat: 'mp3' | 'wav';
  prompt?: string;
  /** The limit profile itself, not its name: a worker's files may differ. */
  profile: Profile;
  allowOutsidePaths: boolean;
  timeoutMs?: number;
}

export interface QueuedJobData {
  format: typeof JOB_FORMAT;
  toolVersion: string;
  /** ROOT as the enqueuer saw it (absolute); a worker whose mount differs maps it with --root. */
  root: string;
  /** The asset folder under ROOT ('.' for ROOT itself). */
  relativePath: string;
  /** What the provider would receive, hashed (src/pipeline/fingerprint.ts). */
  fingerprint: string;
  settings: QueuedSettings;
  /** A failed job's result, written by the worker before it fails the job (a completed one returns it instead). */
  result?: RunJobResult;
}

/** What a worker tells about a job while it runs (job.progress): the stage, its detail, the task once known. */
export interface QueuedProgress {
  stage: string;
  detail: string;
  taskId: string | null;
  /** How far the stage is (an encode, an upload, a task's poll), when this update is about that; absent in a stage's own update. */
  event?: QueuedProgressEvent;
}

/** Within a stage, bounded and without URLs: files relative to the job's folder, a task's id, status and percent only. */
export type QueuedProgressEvent =
  | { type: 'encode'; file: string; fraction: number }
  | { type: 'upload'; file: string; loaded: number; bytes: number }
  | { type: 'task'; id: string; status: string; progress: number | null; etaSeconds: number | null };

export function isQueuedProgress(value: unknown): value is QueuedProgress {
  return typeof value === 'object' && value !== null && typeof (value as QueuedProgress).stage === 'string';
}

/** The update's event when it has one of the shapes above (another version's worker may send others), else null. */
export function queuedProgressEvent(progress: QueuedProgress): QueuedProgressEvent | null {
  const e = progress.event as Record<string, unknown> | undefined;
  if (typeof e !== 'object' || e === null) return null;
  const count = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const orNull = (v: unknown) => v === null || count(v);
  if (e.type === 'encode' && typeof e.file === 'string' && count(e.fraction)) return e as QueuedProgressEvent;
  if (e.type === 'upload' && typeof e.file === 'string' && count(e.loaded) && count(e.bytes)) return e as QueuedProgressEvent;
  if (e.type === 'task' && typeof e.id === 'string' && typeof e.status === 'string' && orNull(e.progress) && orNull(e.etaSeconds)) return e as QueuedProgressEvent;
  return null;
}

/**
 * The job id: the same folder with the same inputs is the same job, so enqueuing twice adds nothing. BullMQ ids must
 * hold no ':' and must not be integers: a hex hash that starts with a letter.
 */
export function queuedJobId(relativePath: string, fingerprint: string): string {
  return `j${sha256Text(`${relativePath}\0${fingerprint}`).slice(0, 32)}`;
}

/** Why a worker cannot run this job's data, or null when it can. */
export function unreadableJobData(data: unknown, toolVersion: string): string | null {
  const record = (data ?? {}) as Partial<QueuedJobData>;
  const from = typeof record.toolVersion === 'string' ? `seedance-preflight ${record.toolVersion}` : 'an unknown program';
  if (record.format !== JOB_FORMAT || record.toolVersion !== toolVersion) {
    return `this job was enqueued by ${from} (job format ${String(record.format ?? 'none')}); this worker is seedance-preflight ${toolVersion} (job format ${JOB_FORMAT}): enqueue the folder again with seedance-preflight ${toolVersion}, or run a worker of the version that enqueued it`;
  }
  if (typeof record.root !== 'string' || typeof record.relativePath !== 'string' || typeof record.fingerprint !== 'string' || typeof record.settings !== 'object' || record.settings === null) {
    return `this job's data lacks root, relativePath, fingerprint or settings: it was not enqueued by seedance-preflight batch --queue`;
  }
  return null;
}
