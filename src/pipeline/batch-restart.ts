import type { JobState } from './job-state.js';

/**
 * `batch --restart KINDS`: which jobs start over with a new task, by where their journal stands. Each is named
 * explicitly, because each restart is a new paid task: no kind includes a job the others do not.
 */
export type RestartKind = 'failed' | 'unanswered' | 'in-flight' | 'done';

export const RESTART_KINDS: readonly RestartKind[] = ['failed', 'unanswered', 'in-flight', 'done'];

/** What each kind means, for --help and for errors. */
export const RESTART_KIND_HELP: Record<RestartKind, string> = {
  failed: 'its task failed, or its request was refused for good (a plain re-run stops there)',
  unanswered: 'its create got no answer: a paid task may exist (look in your provider\'s task list first; run --adopt-task adopts it)',
  'in-flight': 'its task was created and its result is not downloaded (a task still running is abandoned, still billed)',
  done: 'its result is downloaded (a new take; the old result stays in output/)',
};

/** Pure: the restart kind a job's state is, or null for a job that never reached the provider (it creates its first task anyway). */
export function restartKindOf(state: JobState): RestartKind | null {
  switch (state.name) {
    case 'failed':
      return 'failed';
    case 'sending':
    case 'unknown-create':
      return 'unanswered';
    case 'created':
    case 'completed':
      return 'in-flight';
    case 'downloaded':
      return 'done';
    default:
      return null;
  }
}

/** Pure: "failed,unanswered" (or "all") → the kinds; a word that is no kind is the user's mistake, said in one line. */
export function parseRestartKinds(value: string): { ok: true; kinds: ReadonlySet<RestartKind> } | { ok: false; message: string } {
  const words = value.split(',').map((w) => w.trim()).filter(Boolean);
  const choices = `${RESTART_KINDS.join(', ')} or all (comma-separated, e.g. --restart failed,unanswered)`;
  if (words.length === 0) return { ok: false, message: `--restart needs the jobs to start over: ${choices}` };
  const kinds = new Set<RestartKind>();
  for (const word of words) {
    if (word === 'all') RESTART_KINDS.forEach((k) => kinds.add(k));
    else if ((RESTART_KINDS as readonly string[]).includes(word)) kinds.add(word as RestartKind);
    else return { ok: false, message: `--restart takes ${choices}, not "${word}"` };
  }
  return { ok: true, kinds };
}

/** A job this batch started over: what its journal held before (its task, or when its unanswered create was sent). */
export interface Restarted {
  from: RestartKind;
  taskId: string | null;
  /** For `unanswered`: when the create whose answer never arrived was sent. */
  sentAt?: string;
}

/** Pure: what a restart of a job in `state` abandons, as data for the summary. */
export function restartedFrom(state: JobState, kind: RestartKind): Restarted {
  if (state.name === 'sending' || state.name === 'unknown-create') return { from: kind, taskId: null, sentAt: state.at };
  return { from: kind, taskId: 'taskId' in state ? state.taskId : null };
}

/** "task T1 had failed": one job's line in the summary of what --restart started over. */
export function describeRestart(restarted: Restarted): string {
  switch (restarted.from) {
    case 'failed':
      return restarted.taskId ? `task ${restarted.taskId} had failed` : 'its request had been refused';
    case 'unanswered':
      return `its create sent at ${restarted.sentAt ?? '?'} got no answer: a paid task may exist (check your provider's task list)`;
    case 'in-flight':
      return `task ${restarted.taskId} was not downloaded (seedance-preflight wait ${restarted.taskId} --download FILE still fetches it)`;
    case 'done':
      return `task ${restarted.taskId} was done (its result stays in output/)`;
  }
}
