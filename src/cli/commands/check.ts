import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveFrom } from '../resolve-from.js';
import { displayPath } from '../../shared/display-path.js';
import { ProbeCache, defaultCacheDir } from '../../probe/probe-cache.js';
import { writeAtomically } from '../../shared/write-atomically.js';
import { checkTargets } from '../../pipeline/check-targets.js';
import { classifyRef, RequestFileError } from '../../pipeline/request-file.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatCheckJson } from '../output/check-json.js';
import { formatCheckText } from '../output/check-text.js';
import { terminalOf } from '../terminal/terminal.js';
import { loadProfileOption, parseConcurrency } from '../parse-options.js';
import { REPORT_FLAG, reportOutputs, writeReportOption } from '../report-option.js';
import { guardCommandOutputs, junitOutputs, refuseTwoStdoutDocuments, STDOUT } from '../output-guard-option.js';
import { runInputs } from '../../pipeline/run-inputs.js';
import { judgeReport, type FailOn } from '../../check/fail-on.js';
import { addFailOnFlags, failOnOption, strictFlagOf } from '../fail-on-option.js';

interface CheckOptions {
  request?: string;
  json?: boolean;
  junit?: string;
  profile?: string;
  prompt?: string;
  remote?: boolean;
  concurrency?: string;
  cache: boolean;
  report?: string;
  allowOutsidePaths?: boolean;
  strict?: boolean;
  failOn?: FailOn;
}

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .summary('probe media and check them against every documented limit')
    .description(
      'Probes each file (ffprobe, sharp) and checks it, and the request, against every rule of the Seedance 2.0 documents.\n' +
        'PATH may be media files (checked one by one) or asset folders (checked as one request each: counts, totals, prompt).\n' +
        'Exit 0 when everything conforms (warnings allowed; with --strict they fail too), 1 when something does not, 2 for usage errors.',
    )
    .argument('[paths...]', 'media files or asset folders')
    .option('--request <file>', 'a request file (JSON with the API field names; local paths relative to it, or URLs)')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per file and rule); - writes it to standard output (the text report then goes to stderr)')
    .option(...REPORT_FLAG)
    .option('--prompt <text>', 'prompt for asset folders that have no request.json or prompt.txt')
    .option('--remote', 'read each media URL of the request (ranged requests: at most 4 MiB per URL, 15 s to answer and 15 s to read): reachable, served as its kind, and held to the same file rules as a local file')
    .option('--concurrency <n>', 'files probed at once (default: the number of cores)')
    .option('--no-cache', 'probe every file again instead of reusing results for unchanged files')
    .option('--allow-outside-paths', "let a request or asset folder name files outside its own folder (otherwise: file.outside_job, never opened)");
  addFailOnFlags(command, 'the check')
    .addHelpText('after', '\nExamples:\n  seedance-preflight check assets/\n  seedance-preflight check --request job/request.json --json --strict\n  seedance-preflight check clip.mov hero.png --junit report.xml')
    .action(async (paths: string[], options: CheckOptions, command: Command) => {
      const globals = command.optsWithGlobals() as CheckOptions;
      setExit(await runCheck(paths, { ...options, json: globals.json, profile: globals.profile }, io));
    });
}

async function runCheck(paths: string[], options: CheckOptions, io: CliIo): Promise<number> {
  if (paths.length === 0 && !options.request) throw new UsageError('check needs PATH… or --request FILE (see seedance-preflight check --help)');
  refuseTwoStdoutDocuments(options);
  const failOn = failOnOption(options);
  const profile = await loadProfileOption(options.profile);
  const cache = options.cache ? await ProbeCache.open(defaultCacheDir(io.env)) : undefined;
  // files probed so far, on a terminal's live area; in a log nothing (the report names every file)
  const progress = await terminalOf(io).view({ noun: 'file', log: false });
  let known = 0;
  let outcome;
  try {
    outcome = await checkTargets({
      paths: paths.map((p) => resolveFrom(io.cwd, p)),
      requestFile: options.request ? resolveFrom(io.cwd, options.request) : undefined,
      profile,
      prompt: options.prompt,
      cache,
      concurrency: parseConcurrency(options.concurrency),
      remote: options.remote,
      allowOutsidePaths: options.allowOutsidePaths,
      onProbed: (_done, total, path) => {
        if (total > known) progress.update({ type: 'total', count: total - known });
        known = Math.max(known, total);
        progress.update({ type: 'ended', key: path, outcome: 'done', detail: 'probed' });
      },
    });
  } catch (error) {
    if (error instanceof RequestFileError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
  }
  const { missingPaths, ignored } = outcome;
  const report = judgeReport(outcome.report, failOn);
  const strictFlag = strictFlagOf(options, failOn);
  // before anything is written: no output lands on a file this check read
  const outputs = [...junitOutputs(options.junit, io.cwd), ...reportOutputs(options.report, io.cwd)];
  if (outputs.length) await guardCommandOutputs(outputs, await runInputs(outcome.inputs, { requestFile: options.request ? resolveFrom(io.cwd, options.request) : undefined, profileFile: options.profile }));
  const unreadUrls = options.remote ? 0 : outcome.inputs.reduce((n, input) => n + input.media.filter((m) => m.path === null && m.field !== null && classifyRef(m.ref) === 'url').length, 0);
  const junitToStdout = options.junit === STDOUT;
  // with --junit -, standard output holds the XML alone: the human report goes to stderr
  (junitToStdout ? io.stderr : io.stdout)(options.json ? formatCheckJson(report, io.cwd) : formatCheckText(report, io.cwd, ignored, { strictFlag, unreadUrls }));
  if (options.junit) {
    // loaded only when asked for: the JUnit builder costs ~65 ms of startup
    const { formatCheckJunit } = await import('../output/check-junit.js');
    const xml = formatCheckJunit(report, io.cwd, undefined, io.env, failOn);
    if (junitToStdout) io.stdout(xml);
    else await writeAtomically(resolve(io.cwd, options.junit), xml);
  }
  // the report's verdict is the exit code's: judged at --fail-on too
  await writeReportOption(options.report, { check: { ...outcome, report } }, io, { profile, cache: options.cache, probeCache: cache });
  for (const path of missingPaths) io.stderr(`seedance-preflight: ${displayPath(path, io.cwd)} does not exist\n`);
  if (missingPaths.length) return EXIT.usage;
  return report.ok ? EXIT.ok : EXIT.failed;
}

