import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeProblem } from '../check/describe-problem.js';
import { cancellationOr, throwIfCancelled } from '../shared/cancel.js';
import { PreflightError } from '../shared/errors.js';
import { hasCredentials, redactUrls } from '../shared/redact.js';
import type { ApiClient } from '../submit/client.js';
import { ApiError } from '../submit/errors.js';
import type { Task } from '../submit/task.js';
import { UploadError } from '../upload/upload-error.js';
import { uploadFiles, type UploadResult } from '../upload/upload-files.js';
import { adoptMismatches, describeMismatches } from './adopt-check.js';
import { isStalledReason } from '../normalize/fix-file.js';
import { fixTargets, type FixedFileReport } from './fix-targets.js';
import type { JobEvent } from './journal-events.js';
import { withFileReports } from './journal-results.js';
import type { Journal } from './journal.js';
import { qcResultFile } from './qc-result-file.js';
import { loadRequestFile, replaceLocalMedia } from './request-file.js';
import type { JobStage, RunJobOptions } from './run-job.js';

/** A job stopped at a stage: what went wrong, on which file, and what to do. */
export class JobStageError extends PreflightError {
  readonly kind = 'job-stage';
  declare readonly hint: string;
  /** `environment`: the fix lies in the settings (credentials, bucket), as the upload command's exit 2 says. */
  constructor(readonly stage: JobStage, message: string, hint: string, readonly environment = false) {
    super(message, { hint });
  }
}

export type StageReporter = (stage: JobStage, detail: string) => void;

/** The API answered that it knows no such task (404): for a sandbox's task, the sandbox was reset or is another one. */
export class TaskNotFoundError extends JobStageError {
  constructor(stage: JobStage, message: string, hint: string, readonly taskId: string) {
    super(stage, message, hint);
  }
}

function isTaskNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** check → fix into <work>/fixed; every file must conform and the request must pass before anything is sent. */
export async function fixStep(options: RunJobOptions, workDir: string, stage: StageReporter): Promise<{ event: JobEvent; fixed: FixedFileReport[] }> {
  stage('check', 'probing and checking every file');
  const outcome = await fixTargets({
    ...('folder' in options.job ? { paths: [options.job.folder] } : { requestFile: options.job.requestFile }),
    outDir: join(workDir, 'fixed'),
    profile: options.profile,
    prompt: options.prompt,
    fit: options.fit,
    audioFormat: options.audioFormat,
    encodeTimeoutSeconds: options.encodeTimeoutSeconds,
    cache: options.probeCache,
    fixCache: options.fixCache,
    dryRun: false,
    allowOutsidePaths: options.allowOutsidePaths,
    // media URLs are read as check --remote reads them: a file the provider would refuse stops the job before it is billed
    remote: true,
    remoteReads: options.remoteReads,
    // the job's own work folder: fix replaces what it wrote there, even before it kept a manifest (earlier versions)
    ownFolder: true,
    outFlag: '--work',
    signal: options.signal,
    onFileProgress: (path, fraction) => options.onProgress?.({ type: 'encode', path, fraction }),
    onPlanned: (_label, plans) => stage('fix', `${plans.filter((p) => p.type !== 'keep').length} of ${plans.length} files need fixing`),
  });
  // an encode killed by the terminal's Ctrl-C itself is a cancellation too, not a file that cannot be fixed
  throwIfCancelled(options.signal, 'fix');
  const job = outcome.jobs[0];
  const fixed = job?.files ?? [];
  if (outcome.missingPaths.length) throw new JobStageError('check', `${outcome.missingPaths.join(', ')} does not exist`, 'check the path');
  if (!job) throw new JobStageError('check', 'nothing to run', 'give an asset folder or a request file');
  const broken = job.files.find((f) => !f.ok);
  // a stalled encode is the machine's trouble as often as the file's: the hint says both
  const hint = broken && broken.error && isStalledReason(broken.error) ? 'run again when the machine is less busy, or with a larger --encode-timeout (0: no limit); if it stalls again, fix this file alone' : 'replace or remove this file, then run again';
  if (broken) throw new JobStageError('fix', `${broken.path}: ${broken.error ?? 'cannot be fixed'}`, hint);
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
  // each file's report is kept too: a resumed run reports what this fix did
  return { event: { type: 'fixed', fixed: withFileReports({ requestFile: job.requestOutput, sources, outputs: job.files.map((f) => f.output!).filter(Boolean) }, fixed) }, fixed };
}

/** Uploads the fixed request's local media (content-addressed: nothing twice) and records the request with their URLs. */
export async function uploadStep(options: RunJobOptions, requestFile: string, stage: StageReporter): Promise<{ event: JobEvent; uploads: UploadResult[] }> {
  const loaded = await loadRequestFile(requestFile);
  // a user:password in a media URL would go to the provider and into the journal: refused before anything is sent
  const withCredentials = loaded.media.find((m) => !m.path && hasCredentials(m.ref));
  if (withCredentials) {
    throw new JobStageError('upload', `${withCredentials.field}[${withCredentials.index}] ${redactUrls(withCredentials.ref)} carries a user or password (user:password@), which would be sent to the provider`, 'serve that media at a URL without credentials (a public or presigned URL), or give it as a local file');
  }
  const paths = [...new Set(loaded.media.flatMap((m) => (m.path ? [m.path] : [])))];
  stage('upload', `${paths.length} file${paths.length === 1 ? '' : 's'} to ${options.upload.bucket}`);
  let uploads: UploadResult[];
  try {
    uploads = await uploadFiles(paths, options.upload, { signal: options.signal, env: options.env, inFlight: options.uploadsInFlight, onProgress: (event) => options.onProgress?.({ type: 'upload', event }) });
  } catch (error) {
    if (options.signal?.aborted) throw cancellationOr(error, options.signal, 'upload');
    const hint = (error as { hint?: string }).hint ?? 'check the S3 settings (seedance-preflight doctor) and run again';
    throw new JobStageError('upload', (error as Error).message, hint, error instanceof UploadError && error.environment);
  }
  const request = replaceLocalMedia(loaded.request ?? {}, loaded.media, (path) => uploads.find((u) => u.path === path)!.url);
  const recorded = uploads.map(({ path, sha256, key, url, bytes, uploaded }) => ({ path, sha256, key, url, bytes, uploaded }));
  return { event: { type: 'uploaded', uploads: recorded, request, to: { endpoint: options.upload.endpoint ?? null, bucket: options.upload.bucket } }, uploads };
}

/**
 * The create call, given no abort signal on purpose: it is short, and a create cut off after its body left would leave
 * a billed task nobody knows of. Ctrl-C lets it finish, records the task, and stops at the next step.
 */
export async function createStep(client: ApiClient, request: Record<string, unknown>, stage: StageReporter): Promise<Task> {
  stage('submit', `creating the task (${String(request.model)})`);
  return client.createTask(request);
}

/** Waits for the task to end (completed, failed or cancelled at the provider). */
export async function waitStep(options: RunJobOptions, taskId: string, stage: StageReporter): Promise<Task> {
  stage('wait', `task ${taskId}`);
  try {
    return await options.client.waitForTask(taskId, { timeoutMs: options.waitTimeoutMs, signal: options.signal, onProgress: (t) => options.onTask?.(t) });
  } catch (error) {
    if (options.signal?.aborted) throw cancellationOr(error, options.signal, 'wait');
    const detail = error instanceof ApiError ? `querying task ${taskId}: ${error.describe()}` : (error as Error).message;
    const hint = `the task goes on at the provider: run again to resume waiting on ${taskId}`;
    if (isTaskNotFound(error)) throw new TaskNotFoundError('wait', detail, hint, taskId);
    throw new JobStageError('wait', detail, hint);
  }
}

/** Downloads the completed task's result to <output>/<task id>.mp4 (atomically); `known` saves a query when this run just saw it. */
export async function downloadStep(options: RunJobOptions, taskId: string, known: Task | null, outputDir: string, stage: StageReporter): Promise<JobEvent> {
  try {
    const task = known?.id === taskId && known.status === 'completed' ? known : await options.client.getTask(taskId, { signal: options.signal });
    stage('download', `${task.results?.[0] ?? ''}`);
    const downloaded = await options.client.downloadResult(task, join(outputDir, `${task.id}.mp4`), { signal: options.signal });
    return { type: 'downloaded', result: { path: downloaded.path, bytes: downloaded.bytes } };
  } catch (error) {
    if (options.signal?.aborted) throw cancellationOr(error, options.signal, 'download');
    const hint = 'run again within 24 hours of completion to download it (the link expires)';
    if (isTaskNotFound(error)) throw new TaskNotFoundError('download', (error as Error).message, hint, taskId);
    throw new JobStageError('download', (error as Error).message, hint);
  }
}

const ADOPT_HINT = "give the id of the task this job created, as your provider's task list shows it";

/**
 * --adopt-task: the task must exist, and what its detail carries (model, duration, creation time) must agree with the
 * create the job sent; then it is this job's task. A refusal records nothing, so the right task can be adopted next.
 */
export async function adoptStep(options: RunJobOptions, journal: Journal, taskId: string, stage: StageReporter): Promise<JobEvent> {
  const replaced = journal.submit?.taskId;
  stage('submit', replaced ? `adopting task ${taskId} in place of task ${replaced} (adopted earlier)` : `adopting task ${taskId}`);
  let task: Task;
  try {
    task = await options.client.getTask(taskId, { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw cancellationOr(error, options.signal, 'adopt');
    const detail = error instanceof ApiError ? error.describe() : (error as Error).message;
    throw new JobStageError('submit', `--adopt-task ${taskId}: the task cannot be found (${detail})`, ADOPT_HINT);
  }
  const mismatches = adoptMismatches(task, { request: journal.request ?? {}, sentAt: journal.submit?.at ?? null });
  if (mismatches.length) throw new JobStageError('submit', `--adopt-task refused: ${describeMismatches(taskId, mismatches)}`, ADOPT_HINT);
  return { type: 'adopted', task };
}

/** Result QC: the downloaded video probed and compared with the request (the references it follows read from their uploaded files). */
export async function qcStep(options: RunJobOptions, journal: Journal): Promise<JobEvent> {
  const localPathOf = (url: string) => journal.uploads?.find((u) => u.url === url)?.path ?? null;
  const qc = await qcResultFile(journal.request ?? {}, journal.result!.path, { localPathOf, signal: options.signal });
  return { type: 'checked', qc };
}
