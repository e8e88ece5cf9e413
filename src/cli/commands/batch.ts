import type { RemoteReads } from '../../pipeline/check-targets.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { displayPath } from '../../shared/display-path.js';
import { dryRunViolations } from '../../pipeline/dry-run.js';
import { stageDetail } from '../output/stage-detail.js';
import { refuseTwoStdoutDocuments, STDOUT } from '../output-guard-option.js';
import { runBatch } from '../../pipeline/run-batch.js';
import type { BatchJobResult } from '../../pipeline/job-outcome.js';
import { writeAtomically } from '../../shared/write-atomically.js';
import { DRY_RUN_CLIENT, apiClientFrom } from '../api-client.js';
import { openCaches } from '../caches.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatBatchTable } from '../output/batch-table.js';
import { formatRunJson } from '../output/run-text.js';
import { addFixFlags, loadProfileOption, parseConcurrency, parseFixFlags } from '../parse-options.js';
import { SANDBOX_DIR_FLAG, withOptionalSandbox } from '../sandbox-session.js';
import { requireSettings } from '../settings-check.js';
import { interruptedExitCode, interruptOnSignals } from '../signals.js';
import { addUploadFlags, uploadSettingsFromFlags, type UploadFlags } from '../upload-flags.js';
import { parseSeconds } from '../parse-seconds.js';
import { REPORT_FLAG, writeReportOption } from '../report-option.js';
import { QUEUE_NAME_FLAG, QUEUE_URL_HELP } from '../queue-flags.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';
import { guardBatchOutputs } from '../run-output-guard.js';
import { findAssetFolders } from '../../pipeline/find-asset-folders.js';
import { selectFolders, selectionSummary, type FolderSelection } from '../../pipeline/folder-selection.js';
import { terminalOf, type ProgressView } from '../terminal/terminal.js';
import { jobProgressEvent } from '../terminal/job-events.js';
import { jobOutcome } from '../../pipeline/job-outcome.js';
import { shower } from '../output/display.js';
import { parseRestartKinds, RESTART_KIND_HELP, RESTART_KINDS, type RestartKind } from '../../pipeline/batch-restart.js';

export interface BatchOptions extends UploadFlags, ApiFlags {
  dryRun?: boolean;
  sandbox?: boolean;
  sandboxDir?: string;
  junit?: string;
  mediaConcurrency?: string;
  apiConcurrency?: string;
  fit: string;
  audioFormat: string;
  encodeTimeout?: string;
  timeout?: string;
  allowOutsidePaths?: boolean;
  json?: boolean;
  profile?: string;
  apiBase?: string;
  report?: string;
  queue?: string | boolean;
  queueName?: string;
  wait: boolean;
  only?: string[];
  exclude?: string[];
  /** true when given without KINDS: refused with the kinds named, not commander's "argument missing". */
  restart?: string | true;
}

/** Repeatable flags: every value given, in order. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerBatch(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('batch')
    .summary('run every asset folder under ROOT, with a summary')
    .description(
      'Finds every asset folder under ROOT (a folder with a request.json, or with media files) and runs each one like `run`,\n' +
        'each with its own journal: a re-run after an interruption resumes every job and creates no task twice.\n' +
        'Media work (check, fix, upload) runs --media-concurrency jobs at once; at most --api-concurrency tasks are in flight\n' +
        '(a job holds its slot from before its create until its wait ends, so the account\'s task limit holds).\n' +
        'Each job\'s media must sit inside its own folder (symlinks resolved) unless --allow-outside-paths.\n' +
        'Each job is run under its lock, as by `run`: a job another process runs (a run, a batch, a worker) is skipped and\n' +
        'reported "busy", untouched.\n' +
        "One folder's failure does not stop the others. Exit 0 when every job is done, 1 when any failed, 75 when none failed\n" +
        'but some were busy, 2 for usage errors, 130 / 143 when stopped by Ctrl-C / SIGTERM (every job stops at its next step,\n' +
        'no job starts after it; the summary counts the jobs stopped and not started; run again to resume).\n' +
        'With --queue, each folder becomes one job on a BullMQ queue in Redis (its id made of the folder\'s path under ROOT and\n' +
        'its fingerprint, so enqueuing twice adds nothing) for `seedance-preflight worker` processes on any machine that mounts\n' +
        'ROOT; the command then follows the jobs and prints the same summary, --json and --junit once every one has ended\n' +
        '(Ctrl-C stops following, exit 130; the jobs go on). --media-concurrency and --api-concurrency are then the workers\' flags.\n' +
        '--only and --exclude choose folders by their path under ROOT (the summary says how many of how many ran); a glob that\n' +
        'selects nothing is a usage error (exit 2). A re-run never creates a second task for a job whose journal holds one; as\n' +
        '`run --restart` does for one job, --restart KINDS starts over, with a new paid task each, exactly the jobs whose journal\n' +
        'stands as named (failed, unanswered, in-flight, done, or all), decided under each job\'s lock; the summary lists each job\n' +
        'started over and what its journal held. Jobs that never reached the provider are not restarted: they resume.',
    )
    .argument('<root>', 'folder holding asset folders')
    .option('--dry-run', 'check and fix every job and print the requests; upload and bill nothing')
    .option('--only <glob>', "run only the asset folders whose path under ROOT matches (repeatable; a glob without '/' matches a folder's name at any depth, and a folder above a job selects the jobs under it)", collect)
    .option('--exclude <glob>', 'leave out the asset folders that match, as --only matches (repeatable; applied after --only)', collect)
    .option('--restart [kinds]', `start these jobs over with a new task each, by where their journal stands (comma-separated; every other job resumes): ${RESTART_KINDS.map((k) => `${k}: ${RESTART_KIND_HELP[k]}`).join('; ')}; all: every one of these`)
    .option('--sandbox', 'start the local sandbox (S3 store + API simulator) in-process and run against it')
    .option(...SANDBOX_DIR_FLAG)
    .option('--junit <file>', 'also write a JUnit XML report (one test case per job); - writes it to standard output (the table then goes to stderr)')
    .option(...REPORT_FLAG)
    .option('--media-concurrency <n>', 'jobs doing media work at once (default: the number of cores)')
    .option('--api-concurrency <n>', 'tasks in flight at once, from create to the end of their wait (default 2: accounts allow few concurrent tasks)')
    .option('--allow-outside-paths', 'let requests name local media outside their job\'s folder')
    .option('--queue [url]', `enqueue the folders as jobs for workers (seedance-preflight worker) instead of running them here, then follow them; ${QUEUE_URL_HELP}`)
    .option(...QUEUE_NAME_FLAG)
    .option('--no-wait', 'with --queue: enqueue and exit 0 without following the jobs');
  addFixFlags(command)
    .option('--timeout <seconds>', 'stop waiting on each task after this long (run again to resume)');
  addApiFlags(command);
  addUploadFlags(command)
    .addHelpText('after', '\nExamples:\n  seedance-preflight batch jobs/ --sandbox\n  seedance-preflight batch jobs/ --bucket my-media --junit batch.xml\n  seedance-preflight batch jobs/ --dry-run --json\n  seedance-preflight batch jobs/ --only \'shoot-*\' --exclude \'*-draft\'\n  seedance-preflight batch jobs/ --restart failed   (a new task for each job whose task failed)\n  seedance-preflight batch jobs/ --queue redis://127.0.0.1:6379 --junit batch.xml\n  SEEDANCE_QUEUE_URL=redis://:PASSWORD@queue-host:6379/0 seedance-preflight batch /mnt/jobs --queue --no-wait')
    .action(async (root: string, options: BatchOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as BatchOptions;
      const merged = { ...options, json: globals.json, profile: globals.profile, apiBase: globals.apiBase, endpoint: globals.endpoint, forcePathStyle: globals.forcePathStyle };
      if (merged.queue === undefined && merged.queueName !== undefined) throw new UsageError('--queue-name needs --queue');
      if (merged.queue === undefined && !merged.wait) throw new UsageError('--no-wait needs --queue: a local batch always runs to the end');
      if (merged.restart !== undefined && merged.dryRun) throw new UsageError('--dry-run sends nothing: it takes no --restart');
      refuseTwoStdoutDocuments(merged);
      // the queue's modules (BullMQ, ioredis) load only for a queued batch
      if (merged.queue !== undefined) setExit(await (await import('./batch-queue.js')).runQueuedBatch(root, merged, io));
      else setExit(await runBatchCommand(root, merged, io));
    });
}

async function runBatchCommand(root: string, options: BatchOptions, io: CliIo): Promise<number> {
  const { fit, audioFormat, encodeTimeoutSeconds } = parseFixFlags(options, io.env);
  const restart = restartOption(options.restart);
  const profile = await loadProfileOption(options.profile);
  const rootPath = resolve(io.cwd, root);
  await guardBatchOutputs(rootPath, { cwd: io.cwd, report: options.report, junit: options.junit, profile: options.profile });
  const selection = await selectBatchFolders(root, rootPath, options, io);
  return withOptionalSandbox({ sandbox: Boolean(options.sandbox), sandboxDir: options.sandboxDir }, io, async (env) => {
    // every missing setting at once, before any work; a dry run needs none
    requireSettings('batch', options, env, { dryRun: options.dryRun, io });
    const upload = uploadSettingsFromFlags(options, env, { bucketOptional: options.dryRun });
    const client = options.dryRun ? DRY_RUN_CLIENT : apiClientFrom(env, options.apiBase, { flags: options });
    const { probeCache, fixCache } = await openCaches(env, true);
    let results: BatchJobResult[];
    // Ctrl-C or SIGTERM: every job stops at its next step boundary, its journal resumable; no job starts after it
    const interrupt = interruptOnSignals();
    // each media URL read once: by the jobs' checks, and again (from here) by the dry run's JSON
    const remoteReads: RemoteReads = new Map();
    const terminal = terminalOf(io);
    const show = shower(io.cwd);
    // a line per job at work and the overall line on a terminal; in a log, a line per stage, per job ended, and the overall line
    const progress = await terminal.view({ noun: 'job', total: selection.selected.length, log: true, overallLabel: 'batch' });
    try {
      results = await runBatch({
        root: rootPath,
        folders: selection.selected,
        restart,
        profile,
        upload,
        client,
        fit: fit,
        audioFormat: audioFormat,
        encodeTimeoutSeconds,
        dryRun: options.dryRun,
        probeCache,
        fixCache,
        mediaConcurrency: parseConcurrency(options.mediaConcurrency),
        apiConcurrency: parseConcurrency(options.apiConcurrency),
        waitTimeoutMs: parseSeconds('--timeout', options.timeout),
        allowOutsidePaths: options.allowOutsidePaths,
        remoteReads,
        env,
        signal: interrupt.signal,
        onStage: (job, stage, detail) => progress.update({ type: 'stage', key: show(job), stage, detail: stageDetail(stage, detail, io.cwd) }),
        onNote: (job, note) => terminal.info(`[${show(job)}] note: ${note}\n`),
        onJobDone: (result) => endedEvent(progress, show(result.job), result),
        // inside a job's stage: an encode's percent, an upload's bytes, the task's progress
        onProgress: (job, event) => {
          const shown = jobProgressEvent(show(job), event, show);
          if (shown) progress.update(shown);
        },
      });
    } finally {
      progress.stop();
      interrupt.dispose();
    }
    // a dry run's JSON names what each job's check found by rule id, as run --dry-run --json does
    const checked = options.json && options.dryRun ? await batchDryRunViolations(results, { profile, allowOutsidePaths: options.allowOutsidePaths, cache: probeCache, remoteReads, signal: interrupt.signal }) : [];
    await printBatchOutputs(results, options, io, { dryRun: Boolean(options.dryRun), extra: selectionJson(selection), violations: checked, selection });
    await writeReportOption(options.report, { batch: results, dryRun: Boolean(options.dryRun) }, io, { profile, cache: true, probeCache });
    if (results.some((r) => r.cancelled)) return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
    return batchExitCode(results);
  });
}

/** A job's end in the progress view: "done", "failed at fix", or how else it ended (busy, interrupted, not started). */
export function endedEvent(progress: ProgressView, key: string, result: BatchJobResult): void {
  const outcome = jobOutcome(result);
  const detail = outcome === 'failed' ? `failed at ${result.error?.stage ?? 'an unknown stage'}` : outcome;
  progress.update({ type: 'ended', key, outcome: outcome === 'done' || outcome === 'failed' ? outcome : 'other', detail });
}

/** Each job's violations as given, for a dry run's JSON; null for a job that did not run here (busy, interrupted). */
async function batchDryRunViolations(results: readonly BatchJobResult[], options: Parameters<typeof dryRunViolations>[1]) {
  const checked: (Awaited<ReturnType<typeof dryRunViolations>> | null)[] = [];
  for (const r of results) checked.push(r.busy || r.cancelled || r.notStarted ? null : await dryRunViolations({ folder: r.job }, options));
  return checked;
}

/**
 * The summary on standard output (the table, or --json), and --junit: to its file, or with `--junit -` to standard
 * output, the table then going to stderr so that standard output holds the XML alone.
 */
export async function printBatchOutputs(results: readonly BatchJobResult[], options: Pick<BatchOptions, 'json' | 'junit'>, io: CliIo, shown: { dryRun: boolean; extra: Record<string, unknown>; violations?: Parameters<typeof formatRunJson>[4]; selection: FolderSelection }): Promise<void> {
  const junitToStdout = options.junit === STDOUT;
  const summary = options.json ? formatRunJson(results, shown.dryRun, io.cwd, shown.extra, shown.violations) : formatBatchTable(results, io.cwd, { selection: shown.selection });
  (junitToStdout ? io.stderr : io.stdout)(summary);
  if (!options.junit) return;
  // loaded only when asked for: the JUnit builder costs ~65 ms of startup
  const { formatBatchJunit } = await import('../output/batch-junit.js');
  const xml = formatBatchJunit(results, io.cwd, io.env);
  if (junitToStdout) io.stdout(xml);
  else await writeAtomically(resolve(io.cwd, options.junit), xml);
}

/**
 * The asset folders under ROOT that --only / --exclude select; a missing ROOT, one without asset folders, and a filter
 * that selects nothing are usage errors. How many were selected goes to stderr at once (the run may take hours).
 */
export async function selectBatchFolders(given: string, rootPath: string, options: Pick<BatchOptions, 'only' | 'exclude'>, io: CliIo): Promise<FolderSelection> {
  // ROOT as every output names a path: relative to the folder the command ran in
  const root = displayPath(given, io.cwd);
  let folders: string[];
  try {
    folders = await findAssetFolders(rootPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${root} does not exist`);
    throw error;
  }
  if (folders.length === 0) throw new UsageError(`no asset folders under ${root}: a job is a folder with a request.json, or with media files`);
  const outcome = selectFolders(rootPath, folders, { only: options.only ?? [], exclude: options.exclude ?? [] }, root);
  if (!outcome.ok) throw new UsageError(outcome.message);
  const summary = selectionSummary(outcome);
  if (summary) terminalOf(io).info(`batch: ${summary}\n`);
  return outcome;
}

/** --json's account of the selection, when --only / --exclude made one. */
export function selectionJson(selection: FolderSelection): Record<string, unknown> {
  return selection.filtered ? { folders: { selected: selection.selected.length, found: selection.total } } : {};
}

function restartOption(value: string | true | undefined): ReadonlySet<RestartKind> | undefined {
  if (value === undefined) return undefined;
  const parsed = parseRestartKinds(value === true ? '' : value);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.kinds;
}

/** 0 when every job is done; 1 when any failed (or was stopped by something other than the signal: a lost lock); else 75 when some were busy (run again once their other process ends). */
export function batchExitCode(results: readonly BatchJobResult[]): number {
  if (results.some((r) => !r.ok && !r.busy)) return EXIT.failed;
  return results.some((r) => r.busy) ? EXIT.busy : EXIT.ok;
}
