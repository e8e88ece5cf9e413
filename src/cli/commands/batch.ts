import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runBatch } from '../../pipeline/run-batch.js';
import type { BatchJobResult } from '../../pipeline/job-outcome.js';
import { writeAtomically } from '../../shared/write-atomically.js';
import { DRY_RUN_CLIENT, apiClientFrom } from '../api-client.js';
import { openCaches } from '../caches.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatBatchTable } from '../output/batch-table.js';
import { formatRunJson } from '../output/run-text.js';
import { addFixFlags, loadProfileOption, parseConcurrency, parseFixFlags } from '../parse-options.js';
import { withOptionalSandbox } from '../sandbox-session.js';
import { requireSettings } from '../settings-check.js';
import { interruptedExitCode, interruptOnSignals } from '../signals.js';
import { addUploadFlags, uploadSettingsFromFlags, type UploadFlags } from '../upload-flags.js';
import { parseSeconds } from '../parse-seconds.js';
import { REPORT_FLAG, writeReportOption } from '../report-option.js';
import { QUEUE_NAME_FLAG, QUEUE_URL_HELP } from '../queue-flags.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';
import { guardBatchOutputs } from '../run-output-guard.js';

export interface BatchOptions extends UploadFlags, ApiFlags {
  dryRun?: boolean;
  sandbox?: boolean;
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
}

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
        '(Ctrl-C stops following, exit 130; the jobs go on). --media-concurrency and --api-concurrency are then the workers\' flags.',
    )
    .argument('<root>', 'folder holding asset folders')
    .option('--dry-run', 'check and fix every job and print the requests; upload and bill nothing')
    .option('--sandbox', 'start the local sandbox (S3 store + API simulator) in-process and run against it')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per job)')
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
    .addHelpText('after', '\nExamples:\n  seedance-preflight batch jobs/ --sandbox\n  seedance-preflight batch jobs/ --bucket my-media --junit batch.xml\n  seedance-preflight batch jobs/ --dry-run --json\n  seedance-preflight batch jobs/ --queue redis://127.0.0.1:6379 --junit batch.xml\n  SEEDANCE_QUEUE_URL=redis://:PASSWORD@queue-host:6379/0 seedance-preflight batch /mnt/jobs --queue --no-wait')
    .action(async (root: string, options: BatchOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as BatchOptions;
      const merged = { ...options, json: globals.json, profile: globals.profile, apiBase: globals.apiBase, endpoint: globals.endpoint, forcePathStyle: globals.forcePathStyle };
      if (merged.queue === undefined && merged.queueName !== undefined) throw new UsageError('--queue-name needs --queue');
      if (merged.queue === undefined && !merged.wait) throw new UsageError('--no-wait needs --queue: a local batch always runs to the end');
      // the queue's modules (BullMQ, ioredis) load only for a queued batch
      if (merged.queue !== undefined) setExit(await (await import('./batch-queue.js')).runQueuedBatch(root, merged, io));
      else setExit(await runBatchCommand(root, merged, io));
    });
}

async function runBatchCommand(root: string, options: BatchOptions, io: CliIo): Promise<number> {
  const { fit, audioFormat, encodeTimeoutSeconds } = parseFixFlags(options, io.env);
  const profile = await loadProfileOption(options.profile);
  const rootPath = resolve(io.cwd, root);
  await guardBatchOutputs(rootPath, { cwd: io.cwd, report: options.report, junit: options.junit, profile: options.profile });
  return withOptionalSandbox(Boolean(options.sandbox), io, async (env) => {
    // every missing setting at once, before any work; a dry run needs none
    requireSettings('batch', options, env, { dryRun: options.dryRun, io });
    const upload = uploadSettingsFromFlags(options, env, { bucketOptional: options.dryRun });
    const client = options.dryRun ? DRY_RUN_CLIENT : apiClientFrom(env, options.apiBase, { flags: options });
    const { probeCache, fixCache } = await openCaches(env, true);
    let results: BatchJobResult[];
    // Ctrl-C or SIGTERM: every job stops at its next step boundary, its journal resumable; no job starts after it
    const interrupt = interruptOnSignals();
    try {
      results = await runBatch({
        root: rootPath,
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
        env,
        signal: interrupt.signal,
        onStage: (job, stage, detail) => io.stderr(`[${job}] ${stage}: ${detail}\n`),
        onNote: (job, note) => io.stderr(`[${job}] note: ${note}\n`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${root} does not exist`);
      throw error;
    } finally {
      interrupt.dispose();
    }
    if (results.length === 0) throw new UsageError(`no asset folders under ${root}: a job is a folder with a request.json, or with media files`);
    io.stdout(options.json ? formatRunJson(results, Boolean(options.dryRun)) : formatBatchTable(results, rootPath));
    if (options.junit) {
      const { formatBatchJunit } = await import('../output/batch-junit.js');
      await writeAtomically(resolve(io.cwd, options.junit), formatBatchJunit(results));
    }
    await writeReportOption(options.report, { batch: results, dryRun: Boolean(options.dryRun) }, io, { profile, cache: true, probeCache });
    if (results.some((r) => r.cancelled)) return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
    return batchExitCode(results);
  });
}

/** 0 when every job is done; 1 when any failed (or was stopped by something other than the signal: a lost lock); else 75 when some were busy (run again once their other process ends). */
export function batchExitCode(results: readonly BatchJobResult[]): number {
  if (results.some((r) => !r.ok && !r.busy)) return EXIT.failed;
  return results.some((r) => r.busy) ? EXIT.busy : EXIT.ok;
}
