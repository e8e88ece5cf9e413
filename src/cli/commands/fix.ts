import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveFrom } from '../resolve-from.js';
import { displayPath } from '../../shared/display-path.js';
import { shower } from '../output/display.js';
import { FixInterruptedError, fixTargets, type FixOutcome } from '../../pipeline/fix-targets.js';
import { isCancelled } from '../../shared/cancel.js';
import { RequestFileError } from '../../pipeline/request-file.js';
import { openCaches } from '../caches.js';
import { REPORT_FLAG, reportOutputs, writeReportOption } from '../report-option.js';
import { asUsageError } from '../output-guard-option.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatFixJson } from '../output/fix-json.js';
import { formatFixText, formatSharedCuts } from '../output/fix-text.js';
import { addFixFlags, loadProfileOption, parseConcurrency, parseFixFlags } from '../parse-options.js';
import { NO_VIEW, terminalOf } from '../terminal/terminal.js';
import { interruptedExitCode, interruptOnSignals } from '../signals.js';
import type { FailOn } from '../../check/fail-on.js';
import { fixPasses } from '../../pipeline/fix-verdict.js';
import { addFailOnFlags, failOnOption, strictFlagOf } from '../fail-on-option.js';

interface FixOptions {
  out?: string;
  request?: string;
  fit: string;
  audioFormat: string;
  encodeTimeout?: string;
  dryRun?: boolean;
  prompt?: string;
  concurrency?: string;
  cache: boolean;
  json?: boolean;
  profile?: string;
  report?: string;
  allowOutsidePaths?: boolean;
  strict?: boolean;
  failOn?: FailOn;
}

export function registerFix(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('fix')
    .summary('write conforming copies of media that break a rule (originals untouched)')
    .description(
      'Checks each file, plans the least work that makes it conform (copy, remux, or one re-encode), runs it into DIR,\n' +
        'then probes and checks every output again: an output that still breaks a rule is a failure.\n' +
        'With --request (or an asset folder) it also writes DIR/request.json pointing at the outputs, order kept.\n' +
        'Re-encodes produce H.264 + AAC in MP4 (+faststart); images become JPEG, or PNG when they have transparency.\n' +
        'Ctrl-C or SIGTERM stops the encodes running (their temporaries removed) and starts no other file; the files done\n' +
        'are kept and the summary counts the files not fixed: run again (the finished ones come from the fix cache).\n' +
        'Exit 0 when every output conforms, 1 when a file cannot be fixed (or, with --strict, a warning remains), 2 for usage\n' +
        'errors, 130 / 143 when stopped by\n' +
        'Ctrl-C / SIGTERM.',
    )
    .argument('[paths...]', 'media files or asset folders')
    .option('--out <dir>', 'folder for the conforming copies (required)')
    .option('--request <file>', 'a request file: its local media are fixed and DIR/request.json is written')
    .option(...REPORT_FLAG);
  addFixFlags(command, 'aspect ratio out of range: pad (bars, keeps everything) or crop (cuts the edges)')
    .option('--dry-run', 'print the plan (per file: what changes, why, remux or re-encode) and write nothing')
    .option('--prompt <text>', 'prompt for asset folders that have no request.json or prompt.txt')
    .option('--concurrency <n>', 'files worked on at once (default: the number of cores)')
    .option('--no-cache', 'encode again instead of reusing earlier outputs of the same bytes and plan')
    .option('--allow-outside-paths', "let a request or asset folder name files outside its own folder (otherwise: file.outside_job, never opened)");
  addFailOnFlags(command, 'the fix')
    .addHelpText('after', '\nExamples:\n  seedance-preflight fix clip.webm banner.png --out fixed/\n  seedance-preflight fix --request job/request.json --out job-fixed/ --fit crop\n  seedance-preflight fix assets/ --out fixed/ --dry-run')
    .action(async (paths: string[], options: FixOptions, command: Command) => {
      const globals = command.optsWithGlobals() as FixOptions;
      setExit(await runFix(paths, { ...options, json: globals.json, profile: globals.profile }, io));
    });
}

async function runFix(paths: string[], options: FixOptions, io: CliIo): Promise<number> {
  if (paths.length === 0 && !options.request) throw new UsageError('fix needs PATH… or --request FILE (see seedance-preflight fix --help)');
  if (!options.out) throw new UsageError('fix needs --out DIR: the originals are never overwritten');
  const { fit, audioFormat, encodeTimeoutSeconds } = parseFixFlags(options, io.env);
  const failOn = failOnOption(options);
  const profile = await loadProfileOption(options.profile);
  const { probeCache, fixCache } = await openCaches(io.env, options.cache);
  const terminal = terminalOf(io);
  const show = shower(io.cwd);
  // a live area of the encodes on a terminal; in a log nothing (the summary names every file); a dry run encodes nothing
  const progress = options.dryRun ? NO_VIEW : await terminal.view({ noun: 'file', log: false });
  // Ctrl-C or SIGTERM stops the encodes, and each removes its temporary file before the process exits; no file starts after it
  const interrupt = interruptOnSignals();
  let outcome: FixOutcome;
  try {
    outcome = await fixTargets({
      signal: interrupt.signal,
      paths: paths.map((p) => resolveFrom(io.cwd, p)),
      requestFile: options.request ? resolveFrom(io.cwd, options.request) : undefined,
      outDir: resolve(io.cwd, options.out),
      outShown: options.out,
      profileFile: options.profile,
      otherOutputs: reportOutputs(options.report, io.cwd),
      profile,
      prompt: options.prompt,
      cache: probeCache,
      fixCache,
      concurrency: parseConcurrency(options.concurrency),
      fit: fit,
      audioFormat: audioFormat,
      encodeTimeoutSeconds,
      dryRun: options.dryRun,
      allowOutsidePaths: options.allowOutsidePaths,
      onPlanned: (label, plans, remaining) => {
        const cuts = formatSharedCuts(label, plans, show, remaining);
        if (cuts) terminal.info(cuts);
        // each file that will be written counts; an unfixable one (or any, in a dry run) never starts
        progress.update({ type: 'total', count: plans.filter((p) => p.type !== 'unfixable').length });
      },
      onFileProgress: (path, fraction) => {
        const shown = show(path);
        progress.update({ type: 'encode', key: shown, file: shown, fraction });
      },
    });
  } catch (error) {
    // stopped while fixing: what was done is reported, and the exit code says the signal
    if (error instanceof FixInterruptedError) outcome = error.outcome;
    else if (isCancelled(error)) {
      io.stderr(`seedance-preflight: interrupted (${String(interrupt.signal.reason ?? 'cancelled')}) while checking the files: nothing was fixed or written; run again\n`);
      return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
    } else if (error instanceof RequestFileError) throw new UsageError(error.message);
    else {
      // an output on an input, or on a file in --out that fix did not write: nothing was written
      throw asUsageError(error);
    }
  } finally {
    interrupt.dispose();
    progress.stop();
  }
  io.stdout(options.json ? formatFixJson(outcome, io.cwd, failOn) : formatFixText(outcome, io.cwd, { fixCache: options.cache, failOn, strictFlag: strictFlagOf(options, failOn) }));
  await writeReportOption(options.report, { fix: outcome }, io, { profile, cache: options.cache, probeCache });
  for (const path of outcome.missingPaths) io.stderr(`seedance-preflight: ${displayPath(path, io.cwd)} does not exist\n`);
  if (outcome.jobs.some((j) => j.files.some((f) => f.interrupted))) return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
  if (outcome.missingPaths.length) return EXIT.usage;
  return fixPasses(outcome, failOn) ? EXIT.ok : EXIT.failed;
}
