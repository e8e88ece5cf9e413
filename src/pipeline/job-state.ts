import type { Generation, RecordedFailure, TaskHome, UploadTarget } from './journal.js';
import type { JobStage } from './run-job.js';

/** Every stage of a job, in order. */
export const JOB_STAGES: readonly JobStage[] = ['check', 'fix', 'upload', 'submit', 'wait', 'download'];

/**
 * Where a job stands, derived from its journal alone (plus whether the files it names are still on disk):
 * planned → fixed → uploaded → sending → created(task) → completed → downloaded, or unknown-create, or failed(stage).
 */
export type JobState =
  | { name: 'planned' }
  | { name: 'fixed' }
  /** `uploadedTo`: the store the uploads went to (absent in older journals). */
  | { name: 'uploaded'; uploadedTo?: UploadTarget }
  | { name: 'sending'; at: string }
  | { name: 'unknown-create'; at: string }
  /** `adopted`: the task was adopted by hand (--adopt-task), so another --adopt-task may replace it. */
  /** `home`: the API base the task was created on, and whether it was a sandbox (absent in older journals). */
  | { name: 'created'; taskId: string; adopted?: true; home?: TaskHome }
  | { name: 'completed'; taskId: string; adopted?: true; home?: TaskHome }
  /** `checked`: result QC has compared the video with the request. */
  | { name: 'downloaded'; taskId: string; path: string; checked: boolean; adopted?: true }
  | ({ name: 'failed'; taskId: string | null; adopted?: true } & RecordedFailure);

/** What the journal cannot say by itself: whether the files it names still exist. */
export interface DiskFacts {
  resultOnDisk: boolean;
  fixedOnDisk: boolean;
}

export function deriveState(generation: Generation, disk: DiskFacts): JobState {
  const taskId = generation.submit?.taskId ?? null;
  // adopted by hand, not through a fleet's claim (which names the worker that created it)
  const adopted = generation.submit?.adopted && !generation.submit.claim ? ({ adopted: true } as const) : {};
  if (generation.failure) return { name: 'failed', taskId, ...generation.failure, ...(taskId && adopted) };
  if (taskId) {
    if (generation.result && disk.resultOnDisk) return { name: 'downloaded', taskId, path: generation.result.path, checked: generation.result.qc !== undefined, ...adopted };
    // a deleted result is fetched again from its task (within the link's 24 hours)
    const home = generation.createdOn?.apiBase ? { home: generation.createdOn } : {};
    if (generation.result || generation.task?.status === 'completed') return { name: 'completed', taskId, ...adopted, ...home };
    return { name: 'created', taskId, ...adopted, ...home };
  }
  if (generation.submit?.state === 'sending') return { name: 'sending', at: generation.submit.at };
  if (generation.submit?.state === 'unknown') return { name: 'unknown-create', at: generation.submit.at };
  if (generation.request && generation.uploads) return { name: 'uploaded', ...(generation.uploadedTo && { uploadedTo: generation.uploadedTo }) };
  if (generation.fixed && disk.fixedOnDisk) return { name: 'fixed' };
  return { name: 'planned' };
}

/** What this run was asked, besides the journal. */
export interface StepInputs {
  /** What changed since the current generation was built (fields, files, options); null when the fingerprint is the same. */
  changed: string[] | null;
  /** --adopt-task: the task a create whose answer never arrived made. */
  adoptTask?: string;
  /** --restart: a new generation on purpose. */
  restart?: boolean;
  /** Where this run uploads and creates: a journal's uploads or task made elsewhere are judged against it. */
  target?: RunTarget;
}

/** The store this run uploads to and the API base it creates tasks on (`sandbox`: one that bills nothing). */
export interface RunTarget {
  upload: UploadTarget;
  apiBase: string;
  sandbox: boolean;
}

/** Why the current generation is closed and a new one begins. */
export interface NewGeneration {
  reason: 'changed' | 'restart';
  changed: string[];
  /** The closed generation's task, if it had one (its result stays on disk under its id). */
  previousTaskId: string | null;
  /** What the closed generation leaves unsettled: a create whose outcome is unknown, or a task not downloaded. */
  abandoned: { unknownCreateAt: string } | { notDownloaded: string } | null;
}

export type Step =
  | { do: 'fix' }
  | { do: 'upload' }
  | { do: 'create' }
  | { do: 'wait'; taskId: string; previousRequest: boolean }
  | { do: 'download'; taskId: string; previousRequest: boolean }
  | { do: 'qc'; taskId: string }
  | { do: 'adopt'; taskId: string }
  | ({ do: 'new-generation' } & NewGeneration)
  | { do: 'finish'; taskId: string; path: string }
  | { do: 'stop'; why: 'unknown-create'; at: string }
  | { do: 'stop'; why: 'failed'; failure: RecordedFailure; taskId: string | null }
  | { do: 'stop'; why: 'nothing-to-adopt'; taskId: string | null }
  /** The task was created on another API base that bills (not a sandbox): never created again silently. */
  | { do: 'stop'; why: 'other-api-base'; taskId: string; apiBase: string }
  /** The uploads went to another store than this run's: uploaded again. */
  | { do: 'drop-uploads'; uploadedTo: UploadTarget }
  /** A sandbox's task, and this run does not use a sandbox: no other API knows it, so it is created again (it billed nothing). */
  | { do: 'drop-task'; taskId: string; apiBase: string };

/** The one transition function: the journal's state and this run's inputs → the step to perform next. */
export function nextStep(state: JobState, inputs: StepInputs): Step {
  const taskId = 'taskId' in state ? state.taskId : null;
  if (inputs.restart) {
    const abandoned = state.name === 'sending' || state.name === 'unknown-create' ? { unknownCreateAt: state.at } : state.name === 'created' || state.name === 'completed' ? { notDownloaded: state.taskId } : null;
    return { do: 'new-generation', reason: 'restart', changed: inputs.changed ?? [], previousTaskId: taskId, abandoned };
  }
  if (inputs.adoptTask !== undefined) {
    if (state.name === 'sending' || state.name === 'unknown-create') return { do: 'adopt', taskId: inputs.adoptTask };
    // a task adopted by hand earlier that is not the one named now was the wrong one: never in the way of the right one
    if ('adopted' in state && state.adopted && taskId !== inputs.adoptTask) return { do: 'adopt', taskId: inputs.adoptTask };
    // adopting the task the journal already holds changes nothing
    if (taskId !== inputs.adoptTask) return { do: 'stop', why: 'nothing-to-adopt', taskId };
  }
  const renew = (): Step => ({ do: 'new-generation', reason: 'changed', changed: inputs.changed!, previousTaskId: taskId, abandoned: null });
  const previousRequest = inputs.changed !== null;
  const target = inputs.target;
  if ((state.name === 'created' || state.name === 'completed') && target && state.home?.apiBase && !sameUrl(state.home.apiBase, target.apiBase)) {
    // a sandbox's task on another sandbox (the same folder on another port knows it) is asked for there; a 404 drops it
    if (!state.home.sandbox) return { do: 'stop', why: 'other-api-base', taskId: state.taskId, apiBase: state.home.apiBase };
    if (!target.sandbox) return { do: 'drop-task', taskId: state.taskId, apiBase: state.home.apiBase };
  }
  if (state.name === 'uploaded' && !inputs.changed && target && state.uploadedTo && !sameUploadTarget(state.uploadedTo, target.upload)) return { do: 'drop-uploads', uploadedTo: state.uploadedTo };
  switch (state.name) {
    case 'planned':
      return inputs.changed ? renew() : { do: 'fix' };
    case 'fixed':
      return inputs.changed ? renew() : { do: 'upload' };
    case 'uploaded':
      return inputs.changed ? renew() : { do: 'create' };
    case 'sending':
    case 'unknown-create':
      // never re-sent silently, changed or not: a task may exist and be billed
      return { do: 'stop', why: 'unknown-create', at: state.at };
    case 'created':
      // paid for: fetched even when the request has changed since
      return { do: 'wait', taskId: state.taskId, previousRequest };
    case 'completed':
      return { do: 'download', taskId: state.taskId, previousRequest };
    case 'downloaded':
      // a result downloaded before its QC ran (a crash, an older journal) is checked once, even when the request changed since
      if (!state.checked) return { do: 'qc', taskId: state.taskId };
      return inputs.changed ? renew() : { do: 'finish', taskId: state.taskId, path: state.path };
    case 'failed':
      return inputs.changed ? renew() : { do: 'stop', why: 'failed', failure: { stage: state.stage, message: state.message, hint: state.hint }, taskId: state.taskId };
  }
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export function sameUploadTarget(a: UploadTarget, b: UploadTarget): boolean {
  return a.bucket === b.bucket && (a.endpoint === null || b.endpoint === null ? a.endpoint === b.endpoint : sameUrl(a.endpoint, b.endpoint));
}
