import { availableParallelism } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { CheckInput } from '../check/job.js';
import { hasErrors, type Violation } from '../check/violation.js';
import type { MediaInfo, MediaKind } from '../probe/media-info.js';
import { ProbeCache } from '../probe/probe-cache.js';
import type { FitMode, FixAction, FixMode, FixPlan } from '../normalize/fix-plan.js';
import { FixCache } from '../normalize/fix-cache.js';
import { fixFile, type FixedFile } from '../normalize/fix-file.js';
import { assignOutputPaths } from '../normalize/output-names.js';
import { writeAtomically } from '../shared/write-atomically.js';
import { REQUEST_FILE_NAME } from './asset-folder.js';
import { checkTargets, type CheckTargetsOptions } from './check-targets.js';
import { withInputFileViolations } from './input-file-violation.js';
import { replaceLocalMedia } from './request-file.js';
import { CancelledError, isCancelled } from '../shared/cancel.js';
import { FileSystemError } from '../shared/file-system-error.js';
import { sweepTemporaries } from '../shared/temp-file.js';
import type { OutputSpec } from '../shared/guard-outputs.js';
import type { OutputManifest } from '../normalize/output-manifest.js';
import { guardFixOutputs } from './fix-guard.js';
import { runInputs } from './run-inputs.js';
import { planJob } from './request-plan.js';
import type { RemainingViolations } from './remaining-plan.js';

export interface FixTargetsOptions extends CheckTargetsOptions {
  outDir: string;
  fit?: FitMode;
  audioFormat?: 'mp3' | 'wav';
  /** Seconds an encode may go without progress before it is killed (--encode-timeout); 0: no limit; default 60. */
  encodeTimeoutSeconds?: number;
  /** Plan only: nothing is written. */
  dryRun?: boolean;
  /** Reuse outputs of earlier fixes of the same bytes with the same plan. */
  fixCache?: FixCache;
  /** Called with each job's plans, and what they leave, before anything runs (to show cuts across files first, and a total no cut can fit). */
  onPlanned?: (label: string, plans: readonly FixPlan[], remaining: RemainingViolations) => void;
  /** A file's encode progress (0–1). */
  onFileProgress?: (path: string, fraction: number) => void;
  /** The option that named `outDir` and the folder as the user wrote it, for the guard's messages (default "--out" and `outDir`). */
  outFlag?: string;
  outShown?: string;
  /** The --profile file, when the profile came from one: an input no output may land on. */
  profileFile?: string;
  /** What the caller writes after the fix (--report, its thumbnail folder): guarded with fix's own outputs before any encode. */
  otherOutputs?: readonly OutputSpec[];
  /** `outDir` is the tool's own (a run's work folder): files there are replaced without asking its manifest of outputs. */
  ownFolder?: boolean;
}

export type { FixMode } from '../normalize/fix-plan.js';

export interface FixedFileReport {
  path: string;
  kind: MediaKind | null;
  /** What the source broke (as `check` reports it). */
  violations: Violation[];
  mode: FixMode;
  actions: FixAction[];
  /** The written file, or null (dry run, or the fix failed). */
  output: string | null;
  /** The written file as probed when it was verified (null when nothing was written). */
  outputInfo: MediaInfo | null;
  /** Reused from the fix cache. */
  cached: boolean;
  /** The output conforms (or, in a dry run, a plan exists that should make it conform). */
  ok: boolean;
  /** What went wrong when the file could not be fixed, in one line. */
  error: string | null;
  /**
   * What the output still breaks: a rejected one's errors, or an accepted one's warnings (empty when there was no output
   * to check). In a dry run, what the plan leaves (remainingAfterPlan): an unfixable file's errors, warnings fix keeps.
   */
  outputViolations: Violation[];
  plan: FixPlan;
  /** Ctrl-C or SIGTERM came: its encode was stopped part-way (its temporary removed), or it had not started. Not a failure. */
  interrupted?: 'stopped' | 'not started';
}

export interface FixJobReport {
  label: string;
  outDir: string;
  files: FixedFileReport[];
  /** DIR/request.json, when the job had a request (or was an asset folder) and every file was fixed. */
  requestOutput: string | null;
  /** The files that could not be fixed and so kept DIR/request.json from being written (empty when nothing kept it). */
  requestBlockedBy: string[];
  /** The request as checked again after the fix (counts, totals, fields); in a dry run, what its plan leaves (`remaining.request`). */
  request: { ok: boolean; violations: Violation[] };
  /** What the plans leave, per file and on the request, known before any encode (absent on reports built elsewhere). */
  remaining?: RemainingViolations;
}

export interface FixOutcome {
  ok: boolean;
  dryRun: boolean;
  jobs: FixJobReport[];
  missingPaths: string[];
  ignored: string[];
  /** What each job was checked from (request, media entries and their probes), in the order of `jobs`: the report reads the requests here. */
  inputs: CheckInput[];
}

/**
 * The signal fired while files were being fixed: no file started after it, those done are written (atomically), and
 * `outcome` says which were stopped or not started. A CancelledError, so a run's fix step stops like every other step.
 */
export class FixInterruptedError extends CancelledError {
  constructor(readonly outcome: FixOutcome, reason: unknown) {
    super('the fix', reason);
  }
}

/**
 * check → plan → guard → one pass per file → verify → DIR/request.json. Originals are only ever read; no output lands on
 * an input or on a file in DIR that fix did not write (OutputGuardError before any encode, also in a dry run). Once the
 * signal fires no file starts; the outcome so far is thrown as FixInterruptedError.
 */
export async function fixTargets(options: FixTargetsOptions): Promise<FixOutcome> {
  const cache = options.cache ?? ProbeCache.inMemory();
  // each media URL is read once (with remote), by the first check and for the check of the request written
  const remoteReads = options.remoteReads ?? new Map();
  const checked = await checkTargets({ ...options, cache, remoteReads });
  const outDir = resolve(options.outDir);
  const jobDirs = jobOutputDirs(checked.inputs, outDir);
  const limit = pLimit(options.concurrency ?? availableParallelism());
  // every job planned before anything is written: the guard sees every output first
  const planned = checked.inputs.map((input, j) => {
    const report = checked.jobs[j]!;
    const dir = jobDirs[j]!;
    // the request's combined durations are shared over the lengths each file's own fix gives it, and checked before any encode
    const { reports, plans, remaining } = planJob(input, report, options.profile, { fit: options.fit ?? 'pad', audioFormat: options.audioFormat ?? 'mp3' });
    const outputs = assignOutputPaths(plans.map((p) => ({ source: p.source, extension: p.extension })), dir);
    return { input, report, dir, reports, plans, outputs, remaining };
  });
  const manifests = await guardFixOutputs({
    outDir,
    outFlag: options.outFlag ?? '--out',
    outShown: options.outShown ?? outDir,
    jobs: planned.map(({ input, dir, plans, outputs }) => ({
      dir,
      files: plans.flatMap((plan, i) => (plan.type === 'unfixable' ? [] : [{ path: outputs[i]!, source: plan.source, alternatives: plan.type === 'image' ? [swapExtension(outputs[i]!, 'webp')] : [] }])),
      request: input.request ? join(dir, REQUEST_FILE_NAME) : null,
    })),
    inputs: await runInputs(checked.inputs, { requestFile: options.requestFile, profileFile: options.profileFile }),
    otherOutputs: options.otherOutputs,
    ownFolder: options.ownFolder,
  });
  if (!options.dryRun) {
    for (const dir of new Set(jobDirs)) await mkdir(dir, { recursive: true });
    // what killed runs of this host left in the job folders (never a file of a writer still running, nor a user's)
    for (const dir of new Set(jobDirs)) await sweepTemporaries(dir);
  }

  const jobs = await allSettledOrThrow(
    planned.map(async ({ input, report, dir, reports, plans, outputs, remaining }) => {
      const manifest = manifests?.get(dir) ?? null;
      options.onPlanned?.(input.label, plans, remaining);
      const files = await allSettledOrThrow(
        plans.map((plan, i) => {
          const file = reports[i]!;
          const base: FixedFileReport = { path: file.path, kind: file.kind, violations: file.violations, mode: plan.mode, actions: plan.actions, output: null, outputInfo: null, cached: false, ok: plan.type !== 'unfixable', error: plan.type === 'unfixable' ? plan.reason : null, outputViolations: options.dryRun ? remaining.files[i]!.violations : [], plan };
          if (plan.type === 'unfixable' || options.dryRun) return base;
          // a file whose turn comes after Ctrl-C does not start: the signal is read when the slot is free, not when queued
          return limit(() => (options.signal?.aborted ? interruptedFile(base, 'not started', options.signal.reason) : runOne(base, plan, outputs[i]!, file.info, cache, options, manifest)));
        }),
      );
      const fileFailed = files.some((f) => !f.ok);
      let requestOutput: string | null = null;
      // a request not written (dry run, or a file failed) is judged by what the plan leaves, not by what it repairs
      let request = options.dryRun || fileFailed ? { ok: !hasErrors(remaining.request), violations: remaining.request } : report.request;
      if (input.request && !options.dryRun && !fileFailed) {
        requestOutput = join(dir, REQUEST_FILE_NAME);
        await writeAtomically(requestOutput, `${JSON.stringify(rewriteRequest(input, files, dir), null, 2)}\n`);
        await manifest?.record(requestOutput);
        // no signal: its media were probed as they were written (cached), and a Ctrl-C now must not lose what was done
        const again = await checkTargets({ requestFile: requestOutput, profile: options.profile, cache, remote: options.remote, remoteReads });
        request = withInputFileViolations(again.jobs[0]!.request, input.loadViolations);
      }
      // an interrupted file does not block the request: the next run writes it
      const requestBlockedBy = input.request && !options.dryRun && !files.some((f) => f.interrupted) ? files.filter((f) => !f.ok).map((f) => f.path) : [];
      return { label: input.label, outDir: dir, files, requestOutput, requestBlockedBy, request, remaining } satisfies FixJobReport;
    }),
  );
  const ok = checked.missingPaths.length === 0 && jobs.every((j) => j.files.every((f) => f.ok) && (j.request.ok || (!options.dryRun && j.requestOutput === null)));
  const outcome: FixOutcome = { ok, dryRun: Boolean(options.dryRun), jobs, missingPaths: checked.missingPaths, ignored: checked.ignored, inputs: checked.inputs };
  if (jobs.some((j) => j.files.some((f) => f.interrupted))) throw new FixInterruptedError(outcome, options.signal?.reason);
  return outcome;
}

/** A file the signal stopped part-way, or reached before its turn: nothing of it is written. */
function interruptedFile(base: FixedFileReport, how: 'stopped' | 'not started', reason: unknown): FixedFileReport {
  const error = how === 'stopped' ? `${String(reason)} stopped it part-way; nothing written` : `${String(reason)} came before its turn; not started`;
  return { ...base, ok: false, error, interrupted: how };
}

async function runOne(base: FixedFileReport, plan: Exclude<FixPlan, { type: 'unfixable' }>, output: string, info: MediaInfo | null, cache: ProbeCache, options: FixTargetsOptions, manifest: OutputManifest | null): Promise<FixedFileReport> {
  let fixed: FixedFile;
  try {
    fixed = await fixFile(plan, {
      outputPath: output,
      profile: options.profile,
      cache: options.fixCache,
      audioSource: info?.kind === 'audio' ? { sampleRate: info.sampleRate, channels: info.channels } : undefined,
      sourceSeconds: info && info.kind !== 'image' ? info.duration : null,
      signal: options.signal,
      ...(options.encodeTimeoutSeconds !== undefined && { encodeTimeoutSeconds: options.encodeTimeoutSeconds }),
      onProgress: (fraction) => options.onFileProgress?.(base.path, fraction),
    });
  } catch (error) {
    // Ctrl-C or SIGTERM: this file is reported stopped; the others already done stay written
    if (isCancelled(error)) return interruptedFile(base, 'stopped', options.signal?.reason ?? error.reason);
    // a full or read-only disk fails every file alike: the run stops naming the disk, not each source
    if (error instanceof FileSystemError) throw error;
    // sharp and other failures: one line, the file named by the report
    return { ...base, ok: false, error: `could not fix it: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!fixed.ok) return { ...base, ok: false, error: fixed.reason, outputInfo: fixed.info, outputViolations: fixed.violations };
  // recorded as soon as it has its name: a later run may replace it, and only it
  await manifest?.record(fixed.output);
  // the verifying probe, kept: the check of DIR/request.json then reads the output from the cache, not ffprobe again
  if (fixed.info) cache.set(fixed.output, { ok: true, info: fixed.info });
  // an accepted output may still carry warnings (an HEVC stream kept): fix --strict fails on them
  return { ...base, output: fixed.output, outputInfo: fixed.info, cached: fixed.cached, ok: true, outputViolations: fixed.violations };
}

/** Promise.all that waits for every promise before throwing: an aborted run returns only once each file has removed its temporary output. */
async function allSettledOrThrow<T>(promises: readonly (T | Promise<T>)[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** One output folder per job: DIR itself for a single job, else DIR/<folder name> for each request or asset folder. */
function jobOutputDirs(inputs: readonly CheckInput[], outDir: string): string[] {
  if (inputs.length <= 1) return inputs.map(() => outDir);
  const used = new Set<string>();
  return inputs.map((input) => {
    if (!input.request && input.label === 'files') return outDir;
    const name = basename(input.label.endsWith('.json') ? dirname(resolve(input.label)) : resolve(input.label)) || 'job';
    let dir = join(outDir, name);
    for (let n = 2; used.has(dir); n++) dir = join(outDir, `${name}-${n}`);
    used.add(dir);
    return dir;
  });
}

/** The same request with each local media entry pointing at its output (relative to the output folder), order kept. */
function rewriteRequest(input: CheckInput, files: readonly FixedFileReport[], dir: string): Record<string, unknown> {
  return replaceLocalMedia(input.request ?? {}, input.media, (path, ref) => {
    const output = files.find((f) => f.path === path)?.output;
    return output ? relative(dir, output) : ref;
  });
}

/** The same path with another extension (an image that had to become WebP). */
function swapExtension(path: string, extension: string): string {
  return `${path.slice(0, path.length - extname(path).length)}.${extension}`;
}
