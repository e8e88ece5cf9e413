import type { Command } from 'commander';
import { startSandbox } from '../../sandbox/start-sandbox.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatExports } from '../output/task-sandbox-env.js';
import { parseSeconds } from '../parse-seconds.js';

interface SandboxFlags {
  apiPort?: string;
  s3Port?: string;
  taskDuration: string;
  bucket: string;
  directory?: string;
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
        'The EVOLINK_API_KEY it prints is the sandbox\'s own key (random, or --api-key), never your real one. Runs until Ctrl-C or SIGTERM.\n' +
        'GET /_sandbox/stats on the simulator (with that key as a Bearer token) answers {inFlight, maxInFlight, tasks: [{id, createdAt, status, prompt}]}:\n' +
        'tasks pending or processing now, the most at once since start, and every task created (for tests run from outside).',
    )
    .option('--api-port <port>', 'simulator port (default: a free one)')
    .option('--s3-port <port>', 'S3 store port (default: a free one)')
    .option('--task-duration <seconds>', 'time from create to completed', '10')
    .option('--bucket <name>', 'bucket to create', 'seedance')
    .option('--directory <dir>', 'keep the store\'s objects here (default: a temporary folder, removed on exit)')
    .option('--api-key <key>', 'the sandbox\'s key (default: a random sk-sandbox-… key)')
    .option('--allow-insecure-callbacks', 'accept http:// and loopback callback_url values (the provider refuses them)')
    .action(async (flags: SandboxFlags, command: Command) => {
      const globals = command.optsWithGlobals() as { json?: boolean };
      setExit(await runSandbox(flags, Boolean(globals.json), io));
    });
}

async function runSandbox(flags: SandboxFlags, json: boolean, io: CliIo): Promise<number> {
  const sandbox = await startSandbox({
    apiKey: flags.apiKey,
    bucket: flags.bucket,
    taskDurationMs: parseSeconds('--task-duration', flags.taskDuration),
    allowInsecureCallbacks: Boolean(flags.allowInsecureCallbacks),
    apiPort: parsePort('--api-port', flags.apiPort),
    s3Port: parsePort('--s3-port', flags.s3Port),
    directory: flags.directory,
  });
  io.stderr(
    `sandbox: API simulator at ${sandbox.apiBaseUrl}, S3-compatible store at ${sandbox.s3.endpoint} (bucket ${sandbox.bucket}).\n` +
      'sandbox: EVOLINK_API_KEY below is the sandbox\'s own key, valid only here; the AWS pair is s3rver\'s fixed local pair. Neither is a real credential.\n' +
      'sandbox: paste the lines below into another shell; stop with Ctrl-C.\n',
  );
  io.stdout(json ? `${JSON.stringify({ apiBaseUrl: sandbox.apiBaseUrl, s3Endpoint: sandbox.s3.endpoint, bucket: sandbox.bucket, env: sandbox.env }, null, 2)}\n` : formatExports(sandbox.env));
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
  return EXIT.ok;
}

function parsePort(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${value}"`);
  return port;
}
