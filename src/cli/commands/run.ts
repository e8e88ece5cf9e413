import type { RemoteReads } from '../../pipeline/check-targets.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { displayPath } from '../../shared/display-path.js';
import { stageDetail } from '../output/stage-detail.js';
import { runJob, type RunJobResult } from '../../pipeline/run-job.js';
import { dryRunViolations } from '../../pipeline/dry-run.js';
import { DRY_RUN_CLIENT, apiClientFrom } from '../api-client.js';
import { openCaches } from '../caches.js';
import { addFixFlags, loadProfileOption, parseFixFlags } from '../parse-options.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { parseSeconds } from '../parse-seconds.js';
import { formatRunJson, formatRunText } from '../output/run-text.js';
import { addUploadFlags, uploadSettingsFromFlags, type UploadFlags } from '../upload-flags.js';
import { SANDBOX_DIR_FLAG, withOptionalSandbox } from '../sandbox-session.js';
import { requireSettings } from '../settings-check.js';
import { REPORT_FLAG, writeReportOption } from '../report-option.js';
import { interruptedExitCode, interruptOnSignals } from '../signals.js';
import { RequestFileError } from '../../pipeline/request-file.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';
import { guardRunOutputs } from '../run-output-guard.js';
import { terminalOf } from '../terminal/terminal.js';
import { jobProgressEvent, taskEvent } from '../terminal/job-events.js';
import { shower } from '../output/display.js';

interface RunOptions extends UploadFlags, ApiFlags {
  request?: string;
  dryRun?: boolean;
  sandbox?: boolean;
  sandboxDir?: string;
  work?: string;
  /** The result's folder: --out, or --output (its earlier name, kept as an alias). */
  out?: string;
  output?: string;
  fit: string;
  audioFormat: string;
  prompt?: string;
  timeout?: string;
  adoptTask?: string;
  restart?: boolean;
  allowOutsidePaths?: boolean;
  json?: boolean;
  profile?: string;
  apiBase?: string;
  report?: string;
}

export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('run')
    .summary('every stage end to end: check, fix, upload, submit, wait, download')
    .description(
      'Runs one job (an asset folder, or --request FILE) through every stage, resuming from its journal:\n' +
        '  check → fix (into the job\'s working folder, never over the originals) → upload → verify URLs → submit → wait → download.\n' +
        'The journal (<job>/.seedance-preflight/journal.json) is written after every step and tied to a fingerprint of what the\n' +
        'provider receives (request fields, each media file\'s content, the profile, the fix options). A re-run of the same job\n' +
        'fixes and uploads nothing twice, never creates a second task, and resumes waiting on the recorded one. When the request\n' +
        'changed since its task, that task\'s result is still fetched (it is paid for), then one new task is created.\n' +
        'Local media must sit inside the job\'s folder (symlinks resolved) unless --allow-outside-paths.\n' +
        'One process per job: the run holds the job\'s lock (<work folder>/job.lock, kept alive by a heartbeat) throughout; a\n' +
        'second run, batch or worker on the same job says who holds it and touches nothing. A holder that died is taken over\n' +
        'once its heartbeat is SEEDANCE_LOCK_STALE_SECONDS old (default 30).\n' +
        'The result is saved as <job>/output/<task-id>.mp4. Exit 0 when the video is downloaded, 1 when a stage failed,\n' +
        '2 for usage errors, 75 when another process runs this job, 130 / 143 when stopped by Ctrl-C / SIGTERM (run again to resume).',
    )
    .argument('[path]', 'an asset folder (a request.json, or media + prompt.txt)')
    .option('--request <file>', 'a request file instead of a folder (local paths relative to it, or URLs)')
    .option('--dry-run', 'check and fix, then print the exact request that would be sent and what drives its cost; upload and bill nothing')
    .option('--sandbox', 'start the local sandbox (S3 store + API simulator) in-process and run against it')
    .option(...SANDBOX_DIR_FLAG)
    .option('--work <dir>', 'working folder for the journal and fixed copies, shareable: each job gets DIR/<name>-<hash>/ (default <job>/.seedance-preflight)')
    .option('--out <dir>', 'where the result video goes (default <job>/output), as fix --out names its folder; --output is the same flag (its earlier name)')
    .addOption(new Option('--output <dir>').hideHelp())
    .option('--adopt-task <id>', 'a create whose answer never arrived made this task: check it is the job\'s model, wait for it and download it')
    .option('--restart', 'create a new task even though the journal holds one (or a create whose answer never arrived: a paid task may exist)')
    .option('--allow-outside-paths', 'let the request name local media outside the job\'s folder')
    .option(...REPORT_FLAG);
  addFixFlags(command)
    .option('--prompt <text>', 'prompt for an asset folder without request.json or prompt.txt')
    .option('--timeout <seconds>', 'stop waiting after this long (the task goes on; run again to resume)');
  addApiFlags(command);
  addUploadFlags(command)
    .addHelpText('after', '\nExamples:\n  seedance-preflight run fixtures/demo --sandbox\n  seedance-preflight run assets/job-1 --bucket my-bucket\n  seedance-preflight run --request job/request.json --dry-run --json\n  seedance-preflight run assets/job-1 --adopt-task task-unified-…   (after "its answer never arrived")')
    .action(async (path: string | undefined, options: RunOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as RunOptions;
      setExit(await runCommand(path, { ...options, json: globals.json, profile: globals.profile, apiBase: globals.apiBase, endpoint: globals.endpoint, forcePathStyle: globals.forcePathStyle }, io));
    });
}

async function runCommand(path: string | undefined, given: RunOptions, io: CliIo): Promise<number> {
  if (given.out !== undefined && given.output !== undefined && given.out !== given.output) throw new UsageError('--out and --output are one flag (--output is its earlier name): give it once');
  const outputFlag = given.out !== undefined ? '--out' : '--output';
  const options = { ...given, output: given.out ?? given.output };
  if (!path && !options.request) throw new UsageError('run needs an asset folder PATH or --request FILE (see seedance-preflight run --help)');
  if (path && options.request) throw new UsageError('run takes an asset folder or --request FILE, not both');
  const { fit, audioFormat, encodeTimeoutSeconds } = parseFixFlags(options, io.env);
  const timeoutMs = parseSeconds('--timeout', options.timeout);
  if (options.adoptTask !== undefined && options.restart) throw new UsageError('--adopt-task and --restart exclude each other: adopt the task the lost create made, or restart without it');
  if (options.dryRun && (options.adoptTask !== undefined || options.restart)) throw new UsageError('--dry-run sends nothing: it takes neither --adopt-task nor --restart');
  if (options.request && !existsSync(resolve(io.cwd, options.request))) throw new UsageError(`request file ${displayPath(options.request, io.cwd)} does not exist`);
  const profile = await loadProfileOption(options.profile);
  const job: { folder: string } | { requestFile: string } = path ? { folder: resolve(io.cwd, path) } : { requestFile: resolve(io.cwd, options.request!) };
  // before anything is written: --work, --output and --report never land on an input of the job
  await guardRunOutputs({ cwd: io.cwd, work: options.work, output: options.output, outputFlag, report: options.report, profile: options.profile, jobs: [job] });
  return withOptionalSandbox({ sandbox: options.sandbox, sandboxDir: options.sandboxDir }, io, async (env) => {
    // every missing setting at once, before any work; a dry run needs none
    requireSettings('run', options, env, { dryRun: options.dryRun, io });
    const upload = uploadSettingsFromFlags(options, env, { bucketOptional: options.dryRun });
    const client = options.dryRun ? DRY_RUN_CLIENT : apiClientFrom(env, options.apiBase, { flags: options });
    const { probeCache, fixCache } = await openCaches(env, true);
    // the job as every output names it: relative to the folder the command ran in
    const label = displayPath(path ?? options.request!, io.cwd);
    // Ctrl-C or SIGTERM: the job stops at the next step boundary, encodes and waits end at once, the journal stays resumable
    const interrupt = interruptOnSignals();
    let result: RunJobResult;
    // each media URL read once: by the run's check, and again (from here) by the dry run's JSON
    const remoteReads: RemoteReads = new Map();
    const terminal = terminalOf(io);
    // the job's line in the live area on a terminal (stage, encode percent, upload bytes, task); in a log, a line per stage and task change
    const progress = await terminal.view({ noun: 'job', total: 1, log: true });
    const show = shower(io.cwd);
    try {
      result = await runJob({
        job,
        profile,
        upload,
        client,
        workDir: options.work ? resolve(io.cwd, options.work) : undefined,
        outputDir: options.output ? resolve(io.cwd, options.output) : undefined,
        prompt: options.prompt,
        fit: fit,
        audioFormat: audioFormat,
        encodeTimeoutSeconds,
        dryRun: options.dryRun,
        probeCache,
        fixCache,
        waitTimeoutMs: timeoutMs,
        adoptTask: options.adoptTask,
        restart: options.restart,
        allowOutsidePaths: options.allowOutsidePaths,
        remoteReads,
        env,
        signal: interrupt.signal,
        onStage: (stage, detail) => progress.update({ type: 'stage', key: label, stage, detail: stageDetail(stage, detail, io.cwd) }),
        onNote: (note) => terminal.info(`[${label}] note: ${note}\n`),
        onTask: (task) => progress.update(taskEvent(label, task)),
        // inside a stage: an encode's percent, an upload's bytes
        onProgress: (event) => {
          const shown = jobProgressEvent(label, event, show);
          if (shown) progress.update(shown);
        },
      });
    } catch (error) {
      if (error instanceof RequestFileError) throw new UsageError(error.message);
      throw error;
    } finally {
      progress.stop();
      interrupt.dispose();
    }
    // the job by its full path: every output shows it relative to the command's folder (displayPath)
    result.job = 'folder' in job ? job.folder : job.requestFile;
    // a dry run's JSON names what its check found by rule id, as check --remote --json does
    const checked = options.json && options.dryRun && !result.busy && !result.cancelled ? await dryRunViolations(job, { profile, prompt: options.prompt, allowOutsidePaths: options.allowOutsidePaths, cache: probeCache, remoteReads, signal: interrupt.signal }) : null;
    io.stdout(options.json ? formatRunJson([result], Boolean(options.dryRun), io.cwd, {}, [checked]) : formatRunText([result], io.cwd, Boolean(options.dryRun)));
    await writeReportOption(options.report, { run: [result], dryRun: Boolean(options.dryRun) }, io, { profile, cache: true, probeCache });
    if (result.busy) return EXIT.busy;
    if (result.cancelled) return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
    // a settings problem found only at upload is the upload command's exit 2 here too
    return result.ok ? EXIT.ok : result.error?.environment ? EXIT.usage : EXIT.failed;
  });
}
