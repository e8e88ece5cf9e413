import { displayPath, displayPathsIn } from '../../shared/display-path.js';
import { Option, type Command } from 'commander';
import { startSandbox } from '../../sandbox/start-sandbox.js';
import { sandboxDirFrom } from '../../sandbox/sandbox-dir.js';
import { claimSandboxDir, sandboxBusyMessage } from '../../sandbox/sandbox-lock.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatExports } from '../output/task-sandbox-env.js';
import { parseSeconds } from '../parse-seconds.js';

interface SandboxFlags {
  apiPort?: string;
  s3Port?: string;
  taskDuration: string;
  bucket: string;
  directory?: string;
  sandboxDir?: string;
  apiKey?: string;
  allowInsecureCallbacks?: boolean;
}

export function registerSandbox(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('sandbox')
    .summary('start a local S3-compatible store and API simulator; print the settings that point the tool at them')
    .description(
      'Starts s3rver and a simulator of the Seedance 2.0 API on loopback ports and prints `export NAME=value` lines (stdout) to paste into a shell.\n' +
        'The simulator validates requests against the provider\'s OpenAPI documents, fetches and checks the media, and serves a real MP4.\n' +
        'The EVOLINK_API_KEY it prints is the sandbox\'s own key (made once per sandbox folder, or --api-key), never your real one. Runs until Ctrl-C or SIGTERM.\n' +
        'Its state lives in the sandbox folder (--sandbox-dir, $SEEDANCE_SANDBOX_DIR, else <cache folder>/sandbox): the store\'s objects, the\n' +
        'simulator\'s tasks, the key and the ports, all kept across restarts (the same ports when free). Runs with --sandbox on that folder use it.\n' +
        'GET /_sandbox/stats on the simulator (with that key as a Bearer token) answers {inFlight, maxInFlight, tasks: [{id, createdAt, status, prompt}]}:\n' +
        'tasks pending or processing now, the most at once since start, and every task created (for tests run from outside).',
    )
    .option('--api-port <port>', 'simulator port (default: the one of last time if free, else a free one)')
    .option('--s3-port <port>', 'S3 store port (default: the one of last time if free, else a free one)')
    .option('--task-duration <seconds>', 'time from create to completed', '10')
    .option('--bucket <name>', 'bucket to create', 'seedance')
    .option('--sandbox-dir <dir>', 'the sandbox folder: objects, tasks, key and ports, kept across restarts (default $SEEDANCE_SANDBOX_DIR, else <cache folder>/sandbox)')
    // the flag of earlier versions, which kept only the store's objects there
    .addOption(new Option('--directory <dir>').hideHelp())
    .option('--api-key <key>', 'the sandbox\'s key (default: a random sk-sandbox-… key)')
    .option('--allow-insecure-callbacks', 'accept http:// and loopback callback_url values (the provider refuses them)')
    .addHelpText('after', '\nExamples:\n  seedance-preflight sandbox\n  seedance-preflight sandbox --sandbox-dir /tmp/sb --task-duration 1\n  seedance-preflight --json sandbox > sandbox.json')
    .action(async (flags: SandboxFlags, command: Command) => {
      const globals = command.optsWithGlobals() as { json?: boolean };
      setExit(await runSandbox(flags, Boolean(globals.json), io));
    });
}

async function runSandbox(flags: SandboxFlags, json: boolean, io: CliIo): Promise<number> {
  if (flags.directory !== undefined && flags.sandboxDir !== undefined) throw new UsageError('--directory is the old name of --sandbox-dir: give one of them');
  const taskDurationMs = parseSeconds('--task-duration', flags.taskDuration);
  const apiPort = parsePort('--api-port', flags.apiPort);
  const s3Port = parsePort('--s3-port', flags.s3Port);
  const dir = sandboxDirFrom(io.env, flags.sandboxDir ?? flags.directory, io.cwd);
  const shown = displayPath(dir, io.cwd);
  const claim = await claimSandboxDir(dir, io.env).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot use the sandbox folder ${shown} (${error.code ?? error.message}): give --sandbox-dir a writable folder`);
  });
  if (!claim.ok) {
    io.stderr(`seedance-preflight: ${sandboxBusyMessage(shown, claim.busy)}\n`);
    return EXIT.busy;
  }
  let sandbox;
  try {
    sandbox = await startSandbox({ apiKey: flags.apiKey, bucket: flags.bucket, taskDurationMs, allowInsecureCallbacks: Boolean(flags.allowInsecureCallbacks), apiPort, s3Port, stateDir: dir });
    await claim.held.publish({ pid: process.pid, kind: 'sandbox', apiBaseUrl: sandbox.apiBaseUrl, s3Endpoint: sandbox.s3.endpoint, bucket: sandbox.bucket, keyStored: flags.apiKey === undefined });
  } catch (error) {
    await sandbox?.close();
    await claim.held.release();
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `cannot start the sandbox: a port it was given is in use (${(error as Error).message})` : `cannot start the sandbox in ${shown}: ${displayPathsIn((error as Error).message, io.cwd)}`);
  }
  io.stderr(
    `sandbox: API simulator at ${sandbox.apiBaseUrl}, S3-compatible store at ${sandbox.s3.endpoint} (bucket ${sandbox.bucket}); objects, tasks and key kept in ${shown}.\n` +
      'sandbox: EVOLINK_API_KEY below is the sandbox\'s own key, valid only here; the AWS pair is s3rver\'s fixed local pair. Neither is a real credential.\n' +
      'sandbox: paste the lines below into another shell; stop with Ctrl-C.\n',
  );
  io.stdout(json ? `${JSON.stringify({ apiBaseUrl: sandbox.apiBaseUrl, s3Endpoint: sandbox.s3.endpoint, bucket: sandbox.bucket, sandboxDir: dir, env: sandbox.env }, null, 2)}\n` : formatExports(sandbox.env));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(name);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stderr(`sandbox: ${signal}, stopping\n`);
  await sandbox.close();
  await claim.held.release();
  return EXIT.ok;
}

function parsePort(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}"`);
  return port;
}
