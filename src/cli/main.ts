import { Command, CommanderError } from 'commander';
import { isCancelled } from '../shared/cancel.js';
import { BinaryNotFoundError } from '../probe/binaries.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { VERSION } from '../version.js';
import { DEFAULT_BASE_URL } from '../submit/base-url.js';
import { applySettings } from './settings/apply-settings.js';
import { addSwitchNegations } from './settings/switch-negations.js';
import { Terminal, terminalSettings } from './terminal/terminal.js';

type Register = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

/** Each command's module, loaded only when that command runs: `check` never pays for the AWS SDK or the schema validator. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: () => import('./commands/check.js').then((m) => m.registerCheck),
  fix: () => import('./commands/fix.js').then((m) => m.registerFix),
  upload: () => import('./commands/upload.js').then((m) => m.registerUpload),
  submit: () => import('./commands/submit.js').then((m) => m.registerSubmit),
  run: () => import('./commands/run.js').then((m) => m.registerRun),
  batch: () => import('./commands/batch.js').then((m) => m.registerBatch),
  worker: () => import('./commands/worker.js').then((m) => m.registerWorker),
  queue: () => import('./commands/queue.js').then((m) => m.registerQueue),
  status: () => import('./commands/status.js').then((m) => m.registerStatus),
  wait: () => import('./commands/wait.js').then((m) => m.registerWait),
  sandbox: () => import('./commands/sandbox.js').then((m) => m.registerSandbox),
  doctor: () => import('./commands/doctor.js').then((m) => m.registerDoctor),
};
/** Global options that take a value: their value is not the command's name. */
const GLOBAL_VALUE_OPTIONS = new Set(['--profile', '--api-base', '--endpoint', '--config']);

/** The command named on the command line, or null (help, version, a typo: then every command is registered). */
function commandNameOf(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) ? arg : null;
  }
  return null;
}

/**
 * Help for every command: the global options listed under each subcommand's own, and descriptions wrapped by
 * sentence (a line break in the source that does not end a sentence is a space), never broken mid-sentence.
 */
const HELP = {
  showGlobalOptions: true,
  commandDescription: (command: Command) => command.description().replace(/([^.\n])\n/g, '$1 '),
};

/** A command and its subcommands, all the way down (queue status, queue retry…). */
function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

/**
 * The command line's parser with the commands `names` registered (all of them by default), its output and help set
 * up as every run has them. runCli builds it for one run; the help test reads every option from it.
 */
export async function buildProgram(io: CliIo, setExit: (code: number) => void, names: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program: Command = new Command('seedance-preflight')
    .description('Gets local images, videos and audio accepted by the Seedance 2.0 video-generation API on the first try.')
    .version(VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option('--profile <name|file>', 'limit profile: a built-in name (seed, strict-927k) or a JSON file of overrides')
    .option('--api-base <url>', `API base URL (default $EVOLINK_BASE_URL or ${DEFAULT_BASE_URL})`)
    .option('--endpoint <url>', 'S3-compatible endpoint URL (R2, MinIO, s3rver)')
    .option('--force-path-style', 'path-style S3 URLs, for S3-compatible stores')
    .option('--config <file>', 'settings file (default $SEEDANCE_CONFIG, else seedance-preflight.config.json/.yaml found upward from the working folder, up to a .git folder or your home folder)')
    .option('-q, --quiet', 'print errors and the summary only: no progress, no stage lines, no notes')
    .option('-v, --verbose', 'also print each ffmpeg/ffprobe command and HTTP request (secrets masked)')
    .option('--no-progress', 'no live progress area on a terminal: plain lines, as in a log')
    .option('--no-color', 'no colour (also NO_COLOR=1; FORCE_COLOR=1 forces it, even into a pipe)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const name of names) (await COMMANDS[name]!())(program, io, setExit);
  for (const command of allCommands(program)) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).configureHelp(HELP);
  // a switch a variable or the config file turned on can be turned off for one run (--no-strict)
  addSwitchNegations(program);
  program.configureHelp(HELP);
  // flag > environment variable > config file > default, settled before any command acts
  program.hook('preAction', (root, action) => applySettings(root, action, io));
  // after the settings: -q, -v, --no-progress and --no-color may come from the environment or the config file
  program.hook('preAction', (root) => io.terminal?.configure(terminalSettings(root.opts())));
  return program;
}

/** Runs the command line against an injectable I/O; resolves to the exit code. */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const named = commandNameOf(argv);
  const versionOnly = !named && (argv.includes('--version') || argv.includes('-V'));
  // stderr goes through the terminal: a warning prints above the live area instead of tearing it
  const terminal = new Terminal(given);
  const io: CliIo = { ...given, stderr: terminal.stderr, terminal };
  const program = await buildProgram(io, setExit, named ? [named] : versionOnly ? [] : Object.keys(COMMANDS));

  try {
    try {
      await program.parseAsync([...argv], { from: 'user' });
    } finally {
      terminal.close();
    }
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with code 0; every parse error is a usage error
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof BinaryNotFoundError) {
      io.stderr(`seedance-preflight: ${error.message}\n`);
      return EXIT.usage;
    }
    if (isCancelled(error)) {
      io.stderr('seedance-preflight: cancelled\n');
      return EXIT.failed;
    }
    // a file operation the environment refused (a full disk, a file where a folder belongs) is named, never stacked
    // loaded only on this path: start-up never pays for the error renderers (they reach into submit/ and upload/)
    const [{ fileSystemError }, { failureText }, { debugOn }] = await Promise.all([import('../shared/file-system-error.js'), import('./failure-text.js'), import('./unexpected-end.js')]);
    const failure = failureText((await fileSystemError(error)) ?? error, debugOn(io.env));
    io.stderr(failure.text);
    return failure.exitCode;
  }
}
