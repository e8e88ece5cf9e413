import type { Job, JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunJobResult } from '../pipeline/run-job.js';
import { naturalCompare } from '../pipeline/natural-order.js';
import { goneAfterMs, readBeats, type WorkerBeat } from './heartbeat.js';
import { isQueuedProgress, type QueuedJobData } from './job-data.js';

export type QueuedState = 'waiting' | 'active' | 'done' | 'failed';

/** Who holds an active job, as the heartbeats tell it. */
export interface JobHolder {
  /** The worker BullMQ gave the job to (its name, processedBy); null when BullMQ did not record one. */
  workerId: string | null;
  /** alive: its heartbeat is fresh; gone: older than three beats; no-heartbeat: no record (a worker of an older version, or one that exited). */
  state: 'alive' | 'gone' | 'no-heartbeat';
  /** How long ago its last heartbeat was (Redis time), or null without a record. */
  lastBeatAgeMs: number | null;
  /** How long BullMQ's lock on the job still holds; null once it has expired (the next stalled check hands the job out again). */
  lockExpiresInMs: number | null;
}

export interface QueuedJobStatus {
  id: string;
  root: string | null;
  relativePath: string | null;
  state: QueuedState;
  /** The last stage a worker reported (or, for a failed job, the stage it failed at); null before any. */
  stage: string | null;
  taskId: string | null;
  /** Why a failed job failed. */
  failedReason: string | null;
  /** An active job's worker; null for a job in any other state. */
  worker: JobHolder | null;
}

/** A worker that published a heartbeat on this queue, with the jobs it holds. */
export interface WorkerStatus extends WorkerBeat {
  state: 'alive' | 'gone';
  lastBeatAgeMs: number;
  /** The ids of the active jobs BullMQ gave it. */
  jobs: string[];
}

export interface QueueStatus {
  queueName: string;
  /** Redis's clock when the queue was read (ms): every age is measured on it. */
  now: number;
  counts: Record<QueuedState, number>;
  /** Workers in the order they started. */
  workers: WorkerStatus[];
  jobs: QueuedJobStatus[];
}

/** BullMQ's states as a user counts them: everything not yet taken is waiting. */
const STATES: readonly [QueuedState, JobType[]][] = [
  ['waiting', ['waiting', 'delayed', 'prioritized', 'waiting-children']],
  ['active', ['active']],
  ['done', ['completed']],
  ['failed', ['failed']],
];

type QueuedJob = Job<Partial<QueuedJobData>, RunJobResult | undefined>;

/**
 * Every job of the queue with its state, stage and task, jobs in their folders' natural order; every worker's heartbeat,
 * and for each active job whether its worker still beats. `redis`: the queue's connection. Reads only: nothing is written.
 */
export async function queueStatus(queue: Queue, redis: Redis): Promise<QueueStatus> {
  const { now, beats } = await readBeats(redis, queue.name);
  const counts: Record<QueuedState, number> = { waiting: 0, active: 0, done: 0, failed: 0 };
  const jobs: QueuedJobStatus[] = [];
  const holders = new Map<string, string | null>();
  for (const [state, types] of STATES) {
    const found = (await queue.getJobs(types, 0, -1, true)).filter((job): job is Job => Boolean(job)) as QueuedJob[];
    counts[state] = found.length;
    if (state === 'active') for (const job of found) holders.set(job.id ?? '', job.processedBy ?? null);
    jobs.push(...found.map((job) => jobStatus(job, state)));
  }
  const locks = await lockTimesLeft(redis, queue, [...holders.keys()]);
  const workers = beats
    .map((beat): WorkerStatus => ({ ...beat, state: workerState(beat, now), lastBeatAgeMs: Math.max(0, now - beat.beatAt), jobs: [...holders].filter(([, by]) => by === beat.id).map(([id]) => id).sort() }))
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
  const byId = new Map(workers.map((w) => [w.id, w]));
  for (const job of jobs) {
    if (job.state !== 'active') continue;
    const workerId = holders.get(job.id) ?? null;
    const worker = workerId === null ? undefined : byId.get(workerId);
    job.worker = { workerId, state: worker?.state ?? 'no-heartbeat', lastBeatAgeMs: worker?.lastBeatAgeMs ?? null, lockExpiresInMs: locks.get(job.id) ?? null };
  }
  jobs.sort((a, b) => naturalCompare(a.relativePath ?? '', b.relativePath ?? '') || naturalCompare(a.root ?? '', b.root ?? '') || (a.id < b.id ? -1 : 1));
  return { queueName: queue.name, now, counts, workers, jobs };
}

export function workerState(beat: Pick<WorkerBeat, 'beatAt' | 'beatEveryMs'>, now: number): 'alive' | 'gone' {
  return now - beat.beatAt > goneAfterMs(beat) ? 'gone' : 'alive';
}

/** Each job's lock time left (PTTL of BullMQ's lock key), absent once expired. */
async function lockTimesLeft(redis: Redis, queue: Queue, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.pttl(`${queue.toKey(id)}:lock`);
  const answers = (await pipeline.exec()) ?? [];
  return new Map(ids.flatMap((id, i) => {
    const [error, ms] = answers[i] ?? [null, -2];
    return !error && typeof ms === 'number' && ms >= 0 ? [[id, ms] as const] : [];
  }));
}

function jobStatus(job: QueuedJob, state: QueuedState): QueuedJobStatus {
  const progress = isQueuedProgress(job.progress) ? job.progress : null;
  const ended = state === 'done' ? job.returnvalue : state === 'failed' ? job.data?.result : undefined;
  const stage = state === 'done' ? 'done' : ended?.error?.stage ?? progress?.stage ?? null;
  return {
    id: job.id ?? '',
    root: typeof job.data?.root === 'string' ? job.data.root : null,
    relativePath: typeof job.data?.relativePath === 'string' ? job.data.relativePath : null,
    state,
    stage,
    taskId: ended?.taskId ?? progress?.taskId ?? null,
    failedReason: state === 'failed' ? job.failedReason ?? null : null,
    worker: null,
  };
}
