import { ApiError, CreateOutcomeUnknownError, TaskFailedError } from '../submit/errors.js';
import type { Task } from '../submit/task.js';
import type { JobInputs } from './fingerprint.js';
import { currentGeneration, type Generation, type Journal, type TaskHome, type UploadTarget } from './journal.js';
import type { QcFinding } from './result-qc.js';

/** What a step did, as the journal records it. A crash or a cancel records nothing (the create's "sending" is recorded before its call). */
export type JobEvent =
  | { type: 'fixed'; fixed: NonNullable<Generation['fixed']> }
  | { type: 'uploaded'; uploads: NonNullable<Generation['uploads']>; request: Record<string, unknown>; to?: UploadTarget }
  /** The uploads cannot be sent as they are (another store now, or their URLs no longer answer): the upload runs again. */
  | { type: 'uploads-dropped' }
  /** `claim`: in a fleet, the claim on the create this worker took (worker id, time). `home`: the API base it goes to. */
  | { type: 'sending'; at: string; claim?: { worker: string; at: string }; home?: TaskHome }
  /** A sandbox's task that the sandbox no longer knows (it bills nothing): kept in history, and this generation creates again. */
  | { type: 'task-dropped' }
  | { type: 'created'; taskId: string; status: string }
  /** The provider answered with an error: nothing was created. `final` when the same request would be refused again (400). */
  | { type: 'create-refused'; final: boolean; message: string; hint: string }
  | { type: 'create-unknown' }
  | { type: 'adopted'; task: Task }
  /** In a fleet: another worker's create of this job answered with this task (its claim says so). */
  | { type: 'claim-adopted'; taskId: string; holder: { worker: string; at: string } }
  | { type: 'task-ended'; task: Task }
  | { type: 'downloaded'; result: { path: string; bytes: number } }
  | { type: 'checked'; qc: QcFinding[] }
  | { type: 'new-generation'; fingerprint: string; inputs: JobInputs };

/** Pure: the journal after an event. */
export function applyEvent(journal: Journal, event: JobEvent): Journal {
  switch (event.type) {
    case 'fixed':
      return { ...journal, fixed: event.fixed };
    case 'uploaded':
      return { ...journal, uploads: event.uploads, request: event.request, uploadedTo: event.to };
    case 'uploads-dropped': {
      const { uploads: _u, request: _r, uploadedTo: _t, ...rest } = journal;
      return rest;
    }
    case 'sending':
      return { ...journal, submit: { state: 'sending', at: event.at, ...(event.claim ? { claim: event.claim } : {}) }, createdOn: event.home, failure: undefined };
    case 'task-dropped': {
      const { submit: _s, task: _t, result: _r, failure: _f, createdOn: _c, ...rest } = journal;
      return { ...rest, history: [...journal.history, currentGeneration(journal)] };
    }
    case 'created':
      return { ...journal, submit: { ...journal.submit!, state: 'created', taskId: event.taskId }, task: { id: event.taskId, status: event.status } };
    case 'create-refused': {
      const { submit: _cleared, createdOn: _home, ...rest } = journal;
      return event.final ? { ...rest, failure: { stage: 'submit', message: event.message, hint: event.hint } } : rest;
    }
    case 'create-unknown':
      return { ...journal, submit: { ...journal.submit!, state: 'unknown' } };
    case 'claim-adopted':
      return { ...journal, submit: { state: 'created', at: event.holder.at, taskId: event.taskId, adopted: true, claim: { worker: event.holder.worker, at: event.holder.at } }, failure: undefined };
    case 'adopted': {
      // in place of a task adopted earlier by mistake: it was not this job's, but it ran and its result was downloaded
      // (paid for): that generation goes to history, as a new generation keeps earlier tasks; this one goes on with the new task
      const replaced = currentGeneration(journal);
      const keep = replaced.submit?.taskId !== undefined || replaced.task !== undefined;
      const history = keep ? [...journal.history, replaced] : journal.history;
      return { ...journal, history, submit: { state: 'created', at: journal.submit?.at ?? new Date().toISOString(), taskId: event.task.id, adopted: true }, task: taskRecord(event.task), result: undefined, failure: undefined };
    }
    case 'task-ended': {
      const ended = { ...journal, task: taskRecord(event.task) };
      if (event.task.status === 'completed') return ended;
      const failure = new TaskFailedError(event.task);
      return { ...ended, failure: { stage: 'wait', message: failure.message, hint: `${failure.hint}; ${SAME_REQUEST_STOPS}` } };
    }
    case 'downloaded':
      return { ...journal, result: event.result };
    case 'checked':
      return { ...journal, result: { ...journal.result!, qc: event.qc } };
    case 'new-generation': {
      const closed = currentGeneration(journal);
      // a generation that never reached the provider leaves nothing worth keeping
      const keep = closed.submit !== undefined || closed.task !== undefined;
      return { version: journal.version, job: journal.job, history: keep ? [...journal.history, closed] : journal.history, hashes: journal.hashes, fingerprint: event.fingerprint, inputs: event.inputs };
    }
  }
}

function taskRecord(task: Task): NonNullable<Generation['task']> {
  return { id: task.id, status: task.status, progress: task.progress, error: task.error ? { code: task.error.code, message: task.error.message ?? '' } : null };
}

/** Said of a generation that failed for good: a re-run with the same inputs does not pay for the same failure again. */
export const SAME_REQUEST_STOPS = 'a re-run with the same request stops here: change the request, or run with --restart';

/** Pure: a failed create call → what the journal records. Only a refusal of the request itself (400) is final for the same inputs. */
export function createFailureEvent(error: unknown): JobEvent {
  if (error instanceof CreateOutcomeUnknownError) return { type: 'create-unknown' };
  if (error instanceof ApiError) return { type: 'create-refused', final: error.status === 400, message: error.describe(), hint: error.status === 400 ? `${error.hint}; ${SAME_REQUEST_STOPS}` : error.hint };
  // refused before the body left (no connection, no key): nothing exists at the provider
  return { type: 'create-refused', final: false, message: (error as Error).message, hint: (error as { hint?: string }).hint ?? 'run again' };
}
