import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeProblem } from '../check/describe-problem.js';
import type { FixCache } from '../normalize/fix-cache.js';
import type { FitMode } from '../normalize/fix-plan.js';
import type { ProbeCache } from '../probe/probe-cache.js';
import type { Profile } from '../spec/profile.js';
import type { ApiClient } from '../submit/client.js';
import { ApiError, CreateOutcomeUnknownError, TaskFailedError } from '../submit/errors.js';
import type { Task } from '../submit/task.js';
import { hashFile } from '../upload/hash-file.js';
import { objectKey } from '../upload/object-key.js';
import { publicObjectUrl } from '../upload/object-url.js';
import { uploadFiles, type UploadResult, type UploadsInFlight } from '../upload/upload-files.js';
import type { UploadSettings } from '../upload/upload-settings.js';
import { fixTargets, type FixedFileReport } from './fix-targets.js';
import { readJournal, writeJournal, type Journal } from './journal.js';
import { qcResultFile } from './qc-result-file.js';
import type { QcFinding } from './result-qc.js';
import { loadRequestFile, replaceLocalMedia } from './request-file.js';
import { PreflightError } from '../shared/errors.js';

export type JobStage = 'check' | 'fix' | 'upload' | 'submit' | 'wait' | 'download';

/** A job stopped at a stage: what went wrong, on which file, and what to do. */
export class JobStageError extends PreflightError {
  readonly kind = 'job-stage';
  declare readonly hint: string;
  constructor(readonly stage: JobStage, message: string, hint: string) {
    super(message, { hint });
  }
}

export interface RunJobOptions {
  /** An asset folder, or a request file. */
  job: { folder: string } | { requestFile: string };
  profile: Profile;
  upload: UploadSettings;
  client: ApiClient;
  /** Job working folder (journal, fixed copies); default <job folder>/.seedance-preflight. */
  workDir?: string;
  /** Where the result video goes; default <job folder>/output. */
  outputDir?: string;
  prompt?: string;
  fit?: FitMode;
  audioFormat?: 'mp3' | 'wav';
  /** Check and fix, then stop: report the request that would be sent. */
  dryRun?: boolean;
  probeCache?: ProbeCache;
  fixCache?: FixCache;
  /** Wraps the media work (check, fix, upload): a batch shares one limiter across jobs. */
  mediaSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Objects being uploaded by other jobs of a batch: content shared between jobs is sent once. */
  uploadsInFlight?: UploadsInFlight;
  /** Wraps the API work (submit, wait, download): a small separate limit. */
  apiSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  waitTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onStage?: (stage: JobStage | 'done', detail: string) => void;
  onTask?: (task: Task) => void;
}

export interface CostDrivers {
  /** Seconds of video to generate (billed per second). */
  outputSeconds: number;
  /** Seconds of input video (billed). */
  inputVideoSeconds: number;
  /** 1.1 when content_filter is false, else 1. */
  contentFilterFactor: number;
}

export interface RunJobResult {
  job: string;
  ok: boolean;
  /** Stages skipped because the journal showed them done. */
  resumed: JobStage[];
  fixed: FixedFileReport[];
  uploads: UploadResult[] | Journal['uploads'];
  /** The request sent (or, in a dry run, that would be sent). */
  request: Record<string, unknown> | null;
  taskId: string | null;
  result: { path: string; bytes: number } | null;
  /** How the downloaded video differs from the request (warnings; [] when it matches); null when there is no result. */
  qc: QcFinding[] | null;
  costDrivers: CostDrivers | null;
  error: { stage: JobStage; message: string; hint: string } | null;
}

const PASS = <T>(work: () => Promise<T>) => work();

/** One job through every stage — check, fix, upload, submit, wait, download — resuming from its journal. */
export async function runJob(options: RunJobOptions): Promise<RunJobResult> {
  const jobPath = 'folder' in options.job ? resolve(options.job.folder) : resolve(options.job.requestFile);
  const jobDir = 'folder' in options.job ? jobPath : dirname(jobPath);
  const workDir = resolve(options.workDir ?? join(jobDir, '.seedance-preflight'));
  const outputDir = resolve(options.outputDir ?? join(jobDir, 'output'));
  const journal = await readJournal(workDir, jobPath);
  const result: RunJobResult = { job: 'folder' in options.job ? options.job.folder : options.job.requestFile, ok: false, resumed: [], fixed: [], uploads: journal.uploads ?? [], request: journal.request ?? null, taskId: journal.submit?.taskId ?? null, result: null, qc: null, costDrivers: null, error: null };
  const stage = (name: JobStage | 'done', detail: string) => options.onStage?.(name, detail);
  const save = () => writeJournal(workDir, journal);

  try {
    if (journal.result && (await exists(journal.result.path))) {
      result.resumed.push('check', 'fix', 'upload', 'submit', 'wait', 'download');
      // a result downloaded before its QC ran (a crash, or an older journal) is checked now, once
      if (!journal.result.qc) await checkResult(journal, options.signal).then(save);
      return finish(result, journal, stage);
    }
    if (journal.submit?.state === 'sending' || journal.submit?.state === 'unknown') {
      throw new JobStageError(
        'submit',
        `a create request for this job was sent at ${journal.submit.at}, but its answer never arrived: a task may exist and be billed`,
        `look the task up in your provider dashboard; if none was created, delete ${join(workDir, 'journal.json')} and run again (seedance-preflight never re-sends a create silently)`,
      );
    }

    if (!journal.submit?.taskId) {
      const mediaSlot = options.mediaSlot ?? PASS;
      const fixedRequestFile = await mediaSlot(() => checkAndFix(options, journal, result, workDir, stage));
      if (options.dryRun) {
        const request = await plannedRequest(fixedRequestFile, options.upload);
        result.request = request;
        result.costDrivers = costDrivers(request, result.fixed);
        result.ok = true;
        return result;
      }
      const request = await mediaSlot(() => uploadMedia(options, journal, result, fixedRequestFile, stage, save));
      journal.request = request;
      result.request = request;
      await save();
      await (options.apiSlot ?? PASS)(() => submit(options, journal, result, stage, save));
    } else {
      result.resumed.push('check', 'fix', 'upload', 'submit');
    }
    await (options.apiSlot ?? PASS)(() => waitAndFetch(options, journal, result, outputDir, stage, save));
    return finish(result, journal, stage);
  } catch (error) {
    if (error instanceof JobStageError) {
      result.error = { stage: error.stage, message: error.message, hint: error.hint };
      return result;
    }
    throw error;
  }
}

function finish(result: RunJobResult, journal: Journal, stage: (name: 'done', detail: string) => void): RunJobResult {
  result.ok = true;
  result.taskId = journal.submit?.taskId ?? null;
  result.result = journal.result ? { path: journal.result.path, bytes: journal.result.bytes } : null;
  result.qc = journal.result?.qc ?? null;
  result.request = journal.request ?? result.request;
  // `uploaded` says what this run sent: nothing, when the journal showed the upload done
  if (result.resumed.includes('upload')) result.uploads = (journal.uploads ?? []).map((u) => ({ ...u, uploaded: false }));
  else result.uploads = journal.uploads ?? result.uploads;
  stage('done', `result ${journal.result?.path}`);
  return result;
}

/** Check and fix into the work folder; skipped when the journal's fixed copies were made from the sources as they are now. */
async function checkAndFix(options: RunJobOptions, journal: Journal, result: RunJobResult, workDir: string, stage: (s: JobStage, d: string) => void): Promise<string> {
  if (journal.fixed && (await unchanged(journal.fixed))) {
    result.resumed.push('check', 'fix');
    return journal.fixed.requestFile;
  }
  stage('check', 'probing and checking every file');
  const outDir = join(workDir, 'fixed');
  const outcome = await fixTargets({
    ...('folder' in options.job ? { paths: [options.job.folder] } : { requestFile: options.job.requestFile }),
    outDir,
    profile: options.profile,
    prompt: options.prompt,
    fit: options.fit,
    audioFormat: options.audioFormat,
    cache: options.probeCache,
    fixCache: options.fixCache,
    dryRun: false,
    signal: options.signal,
    onPlanned: (_label, plans) => stage('fix', `${plans.filter((p) => p.type !== 'keep').length} of ${plans.length} files need fixing`),
  });
  const job = outcome.jobs[0];
  result.fixed = job?.files ?? [];
  if (outcome.missingPaths.length) throw new JobStageError('check', `${outcome.missingPaths.join(', ')} does not exist`, 'check the path');
  if (!job) throw new JobStageError('check', 'nothing to run', 'give an asset folder or a request file');
  const broken = job.files.find((f) => !f.ok);
  if (broken) throw new JobStageError('fix', `${broken.path}: ${broken.error ?? 'cannot be fixed'}`, 'replace or remove this file, then run again');
  if (!job.request.ok) {
    const first = job.request.violations.find((v) => v.severity === 'error')!;
    // the request is re-checked on its fixed copy: name the user's own file or folder instead
    const message = describeProblem(first.subject === job.requestOutput ? { ...first, subject: job.label } : first);
    throw new JobStageError('check', message, first.fix);
  }
  if (!job.requestOutput) throw new JobStageError('check', 'the job has no usable media', 'put images, videos or audio in the folder, or give a request.json');
  const sources = await Promise.all(
    job.files.map(async (f) => {
      const { size, mtimeMs } = await stat(f.path);
      return { path: resolve(f.path), size, mtimeMs };
    }),
  );
  journal.fixed = { requestFile: job.requestOutput, sources, outputs: job.files.map((f) => f.output!).filter(Boolean) };
  await writeJournal(workDir, journal);
  return job.requestOutput;
}

async function unchanged(fixed: NonNullable<Journal['fixed']>): Promise<boolean> {
  if (!(await exists(fixed.requestFile))) return false;
  for (const output of fixed.outputs) if (!(await exists(output))) return false;
  for (const source of fixed.sources) {
    const now = await stat(source.path).catch(() => null);
    if (!now || now.size !== source.size || now.mtimeMs !== source.mtimeMs) return false;
  }
  return true;
}

/** Uploads the fixed request's local media (content-addressed: nothing twice) and returns the request with URLs. */
async function uploadMedia(options: RunJobOptions, journal: Journal, result: RunJobResult, requestFile: string, stage: (s: JobStage, d: string) => void, save: () => Promise<void>): Promise<Record<string, unknown>> {
  const loaded = await loadRequestFile(requestFile);
  const paths = [...new Set(loaded.media.flatMap((m) => (m.path ? [m.path] : [])))];
  let uploads = journal.uploads;
  if (uploads && uploads.length === paths.length && paths.every((p) => uploads!.some((u) => u.path === p))) {
    result.resumed.push('upload');
  } else {
    stage('upload', `${paths.length} file${paths.length === 1 ? '' : 's'} to ${options.upload.bucket}`);
    try {
      uploads = await uploadFiles(paths, options.upload, { signal: options.signal, env: options.env, inFlight: options.uploadsInFlight });
    } catch (error) {
      const hint = (error as { hint?: string }).hint ?? 'check the S3 settings (seedance-preflight doctor) and run again';
      throw new JobStageError('upload', (error as Error).message, hint);
    }
    journal.uploads = uploads.map(({ path, sha256, key, url, bytes, uploaded }) => ({ path, sha256, key, url, bytes, uploaded }));
    await save();
  }
  result.uploads = result.resumed.includes('upload') ? uploads.map((u) => ({ ...u, uploaded: false })) : uploads;
  return replaceLocalMedia(loaded.request ?? {}, loaded.media, (path) => uploads!.find((u) => u.path === path)!.url);
}

/** Creates the task once: the journal says "sending" before the call and holds the task id after it. */
async function submit(options: RunJobOptions, journal: Journal, result: RunJobResult, stage: (s: JobStage, d: string) => void, save: () => Promise<void>): Promise<void> {
  stage('submit', `creating the task (${String(journal.request!.model)})`);
  journal.submit = { state: 'sending', at: new Date().toISOString() };
  await save();
  let task: Task;
  try {
    task = await options.client.createTask(journal.request!, { signal: options.signal });
  } catch (error) {
    if (error instanceof CreateOutcomeUnknownError) {
      journal.submit = { state: 'unknown', at: journal.submit.at };
      await save();
      throw new JobStageError('submit', error.message, error.hint);
    }
    // an answered refusal created nothing: a later run may submit again
    delete journal.submit;
    await save();
    if (error instanceof ApiError) throw new JobStageError('submit', error.describe(), error.hint);
    throw error;
  }
  journal.submit = { state: 'created', at: journal.submit.at, taskId: task.id };
  journal.task = { id: task.id, status: task.status };
  result.taskId = task.id;
  await save();
}

async function waitAndFetch(options: RunJobOptions, journal: Journal, result: RunJobResult, outputDir: string, stage: (s: JobStage, d: string) => void, save: () => Promise<void>): Promise<void> {
  const taskId = journal.submit!.taskId!;
  result.taskId = taskId;
  stage('wait', `task ${taskId}`);
  let task: Task;
  try {
    task = await options.client.waitForTask(taskId, { timeoutMs: options.waitTimeoutMs, signal: options.signal, onProgress: (t) => options.onTask?.(t) });
  } catch (error) {
    const detail = error instanceof ApiError ? `querying task ${taskId}: ${error.describe()}` : (error as Error).message;
    throw new JobStageError('wait', detail, `the task goes on at the provider: run again to resume waiting on ${taskId}`);
  }
  journal.task = { id: task.id, status: task.status, progress: task.progress, error: task.error ? { code: task.error.code, message: task.error.message ?? '' } : null };
  await save();
  if (task.status !== 'completed') {
    const failure = new TaskFailedError(task);
    throw new JobStageError('wait', failure.message, failure.hint);
  }
  stage('download', `${task.results?.[0] ?? ''}`);
  const path = join(outputDir, `${task.id}.mp4`);
  try {
    const downloaded = await options.client.downloadResult(task, path, { signal: options.signal });
    journal.result = { path: downloaded.path, bytes: downloaded.bytes };
  } catch (error) {
    throw new JobStageError('download', (error as Error).message, 'run again within 24 hours of completion to download it (the link expires)');
  }
  await checkResult(journal, options.signal);
  await save();
}

/** Result QC: the downloaded video probed and compared with the request; kept in the journal, so a re-run reports it without probing. */
async function checkResult(journal: Journal, signal?: AbortSignal): Promise<void> {
  const localPathOf = (url: string) => journal.uploads?.find((u) => u.url === url)?.path ?? null;
  journal.result!.qc = await qcResultFile(journal.request ?? {}, journal.result!.path, { localPathOf, signal });
}

/** The request a dry run would send: local media replaced by the URLs their content-addressed keys will have. */
async function plannedRequest(requestFile: string, settings: UploadSettings): Promise<Record<string, unknown>> {
  const loaded = await loadRequestFile(requestFile);
  const urls = new Map<string, string>();
  for (const m of loaded.media) {
    if (!m.path || urls.has(m.path)) continue;
    const file = await hashFile(m.path);
    const url = publicObjectUrl(settings, objectKey(settings.prefix, file.sha256, file.format));
    urls.set(m.path, settings.urlMode === 'presigned' ? `${url}?X-Amz-Signature=…(signed at upload, valid ${settings.expiresSeconds} s)` : url);
  }
  return replaceLocalMedia(loaded.request ?? {}, loaded.media, (path) => urls.get(path)!);
}

/** What the provider bills on: output seconds, input video seconds (of the fixed videos, as verified), and the content filter's factor. */
export function costDrivers(request: Record<string, unknown>, fixed: readonly FixedFileReport[]): CostDrivers {
  const videoSeconds = fixed.reduce((sum, f) => sum + (f.outputInfo?.kind === 'video' ? (f.outputInfo.duration ?? 0) : 0), 0);
  return { outputSeconds: typeof request.duration === 'number' ? request.duration : 5, inputVideoSeconds: Math.round(videoSeconds * 100) / 100, contentFilterFactor: request.content_filter === false ? 1.1 : 1 };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

