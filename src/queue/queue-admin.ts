import type { Job, JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { naturalCompare } from '../pipeline/natural-order.js';
import { markDrained, unmarkDrained } from './drained.js';
import { redisNow } from './heartbeat.js';
import type { QueuedJobData } from './job-data.js';

/** A job as the admin commands name it: its id and its folder under ROOT (null for a job that is not ours). */
export interface JobRef {
  id: string;
  relativePath: string | null;
}

function refOf(job: Job): JobRef {
  const data = job.data as Partial<QueuedJobData> | undefined;
  return { id: job.id ?? '', relativePath: typeof data?.relativePath === 'string' ? data.relativePath : null };
}

/** What a selection of jobs to retry found: the failed jobs it names, or why a name is not one (its state as `queue status` says it; null: no such job). */
export type RetrySelection = { ok: true; jobs: Job[] } | { ok: false; name: string; state: 'waiting' | 'active' | 'done' | null };

/**
 * The failed jobs to put back: every one (`all`), or those named by id or by folder under ROOT (as `queue status`
 * shows them). A name that is no failed job is refused with the state its job is in (null: no such job), before any change.
 */
export async function selectFailed(queue: Queue, names: readonly string[] | 'all'): Promise<RetrySelection> {
  const failed = (await queue.getJobs(['failed'], 0, -1, true)).filter((job): job is Job => Boolean(job));
  if (names === 'all') return { ok: true, jobs: failed };
  const chosen = new Map<string, Job>();
  for (const name of names) {
    const matches = failed.filter((job) => job.id === name || refOf(job).relativePath === name);
    if (matches.length === 0) return { ok: false, name, state: await stateOfName(queue, name) };
    for (const job of matches) chosen.set(job.id ?? '', job);
  }
  return { ok: true, jobs: [...chosen.values()] };
}

/** The state of the job a name means (its id, else the first job of that folder), or null when it means none. */
async function stateOfName(queue: Queue, name: string): Promise<'waiting' | 'active' | 'done' | null> {
  const state = await queue.getJobState(name);
  if (state !== 'unknown') return userState(state);
  const jobs = (await queue.getJobs(['wait', 'delayed', 'prioritized', 'active', 'completed'], 0, -1, true)).filter((job): job is Job => Boolean(job));
  const job = jobs.find((j) => refOf(j).relativePath === name);
  return job ? userState(await queue.getJobState(job.id ?? '')) : null;
}

/** BullMQ's state as `queue status` counts it (failed cannot occur here: those were matched). */
function userState(state: string): 'waiting' | 'active' | 'done' | null {
  if (state === 'unknown' || state === 'failed') return null;
  return state === 'active' ? 'active' : state === 'completed' ? 'done' : 'waiting';
}

/** Jobs in their folders' natural order (then by id): every list the admin commands print is stable. */
function byFolder(a: JobRef, b: JobRef): number {
  return naturalCompare(a.relativePath ?? '', b.relativePath ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface RetryOutcome {
  /** Put back to wait. */
  retried: JobRef[];
  /** No longer failed when their turn came (another retry, an enqueue, a clean took them first). */
  skipped: JobRef[];
}

/** Each job back to wait with BullMQ's Job.retry, one by one, so the outcome names exactly the jobs moved. */
export async function retryFailed(jobs: readonly Job[]): Promise<RetryOutcome> {
  const outcome: RetryOutcome = { retried: [], skipped: [] };
  for (const job of [...jobs].sort((a, b) => byFolder(refOf(a), refOf(b)))) {
    try {
      await job.retry('failed');
      outcome.retried.push(refOf(job));
    } catch {
      // BullMQ refuses a job that left the failed set meanwhile: reported, never retried twice
      outcome.skipped.push(refOf(job));
    }
  }
  return outcome;
}

export interface CleanOutcome {
  /** Ids of the removed jobs that had completed, and of those that had failed. */
  done: string[];
  failed: string[];
  /** Finished jobs younger than the age, kept. */
  keptDone: number;
  keptFailed: number;
}

/** Removes completed and failed jobs that finished more than `olderThanMs` ago (BullMQ's queue.clean on both sets). */
export async function cleanFinished(queue: Queue, olderThanMs: number): Promise<CleanOutcome> {
  const done = await queue.clean(olderThanMs, 0, 'completed');
  const failed = await queue.clean(olderThanMs, 0, 'failed');
  const kept = await queue.getJobCounts('completed', 'failed');
  return { done: done.sort(), failed: failed.sort(), keptDone: kept.completed ?? 0, keptFailed: kept.failed ?? 0 };
}

/** BullMQ's sets of jobs no worker has taken yet ('paused' is the wait list of a paused queue). */
const WAITING_TYPES: JobType[] = ['wait', 'delayed', 'prioritized', 'paused' as JobType];

/** How many jobs wait (every waiting set) and how many run. */
export async function waitingAndActive(queue: Queue): Promise<{ waiting: number; active: number }> {
  const counts = await queue.getJobCounts('active', ...WAITING_TYPES);
  return { waiting: WAITING_TYPES.reduce((n, type) => n + (counts[type] ?? 0), 0), active: counts.active ?? 0 };
}

export interface DrainOutcome {
  /** The waiting jobs removed (waiting, delayed, prioritized, paused). */
  removed: JobRef[];
  /** Jobs a worker is running: never touched. */
  active: number;
  /** Waiting jobs still there afterwards (enqueued while it ran, stamped after it started). */
  waitingLeft: number;
}

/**
 * Removes every job not yet taken by a worker, never an active one. BullMQ's queue.clean with no grace, per waiting
 * set, returns the ids it removed (queue.drain says nothing of what it removed): each is named from a read just before.
 * The jobs are marked drained first, so that a follower that sees them gone does not enqueue them again.
 */
export async function drainWaiting(queue: Queue, redis: Redis): Promise<DrainOutcome> {
  const before = new Map((await queue.getJobs(WAITING_TYPES, 0, -1, true)).filter((job): job is Job => Boolean(job)).map((job) => [job.id ?? '', refOf(job)]));
  const at = await redisNow(redis);
  await markDrained(redis, queue.name, [...before.keys()], at);
  const removedIds: string[] = [];
  for (const type of ['wait', 'paused', 'delayed', 'prioritized'] as const) removedIds.push(...(await queue.clean(0, 0, type)));
  const removedSet = new Set(removedIds);
  // taken by a worker between the read and the clean: not drained; enqueued meanwhile and removed: drained too
  await unmarkDrained(redis, queue.name, [...before.keys()].filter((id) => !removedSet.has(id)));
  await markDrained(redis, queue.name, removedIds.filter((id) => !before.has(id)), at);
  const { active, waiting } = await waitingAndActive(queue);
  const removed = removedIds.map((id) => before.get(id) ?? { id, relativePath: null }).sort(byFolder);
  return { removed, active, waitingLeft: waiting };
}

/** How many finished jobs `cleanFinished` would remove now (a read: ZCOUNT of both sets by finish time). */
export async function finishedOlderThan(queue: Queue, client: Redis, olderThanMs: number): Promise<number> {
  const until = Date.now() - olderThanMs;
  const [done, failed] = await Promise.all([client.zcount(queue.toKey('completed'), '-inf', until), client.zcount(queue.toKey('failed'), '-inf', until)]);
  return done + failed;
}
