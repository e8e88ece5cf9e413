import type { CleanOutcome, DrainOutcome, JobRef, RetryOutcome } from '../../queue/queue-admin.js';

/** "1 job", "2 jobs": the counts of the admin commands' sentences. */
function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function refs(jobs: readonly JobRef[]): string {
  return jobs.map((j) => (j.relativePath === null ? j.id : `${j.id} (${j.relativePath})`)).join(', ');
}

/** `queue retry`: what was put back to wait, and what had stopped being failed before its turn. */
export function formatRetry(outcome: RetryOutcome, head: string): string {
  const moved = `${count(outcome.retried.length, 'failed job')} put back to wait${outcome.retried.length ? `: ${refs(outcome.retried)}` : ''}`;
  const skipped = outcome.skipped.length ? `; ${count(outcome.skipped.length, 'job')} no longer failed, left as ${outcome.skipped.length === 1 ? 'it is' : 'they are'}: ${refs(outcome.skipped)}` : '';
  return `${head}: ${moved}${skipped}\n`;
}

/** `queue clean`: how many finished jobs were removed (done, failed), and how many younger ones stay. */
export function formatClean(outcome: CleanOutcome, olderThan: string, head: string): string {
  const removed = outcome.done.length + outcome.failed.length;
  return `${head}: removed ${count(removed, 'finished job')} older than ${olderThan} (${outcome.done.length} done, ${outcome.failed.length} failed); ${outcome.keptDone + outcome.keptFailed} younger kept\n`;
}

/** `queue drain`: the waiting jobs removed, the active ones left running, and any enqueued meanwhile. */
export function formatDrain(outcome: DrainOutcome, head: string): string {
  const removed = `removed ${count(outcome.removed.length, 'waiting job')}${outcome.removed.length ? ` (${refs(outcome.removed)})` : ''}`;
  const active = `${count(outcome.active, 'active job')} left running`;
  const left = outcome.waitingLeft ? `; ${count(outcome.waitingLeft, 'job')} enqueued meanwhile still ${outcome.waitingLeft === 1 ? 'waits' : 'wait'} (run queue drain again)` : '';
  return `${head}: ${removed}; ${active}${left}\n`;
}

export function formatRetryJson(outcome: RetryOutcome, queue: string): string {
  return `${JSON.stringify({ queue, retried: outcome.retried, skipped: outcome.skipped }, null, 2)}\n`;
}

export function formatCleanJson(outcome: CleanOutcome, olderThan: string, olderThanMs: number, queue: string): string {
  return `${JSON.stringify({ queue, olderThan, olderThanMs, removed: { done: outcome.done, failed: outcome.failed }, kept: { done: outcome.keptDone, failed: outcome.keptFailed } }, null, 2)}\n`;
}

export function formatDrainJson(outcome: DrainOutcome, queue: string): string {
  return `${JSON.stringify({ queue, removed: outcome.removed, active: outcome.active, waitingLeft: outcome.waitingLeft }, null, 2)}\n`;
}
