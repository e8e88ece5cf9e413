import { canonicalJson, sha256Text } from './fingerprint.js';
import type { Journal } from './journal.js';

/** Who took the claim to create a job's task, when, and (once the create answered) the task it made. */
export interface ClaimHolder {
  worker: string;
  at: string;
  taskId?: string;
}

/**
 * The fleet's guard against a second paid create for one job (BullMQ hands a job out at least once, so two workers
 * may reach its create): a claim taken before the create, and the task id put on it once the create answered.
 */
export interface CreateGuard {
  /** Atomically claims the create of this key; or tells who holds it (with the task id once known). */
  claim(key: string): Promise<{ ok: true; holder: ClaimHolder } | { ok: false; holder: ClaimHolder }>;
  /** The create answered: the task id goes on the claim, so another worker finding it adopts the task instead of stopping. */
  settle(key: string, taskId: string): Promise<void>;
  /** The create was refused with an answer (nothing exists at the provider): this worker's claim is dropped so a later try may create. */
  release(key: string): Promise<void>;
}

export type ClaimOutcome = Awaited<ReturnType<CreateGuard['claim']>>;

/** What a job does once it knows the claim's outcome. */
export type ClaimDecision =
  /** The claim is this job's: send the create. */
  | { do: 'create' }
  /** Another worker's create answered: that task is this job's; wait for it. */
  | { do: 'adopt'; taskId: string; holder: ClaimHolder }
  /** A create was sent (by the holder, or as the journal says) and its answer is unknown: stop, never send again. */
  | { do: 'stop'; holder: ClaimHolder | null }
  /** The journal says a create was sent but nobody holds the claim: drop the claim just taken and stop on the journal's word. */
  | { do: 'release-and-stop' };

/** Pure: the claim's outcome, and whether this job's journal already says a create was sent → what to do. */
export function decideOnClaim(outcome: ClaimOutcome, journalSaysSent: boolean): ClaimDecision {
  if (!outcome.ok) return outcome.holder.taskId ? { do: 'adopt', taskId: outcome.holder.taskId, holder: outcome.holder } : { do: 'stop', holder: outcome.holder };
  return journalSaysSent ? { do: 'release-and-stop' } : { do: 'create' };
}

/**
 * The claim key of the journal's current generation: its fingerprint, the job's name in the fleet when given (two
 * folders with the same content are two jobs), and how many earlier generations had that fingerprint (a --restart, or
 * a request changed and changed back, is a new task on purpose). Never the absolute path: workers may mount the
 * shared folders at different paths, and a key that differed between them would let both create.
 */
export function createClaimKey(journal: Journal, jobName: string | null): string {
  const earlier = journal.history.filter((g) => g.fingerprint === journal.fingerprint).length;
  return sha256Text(canonicalJson({ job: jobName, fingerprint: journal.fingerprint, generation: earlier }));
}

/**
 * Pure: this process's journal, keeping the task another process recorded on disk for the same generation. Two
 * workers may run one job folder at once (a stalled BullMQ job handed out again): a writer that read the journal
 * before the task id was recorded must not erase it.
 */
export function keepRecordedTask(mine: Journal, onDisk: Journal | null): Journal {
  const taskId = onDisk?.submit?.taskId;
  if (!taskId || mine.submit?.taskId) return mine;
  if (onDisk.fingerprint === null || onDisk.fingerprint !== mine.fingerprint || onDisk.history.length !== mine.history.length) return mine;
  return { ...mine, submit: onDisk.submit, task: onDisk.task, failure: onDisk.failure };
}
