import type { RemoteReads } from './check-targets.js';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { FixCache } from '../normalize/fix-cache.js';
import type { FitMode } from '../normalize/fix-plan.js';
import type { ProbeCache } from '../probe/probe-cache.js';
import type { Profile } from '../spec/profile.js';
import type { ApiClient } from '../submit/client.js';
import type { Task } from '../submit/task.js';
import type { UploadProgressEvent, UploadResult, UploadsInFlight } from '../upload/upload-files.js';
import type { UploadSettings } from '../upload/upload-settings.js';
import { isCancelled, throwIfCancelled } from '../shared/cancel.js';
import { costDrivers, plannedRequest, type CostDrivers } from './dry-run.js';
import { changedInputs, fingerprintOf, type JobInputs } from './fingerprint.js';
import type { FixedFileReport } from './fix-targets.js';
import { OutsidePathError, readJobInputs, type HashedSource, type JobRef } from './job-inputs.js';
import { createClaimKey, decideOnClaim, keepRecordedTask, type ClaimDecision, type ClaimHolder, type CreateGuard } from './create-guard.js';
import { deriveState, JOB_STAGES, nextStep, type JobState, type NewGeneration, type Step, type StepInputs } from './job-state.js';
import { adoptStep, createStep, downloadStep, fixStep, JobStageError, qcStep, TaskNotFoundError, uploadStep, waitStep, type StageReporter } from './job-steps.js';
import { isSandboxApiBase } from '../sandbox/sandbox-marker.js';
import { firstDeadUrl } from '../upload/verify-url.js';
import { applyEvent, createFailureEvent, type JobEvent } from './journal-events.js';
import { emptyJournal, readJournal, writeJournal, JOURNAL_FILE, type Journal } from './journal.js';
import type { QcFinding } from './result-qc.js';
import type { TaskSlots } from './task-slots.js';
import { jobIdentity, jobWorkDir, legacyWorkDir } from './work-dir.js';
import { failedResult } from './failed-result.js';
import { restoreJournalResults } from './journal-results.js';
import { LOCK_DIR, lockJob, type JobLock } from './job-lock.js';
import { JournalError } from './journal-error.js';
import { FileSystemError, fileSystemError } from '../shared/file-system-error.js';
import { busyHint, busyMessage, commandSummary, lockStaleMs, type JobBusy } from './lock-holder.js';

export { JobStageError } from './job-steps.js';
export type { CostDrivers } from './dry-run.js';
export { costDrivers } from './dry-run.js';

export type JobStage = 'check' | 'fix' | 'upload' | 'submit' | 'wait' | 'download';

/** Progress inside a stage: a file's encode (0–1), an upload's event, a task's poll (batch folds onTask in). */
export type JobProgressEvent = { type: 'encode'; path: string; fraction: number } | { type: 'upload'; event: UploadProgressEvent } | { type: 'task'; task: Task };

export interface RunJobOptions {
  /** An asset folder, or a request file. */
  job: JobRef;
  profile: Profile;
  upload: UploadSettings;
  client: ApiClient;
  /**
   * A working folder for the journal and fixed copies, which several jobs may share: each job gets its own subfolder.
   * Default: <asset folder>/.seedance-preflight, or a subfolder of <request file's folder>/.seedance-preflight.
   */
  workDir?: string;
  /** Where the result video goes; default <job folder>/output. */
  outputDir?: string;
  prompt?: string;
  fit?: FitMode;
  audioFormat?: 'mp3' | 'wav';
  /** Seconds an encode may go without progress before it is killed (--encode-timeout); 0: no limit; default 60. */
  encodeTimeoutSeconds?: number;
  /** Check and fix, then stop: report the request that would be sent. */
  dryRun?: boolean;
  /** A create whose answer never arrived made this task: wait for it and download it instead of stopping. */
  adoptTask?: string;
  /** Start a new generation (a new task) on purpose, whatever the journal holds; a function decides from the job's state as read under its lock (batch --restart KINDS). */
  restart?: boolean | ((state: JobState) => boolean);
  /** Let a request name local files outside the job's folder (off by default: a job sends only its own media). */
  allowOutsidePaths?: boolean;
  /** Media URLs read so far, by URL: a dry run's JSON checks the job again without reading them twice. */
  remoteReads?: RemoteReads;
  probeCache?: ProbeCache;
  fixCache?: FixCache;
  /** Wraps the media work (check, fix, upload): a batch shares one limiter across jobs. */
  mediaSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Objects being uploaded by other jobs of a batch: content shared between jobs is sent once. */
  uploadsInFlight?: UploadsInFlight;
  /** Wraps a result's download: a batch limits how many run at once. */
  apiSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  /** The account's limit on tasks in flight: a slot is held from before the create until the task's wait ends. */
  taskSlots?: TaskSlots;
  /** In a fleet: a claim in Redis before the create, so a job handed to two workers creates one task. */
  createGuard?: CreateGuard;
  /**
   * The job's name across a fleet (its path relative to the batch root): part of its create claim's key (without it,
   * two folders with the same content share one claim) and its task slot's (default: its absolute path).
   */
  jobName?: string;
  waitTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Aborting it stops the job at the next step boundary (encodes, uploads and waits end at once; a create finishes). */
  signal?: AbortSignal;
  onStage?: (stage: JobStage | 'done', detail: string) => void;
  onTask?: (task: Task) => void;
  /** What moves inside a stage, for a live view: a file's encode fraction (fix), an upload's events (upload). */
  onProgress?: (event: JobProgressEvent) => void;
  /** Plain sentences about what this run decided (a new task because the request changed, an adopted task). */
  onNote?: (note: string) => void;
  /**
   * Hold the job's lock (in its work folder) for the whole run, so no other process runs it at once (default true).
   * False only when the caller already holds it (lockJob) or knows no other process can run the job.
   */
  lock?: boolean;
  /** What the lock says holds it (default: the program and command of process.argv, without flags). */
  holderCommand?: string;
}

export interface RunJobResult {
  job: string;
  ok: boolean;
  /** Stages skipped because the journal showed them done. */
  resumed: JobStage[];
  fixed: FixedFileReport[];
  uploads: UploadResult[] | NonNullable<Journal['uploads']>;
  /** The request sent (or, in a dry run, that would be sent). */
  request: Record<string, unknown> | null;
  taskId: string | null;
  result: { path: string; bytes: number } | null;
  /** How the downloaded video differs from the request (warnings; [] when it matches); null when there is no result. */
  qc: QcFinding[] | null;
  costDrivers: CostDrivers | null;
  /** `environment`: a settings problem found only when used (a profile without keys, a denied bucket): exit 2 in run. */
  error: { stage: JobStage; message: string; hint: string; environment?: true } | null;
  /** The state the job was left in (null for a dry run, or when it stopped before reading its journal). */
  state?: JobState['name'] | null;
  /** What this run decided, in plain sentences (also told to onNote). */
  notes?: string[];
  /** Results of earlier generations of this job (made from an earlier request), kept under their task ids. */
  previousResults?: { taskId: string; path: string }[];
  /** Stopped by the signal (Ctrl-C, SIGTERM): the journal is resumable. */
  cancelled?: boolean;
  /** Another process holds the job's lock: nothing was read or written, and `error` says who holds it. */
  busy?: JobBusy | null;
}

const PASS = <T>(work: () => Promise<T>) => work();
/**
 * Public URLs this recent were verified by their own step: a create that follows at once does not fetch them again.
 * Presigned ones are always fetched: one shared with another job's upload was signed when that upload ran.
 */
function freshUploadMs(upload: UploadSettings): number {
  return upload.urlMode === 'presigned' ? 0 : 5000;
}

/**
 * One job through every stage, holding its lock throughout: a job another process is running is left untouched and
 * reported busy. A lost lock stops the job at its next step, before any create.
 */
export async function runJob(options: RunJobOptions): Promise<RunJobResult> {
  if (options.lock === false) return runLockedJob(options);
  const label = 'folder' in options.job ? options.job.folder : options.job.requestFile;
  const stale = lockStaleMs(options.env ?? process.env);
  if (!stale.ok) return failedResult(label, stale.message, `unset it, or give a number of seconds`);
  // a job that does not exist gets no work folder made for it: the run reports it missing without a lock
  if (!existsSync(jobIdentity(options.job))) return runLockedJob(options);
  const workDir = jobWorkDir(options.job, options.workDir);
  // a finished job that nobody holds is re-run without the lock: it only reads, and a lock costs most of such a re-run
  if (!options.dryRun && !existsSync(join(workDir, LOCK_DIR))) {
    const finished = await runLockedJob(options, undefined, true);
    if (finished !== NEEDS_LOCK) return finished;
  }
  let attempt;
  try {
    attempt = await lockJob(workDir, { command: options.holderCommand ?? commandSummary(process.argv), staleMs: stale.ms });
  } catch (error) {
    const disk = await fileSystemError(error, join(workDir, LOCK_DIR));
    if (disk) return failedResult(label, `cannot take the job's lock: ${disk.message}`, disk.hint ?? 'free space on that disk, or give --work a writable folder');
    const code = (error as NodeJS.ErrnoException).code;
    return failedResult(label, `cannot take the job's lock in ${workDir} (${code ?? (error as Error).message})`, 'the work folder must be writable: give --work a writable folder, or fix its permissions');
  }
  if (!attempt.ok) return { ...failedResult(label, busyMessage(attempt.busy), busyHint(attempt.busy)), busy: attempt.busy };
  const lock = attempt.lock;
  try {
    return await runLockedJob({ ...options, signal: options.signal ? AbortSignal.any([options.signal, lock.lost]) : lock.lost }, lock);
  } finally {
    await lock.release().catch((error: Error) => options.onNote?.(`the job's lock could not be released (${error.message}); it is taken over once its heartbeat is ${Math.round(stale.ms / 1000)} s old`));
  }
}

/** What a read-only pass answers when the job is anything but finished: it is run again under its lock. */
const NEEDS_LOCK = Symbol('needs the lock');

/**
 * One job through every stage, as the state machine of job-state.ts directs: one step at a time, the journal written
 * after each. `finishedOnly`: a read-only pass that returns the result of a finished job, and NEEDS_LOCK before anything
 * else (a write, a step, an error), so that every outcome but "finished" comes from a pass under the lock.
 */
async function runLockedJob(options: RunJobOptions, lock?: JobLock): Promise<RunJobResult>;
async function runLockedJob(options: RunJobOptions, lock: undefined, finishedOnly: true): Promise<RunJobResult | typeof NEEDS_LOCK>;
async function runLockedJob(options: RunJobOptions, lock?: JobLock, finishedOnly = false): Promise<RunJobResult | typeof NEEDS_LOCK> {
  const identity = jobIdentity(options.job);
  const workDir = jobWorkDir(options.job, options.workDir);
  const outputDir = resolve(options.outputDir ?? join('folder' in options.job ? identity : resolve(identity, '..'), 'output'));
  const result: RunJobResult = { job: 'folder' in options.job ? options.job.folder : options.job.requestFile, ok: false, resumed: [], fixed: [], uploads: [], request: null, taskId: null, result: null, qc: null, costDrivers: null, error: null, state: null, notes: [], previousResults: [], cancelled: false, busy: null };
  const note = (text: string) => {
    result.notes!.push(text);
    options.onNote?.(text);
  };
  const performed = new Set<JobStage>();
  const stage: StageReporter = (name, detail) => {
    performed.add(name);
    options.onStage?.(name, detail);
  };
  const media = options.mediaSlot ?? PASS;
  const api = options.apiSlot ?? PASS;
  const guard = options.createGuard;
  const slotKey = options.jobName ?? identity;
  /**
   * The job's task slot: none; held by this run; kept past the run (cancelled while its task runs at the provider: a
   * fleet lease lapses, or the job's next worker keeps it); or to give back (the job ended with no task in flight:
   * a slot an earlier run took under its key, a worker that died, is given back too).
   */
  let slot: 'none' | 'held' | 'kept' | 'give-back' = 'none';
  const takeSlot = async () => {
    if (!options.taskSlots || slot === 'held') return;
    await options.taskSlots.acquire(slotKey, options.signal);
    slot = 'held';
  };
  const freeSlot = async () => {
    if (!options.taskSlots || (slot !== 'held' && slot !== 'give-back')) return;
    slot = 'none';
    await options.taskSlots.release(slotKey);
  };
  try {
    const journal0 = await loadJournal(options.job, workDir, identity);
    if (finishedOnly && !journal0?.result) return NEEDS_LOCK;
    const read = await readJobInputs(options.job, { profile: options.profile, prompt: options.prompt, fit: options.fit ?? 'pad', audioFormat: options.audioFormat ?? 'mp3', knownHashes: journal0?.hashes, allowOutsidePaths: options.allowOutsidePaths });
    if (options.dryRun) return await dryRun(options, workDir, result, stage);
    const fingerprint = fingerprintOf(read.inputs);
    let journal: Journal = { ...(journal0 ?? emptyJournal(identity)), hashes: read.hashes };
    const inputs: StepInputs = { changed: changesSince(journal, read.inputs, fingerprint, read.hashes), adoptTask: options.adoptTask, restart: options.restart === true };
    let restartAsked = false;
    // where this run uploads and creates: uploads and tasks the journal holds from elsewhere are judged against it
    const apiBase = options.client.baseUrl;
    const sandbox = isSandboxApiBase(options.env ?? process.env, apiBase);
    inputs.target = { upload: { endpoint: options.upload.endpoint ?? null, bucket: options.upload.bucket }, apiBase, sandbox };
    if (finishedOnly && (inputs.changed !== null || journal.fingerprint === null || inputs.adoptTask !== undefined || options.restart)) return NEEDS_LOCK;
    if (inputs.changed === null && journal.fingerprint === null) {
      // a version 1 journal (or one in version 1's place) found to be this job's: written back as version 2, in this job's folder
      journal = { ...journal, fingerprint, inputs: read.inputs };
      if (journal0) await writeJournal(workDir, journal, options.env);
    }
    const record = async (event: JobEvent) => {
      // in a fleet another worker may run this folder too: a task id it recorded is never written over
      if (guard) journal = keepRecordedTask(journal, await readJournal(workDir));
      journal = applyEvent(journal, event);
      await writeJournal(workDir, journal, options.env);
    };
    /** Another worker's create made this job's task (its claim says so): it is this job's task from now on. */
    const adoptClaimed = async (decision: Extract<ClaimDecision, { do: 'adopt' }>) => {
      await record({ type: 'claim-adopted', taskId: decision.taskId, holder: { worker: decision.holder.worker, at: decision.holder.at } });
      note(`task ${decision.taskId} was created by worker ${decision.holder.worker} (claim taken at ${decision.holder.at}): waiting for it instead of creating one`);
    };
    /** The create, under the fleet's claim when there is one: sent only by the claim's holder, at most once. */
    const create = async () => {
      let key: string | null = null;
      let claim: ClaimHolder | undefined;
      if (guard) {
        journal = keepRecordedTask(journal, await readJournal(workDir));
        // another worker's create answered while this one fixed and uploaded: the next turn waits for its task
        if (journal.submit?.taskId) return;
        key = createClaimKey(journal, options.jobName ?? null);
        const outcome = await guard.claim(key);
        const decision = decideOnClaim(outcome, false);
        if (decision.do === 'adopt') return adoptClaimed(decision);
        if (decision.do !== 'create') throw stopError({ do: 'stop', why: 'unknown-create', at: outcome.holder.at }, workDir, options.adoptTask, outcome.holder);
        claim = { worker: outcome.holder.worker, at: outcome.holder.at };
      }
      try {
        await record({ type: 'sending', at: new Date().toISOString(), ...(claim ? { claim } : {}), home: { apiBase, ...(sandbox && { sandbox: true as const }) } });
      } catch (error) {
        if (key) await guard!.release(key);
        throw error;
      }
      let task: Task;
      try {
        task = await createStep(options.client, journal.request!, stage);
      } catch (error) {
        const event = createFailureEvent(error);
        await record(event);
        if (event.type === 'create-refused') {
          // answered with a refusal: nothing exists at the provider, so the claim is given back for a later try
          if (key) await guard!.release(key);
          throw new JobStageError('submit', event.message, event.hint);
        }
        // an unknown outcome: the next turn of the loop stops on it and says what to do
        return;
      }
      // the claim is the fleet's truth for the task id: it goes there first, then into the journal
      const settled = key ? await guard!.settle(key, task.id).then(() => null, (error: unknown) => error as Error) : null;
      await record({ type: 'created', taskId: task.id, status: task.status });
      if (settled) note(`task ${task.id} could not be recorded on the create claim (${settled.message}); the journal holds it`);
    };
    /** A sandbox's task that the sandbox answers it does not know (reset, or another sandbox): it billed nothing, so it is made again. */
    const dropUnknownSandboxTask = async (error: unknown): Promise<boolean> => {
      if (!(error instanceof TaskNotFoundError) || !journal.createdOn?.sandbox || !sandbox) return false;
      note(`task ${error.taskId} was created on a sandbox (${journal.createdOn.apiBase}) and the sandbox at ${apiBase} does not know it: creating a new task (the sandbox bills nothing)`);
      await record({ type: 'task-dropped' });
      return true;
    };
    let lastTask: Task | null = null;
    /** When this run's upload step ended (its URLs were verified then); null when the uploads are an earlier run's. */
    let uploadedAt: number | null = null;
    for (;;) {
      throwIfCancelled(options.signal, 'the job');
      const state = deriveState(journal, await diskFacts(journal));
      result.state = state.name;
      // batch --restart KINDS: asked once, under the lock (a restart skips the read-only pass), of the state the journal held
      if (typeof options.restart === 'function' && !restartAsked) [restartAsked, inputs.restart] = [true, options.restart(state)];
      const step = nextStep(state, inputs);
      if (finishedOnly && step.do !== 'finish') return NEEDS_LOCK;
      switch (step.do) {
        case 'new-generation': {
          if (step.reason === 'restart') note(restartNote(step.abandoned));
          else if (step.previousTaskId) note(`the request changed since task ${step.previousTaskId} (${step.changed.join(', ')}): creating a new task`);
          if (step.previousTaskId && journal.result) result.previousResults!.push({ taskId: step.previousTaskId, path: journal.result.path });
          await record({ type: 'new-generation', fingerprint, inputs: read.inputs });
          inputs.changed = null;
          inputs.restart = false;
          break;
        }
        case 'fix': {
          const fixed = await media(() => fixStep(options, workDir, stage));
          result.fixed = fixed.fixed;
          await record(fixed.event);
          break;
        }
        case 'upload': {
          const uploaded = await media(() => uploadStep(options, journal.fixed!.requestFile, stage));
          result.uploads = uploaded.uploads;
          await record(uploaded.event);
          uploadedAt = Date.now();
          break;
        }
        case 'drop-uploads': {
          const { endpoint, bucket } = step.uploadedTo;
          note(`the media were uploaded to bucket ${bucket}${endpoint ? ` at ${endpoint}` : ''}, not this run's bucket ${options.upload.bucket}${options.upload.endpoint ? ` at ${options.upload.endpoint}` : ''}: uploading them again`);
          await record({ type: 'uploads-dropped' });
          break;
        }
        case 'drop-task':
          note(`task ${step.taskId} was created on the sandbox at ${step.apiBase}, which this run does not use (it billed nothing): creating a new task at ${apiBase}`);
          await record({ type: 'task-dropped' });
          break;
        case 'create':
          await takeSlot();
          // a batch job may have queued for its task slot: a Ctrl-C meanwhile must not be followed by a billed create
          throwIfCancelled(options.signal, 'the job');
          // uploaded by an earlier run, or before a wait for the slot: a presigned URL may have expired, a store lost an object
          if (journal.uploads?.length && (uploadedAt === null || Date.now() - uploadedAt > freshUploadMs(options.upload))) {
            const dead = await firstDeadUrl(journal.uploads.map((u) => u.url), { signal: options.signal });
            if (dead) {
              note(`the uploaded media no longer answer (${dead.url}: ${dead.error}): uploading them again before the create`);
              await record({ type: 'uploads-dropped' });
              break;
            }
          }
          // nor may a lock another process took over: a failed check fires `lost`, which the signal carries
          if (lock && !(await lock.verify())) throwIfCancelled(options.signal, 'the job');
          await create();
          break;
        case 'adopt': {
          await takeSlot();
          // a task adopted by hand before, now replaced: its downloaded result is paid for and stays reported
          const replaced = journal.submit?.taskId && journal.result ? { taskId: journal.submit.taskId, path: journal.result.path } : null;
          await record(await adoptStep(options, journal, step.taskId, stage));
          if (replaced) result.previousResults!.push(replaced);
          note(`adopted task ${step.taskId}: waiting for it instead of creating one`);
          inputs.adoptTask = undefined;
          break;
        }
        case 'wait':
          if (step.previousRequest) note(`the request changed since task ${step.taskId} (${inputs.changed!.join(', ')}): fetching its result first (it is paid for), then creating a new task`);
          // a resumed task counts against the limit too, from before its wait until it ended
          await takeSlot();
          try {
            lastTask = await waitStep(options, step.taskId, stage);
          } catch (error) {
            if (await dropUnknownSandboxTask(error)) break;
            throw error;
          }
          await record({ type: 'task-ended', task: lastTask });
          await freeSlot();
          break;
        case 'download':
          try {
            await record(await api(() => downloadStep(options, step.taskId, lastTask, outputDir, stage)));
          } catch (error) {
            if (await dropUnknownSandboxTask(error)) break;
            throw error;
          }
          break;
        case 'qc':
          await record(await qcStep(options, journal));
          break;
        case 'finish':
          slot = 'give-back';
          result.ok = true;
          result.taskId = step.taskId;
          result.result = journal.result ? { path: journal.result.path, bytes: journal.result.bytes } : null;
          result.qc = journal.result?.qc ?? null;
          result.request = journal.request ?? null;
          result.uploads = performed.has('upload') ? result.uploads : (journal.uploads ?? []).map((u) => ({ ...u, uploaded: false }));
          result.resumed = JOB_STAGES.filter((s) => !performed.has(s));
          options.onStage?.('done', `result ${step.path}`);
          return result;
        case 'stop': {
          // a failed task or a refused create runs nothing; a create whose answer never arrived may (its slot stays until its lease lapses)
          if (step.why === 'failed') slot = 'give-back';
          let holder: ClaimHolder | undefined;
          if (step.why === 'unknown-create' && guard) {
            // the journal says a create was sent; the claim may know the task it made (its worker died before recording it)
            const key = createClaimKey(journal, options.jobName ?? null);
            const outcome = await guard.claim(key);
            const decision = decideOnClaim(outcome, true);
            if (decision.do === 'adopt') {
              await adoptClaimed(decision);
              break;
            }
            if (decision.do === 'release-and-stop') await guard.release(key);
            else holder = outcome.holder;
          }
          result.taskId = step.why === 'unknown-create' ? null : step.taskId;
          throw stopError(step, workDir, options.adoptTask, holder, apiBase);
        }
      }
      result.taskId = journal.submit?.taskId ?? null;
      result.request = journal.request ?? null;
    }
  } catch (error) {
    // a read-only pass leaves every outcome but "finished" to the pass under the lock
    if (finishedOnly) return NEEDS_LOCK;
    if (isCancelled(error)) {
      result.cancelled = true;
      if (result.state === 'created') slot = 'kept';
      result.error = { stage: [...performed].at(-1) ?? 'check', message: `interrupted (${String(options.signal?.reason ?? 'cancelled')})`, hint: 'run again to resume where it stopped' };
      return result;
    }
    if (error instanceof OutsidePathError) {
      result.error = { stage: 'check', message: error.message, hint: `move the file into ${error.jobDir}, or pass --allow-outside-paths if this request deliberately names media kept elsewhere` };
      return result;
    }
    if (error instanceof JobStageError) {
      result.error = { stage: error.stage, message: error.message, hint: error.hint, ...(error.environment && { environment: true as const }) };
      return result;
    }
    // a damaged journal or a full disk is this job's failure, told in one line with what to do (a batch goes on)
    if (error instanceof JournalError || error instanceof FileSystemError) {
      result.error = { stage: [...performed].at(-1) ?? 'check', message: error.message, hint: error.hint ?? 'see the message' };
      return result;
    }
    throw error;
  } finally {
    // what earlier runs did (fixed files, uploads, task, result) stays in the result, read back from the journal
    if (!options.dryRun && (!finishedOnly || result.ok)) await restoreJournalResults(result, workDir, identity, performed);
    // stopped or failed while holding a task slot: it is free for the next job. Not from the read-only pass: without the
    // lock, a locked run of the same job may hold the slot under the same key right now
    if (!finishedOnly) await freeSlot().catch((error: unknown) => note(`the task slot could not be released (${(error as Error).message}); it frees itself when its lease expires`));
  }
}

async function dryRun(options: RunJobOptions, workDir: string, result: RunJobResult, stage: StageReporter): Promise<RunJobResult> {
  const fixed = await (options.mediaSlot ?? PASS)(() => fixStep(options, workDir, stage));
  result.fixed = fixed.fixed;
  const requestFile = (fixed.event as Extract<JobEvent, { type: 'fixed' }>).fixed.requestFile;
  result.request = await plannedRequest(requestFile, options.upload);
  result.costDrivers = costDrivers(result.request, result.fixed);
  result.ok = true;
  return result;
}

/** The job's journal: its own, else (a request file's, from version 1) the one its folder's work folder kept for it. */
async function loadJournal(job: JobRef, workDir: string, identity: string): Promise<Journal | null> {
  const own = await readJournal(workDir);
  if (own) {
    if (own.job !== identity) {
      throw new JobStageError('check', `${join(workDir, JOURNAL_FILE)} belongs to another job (${own.job}), not to ${identity}: it is not used`, `if this folder was copied or moved from there, delete ${workDir} to start this job afresh (a new task will be created)`);
    }
    return own;
  }
  const legacy = legacyWorkDir(job);
  const old = legacy ? await readJournal(legacy) : null;
  return old?.job === identity ? old : null;
}

/**
 * What changed since the journal's generation was built; null when nothing did. A version 1 journal has no
 * fingerprint: as version 1 did, it is the same job while its sources keep their size and mtime.
 */
function changesSince(journal: Journal, inputs: JobInputs, fingerprint: string, hashes: readonly HashedSource[]): string[] | null {
  if (journal.fingerprint === fingerprint) return null;
  if (journal.inputs) {
    const changed = changedInputs(journal.inputs, inputs);
    return changed.length ? changed : ['inputs'];
  }
  const moved = (journal.fixed?.sources ?? []).filter((s) => !hashes.some((h) => h.path === s.path && h.size === s.size && h.mtimeMs === s.mtimeMs));
  if (journal.fixed === undefined && journal.submit === undefined) return [];
  return moved.length ? moved.map((s) => basename(s.path)) : null;
}

async function diskFacts(journal: Journal): Promise<{ resultOnDisk: boolean; fixedOnDisk: boolean }> {
  const files = journal.fixed ? [journal.fixed.requestFile, ...journal.fixed.outputs] : [];
  const fixedOnDisk = journal.fixed !== undefined && (await Promise.all(files.map(exists))).every(Boolean);
  return { resultOnDisk: journal.result !== undefined && (await exists(journal.result.path)), fixedOnDisk };
}

function restartNote(abandoned: NewGeneration['abandoned']): string {
  if (abandoned && 'unknownCreateAt' in abandoned) return `--restart: creating a new task; the create sent at ${abandoned.unknownCreateAt} got no answer, so a paid task may exist at the provider (check its task list)`;
  if (abandoned) return `--restart: creating a new task; task ${abandoned.notDownloaded} is not downloaded (seedance-preflight wait ${abandoned.notDownloaded} --download FILE still fetches it)`;
  return '--restart: creating a new task';
}

/** `claimedBy`: in a fleet, the worker whose claim on the create is held without a task id. */
function stopError(step: Extract<Step, { do: 'stop' }>, workDir: string, adoptTask: string | undefined, claimedBy?: ClaimHolder, currentApiBase = ''): JobStageError {
  if (step.why === 'unknown-create') {
    return new JobStageError(
      'submit',
      `a create request for this job was sent at ${claimedBy ? `${claimedBy.at} by worker ${claimedBy.worker}` : step.at}, but its answer never arrived: a task may exist and be billed`,
      `look the task up in your provider's task list: run again with --adopt-task TASK_ID to wait for it, or with --restart if none was created (seedance-preflight never re-sends a create silently; journal ${join(workDir, JOURNAL_FILE)})`,
    );
  }
  if (step.why === 'other-api-base') {
    return new JobStageError(
      'submit',
      `task ${step.taskId} belongs to ${step.apiBase}, not to this run's API base ${currentApiBase}`,
      `set --api-base (or EVOLINK_BASE_URL) back to ${step.apiBase} to resume it, or run with --restart to create a new task at ${currentApiBase} (billed; journal ${join(workDir, JOURNAL_FILE)})`,
    );
  }
  if (step.why === 'nothing-to-adopt') {
    const message = step.taskId ? `--adopt-task ${adoptTask}: this job already has task ${step.taskId}` : `--adopt-task ${adoptTask}: this job has no create whose answer never arrived, so there is nothing to adopt`;
    return new JobStageError('submit', message, step.taskId ? `run without --adopt-task to resume task ${step.taskId}, or with --restart for a new task` : 'run without --adopt-task');
  }
  return new JobStageError(step.failure.stage, step.failure.message, step.failure.hint);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
