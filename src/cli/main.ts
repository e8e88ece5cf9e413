import { Command, CommanderError } from 'commander';
import { ProcessError } from '../probe/spawn.js';
import { BinaryNotFoundError } from '../probe/binaries.js';
import { registerCheck } from './commands/check.js';
import { registerDoctor } from './commands/doctor.js';
import { registerFix } from './commands/fix.js';
import { registerRun } from './commands/run.js';
import { registerBatch } from './commands/batch.js';
import { registerUpload } from './commands/upload.js';
import { registerSubmit } from './commands/submit.js';
import { registerStatus } from './commands/status.js';
import { registerWait } from './commands/wait.js';
import { registerSandbox } from './commands/sandbox.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { VERSION } from '../version.js';

/** Runs the command line against an injectable I/O; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('seedance-preflight')
    .description('Gets local images, videos and audio accepted by the Seedance 2.0 video-generation API on the first try.')
    .version(VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option('--profile <name|file>', 'limit profile: a built-in name (seed, strict-927k) or a JSON file of overrides')
    .option('--api-base <url>', 'API base URL (default $EVOLINK_BASE_URL or https://api.evolink.ai)')
    .option('--endpoint <url>', 'S3-compatible endpoint URL (R2, MinIO, s3rver)')
    .option('--force-path-style', 'path-style S3 URLs, for S3-compatible stores')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerCheck(program, io, setExit);
  registerUpload(program, io, setExit);
  registerFix(program, io, setExit);
  registerRun(program, io, setExit);
  registerBatch(program, io, setExit);
  registerSubmit(program, io, setExit);
  registerStatus(program, io, setExit);
  registerWait(program, io, setExit);
  registerSandbox(program, io, setExit);
  registerDoctor(program, io, setExit);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    await program.parseAsync([...argv], { from: 'user' });
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
    if (error instanceof ProcessError && error.cancelled) {
      io.stderr('seedance-preflight: cancelled\n');
      return EXIT.failed;
    }
    io.stderr(`seedance-preflight: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
