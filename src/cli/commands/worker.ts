import { terminalOf } from '../terminal/terminal.js';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeRedisTarget } from '../../queue/redis-url.js';
import { apiClientFrom } from '../api-client.js';
import { openCaches } from '../caches.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { ENCODE_TIMEOUT_FLAG, parseConcurrency, parseEncodeTimeout } from '../parse-options.js';
import { parseSeconds } from '../parse-seconds.js';
import { QUEUE_NAME_FLAG, QUEUE_URL_HELP, connectQueue, queueTargetFrom, type QueueFlags } from '../queue-flags.js';
import { interruptOnSignals } from '../signals.js';
import { addUploadFlags, uploadSettingsFromFlags, type UploadFlags } from '../upload-flags.js';
import { requireSettings } from '../settings-check.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';

interface WorkerOptions extends UploadFlags, QueueFlags, ApiFlags {
  root?: string;
  mediaConcurrency?: string;
  apiConcurrency?: string;
  lockDuration?: string;
  encodeTimeout?: string;
  apiBase?: string;
}

/** Jobs submitting or waiting at once, as a local batch's default: accounts allow few concurrent tasks. */
const DEFAULT_API_CONCURRENCY = 2;

export function registerWorker(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('worker')
    .summary('take jobs enqueued by `batch --queue` and run them, until stopped')
    .description(
      'Takes jobs from a BullMQ queue in Redis (enqueued by `seedance-preflight batch ROOT --queue URL`) and runs each one like\n' +
        '`run`, in the job\'s own folder on storage every worker mounts: the journal stays in the folder, so a job taken over\n' +
        'by another worker (this one died, or was stopped) resumes where it stopped and never creates a second task.\n' +
        'S3 and API settings come from this worker\'s own flags and environment, as for `run`. The account\'s limits hold for\n' +
        'the fleet: --api-concurrency counts tasks across every worker, and a 429 pauses them all. If Redis loses its keys\n' +
        '(FLUSHALL, a restart without persistence), each worker writes back the task slots it holds within half a second and\n' +
        'no new task slot is granted for 3 s (also for a new queue\'s first task), so the limit still holds; running jobs go\n' +
        'on to their end, their journals keep what they did, and a following `batch --queue` enqueues again what is unfinished.\n' +
        'A worker that mounts ROOT elsewhere than the enqueuer says where with --root. Progress goes to stderr as\n' +
        '"[folder] stage: detail". It writes a heartbeat six times per --lock-duration (at most every 5 s): `queue status`\n' +
        'shows it with the jobs it holds, and calls it gone after three missed beats.\n' +
        'Ctrl-C or SIGTERM: running jobs stop at their next step (a create in progress finishes) and go back to the queue\n' +
        'for another worker; the worker exits 0. Exit 2 when Redis cannot be reached or a flag is wrong.',
    )
    .option('--queue <url>', QUEUE_URL_HELP)
    .option(...QUEUE_NAME_FLAG)
    .option('--root <path>', 'where this worker mounts the enqueued ROOT (default: the ROOT path the job was enqueued with)')
    .option('--media-concurrency <n>', 'jobs doing media work (check, fix, upload) at once on this worker (default: the number of cores)')
    .option('--api-concurrency <n>', `tasks in flight at once across every worker of the queue, from before a create until its wait ends (default ${DEFAULT_API_CONCURRENCY}; give every worker the same value)`)
    .option('--lock-duration <seconds>', 'how long a job stays with a worker that stopped answering before another takes it (default 30); queue status calls a silent worker gone after half of it (at most 15 s)')
    .option(...ENCODE_TIMEOUT_FLAG);
  addApiFlags(command);
  addUploadFlags(command)
    .addHelpText(
      'after',
      '\nExamples:\n  seedance-preflight worker --queue redis://127.0.0.1:6379\n' +
        '  SEEDANCE_QUEUE_URL=redis://:PASSWORD@queue-host:6379/0 seedance-preflight worker --root /mnt/jobs --bucket my-media\n' +
        '  seedance-preflight worker --queue redis://127.0.0.1:6379 --queue-name nightly --media-concurrency 4 --api-concurrency 2',
    )
    .action(async (options: WorkerOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as WorkerOptions;
      setExit(await runWorkerCommand({ ...options, apiBase: globals.apiBase, endpoint: globals.endpoint, forcePathStyle: globals.forcePathStyle }, io));
    });
}

async function runWorkerCommand(options: WorkerOptions, io: CliIo): Promise<number> {
  requireSettings('worker', options, io.env);
  const { target, queueName } = queueTargetFrom(options, io.env);
  const mediaConcurrency = parseConcurrency(options.mediaConcurrency) ?? availableParallelism();
  const apiConcurrency = parseConcurrency(options.apiConcurrency) ?? DEFAULT_API_CONCURRENCY;
  const lockDurationMs = parseSeconds('--lock-duration', options.lockDuration);
  const encodeTimeoutSeconds = parseEncodeTimeout(options.encodeTimeout, io.env);
  const root = options.root === undefined ? undefined : resolve(io.cwd, options.root);
  // a wrong mount would fail every job it takes for good: refuse it before taking any
  if (root !== undefined && !(await stat(root).then((s) => s.isDirectory(), () => false))) throw new UsageError(`--root ${options.root} is not a folder on this machine: give the path where this worker mounts the ROOT the batches were enqueued from`);
  const upload = uploadSettingsFromFlags(options, io.env);
  // a missing key is reported before connecting; the client itself is made with the fleet's hooks
  apiClientFrom(io.env, options.apiBase, { flags: options });
  const { probeCache, fixCache } = await openCaches(io.env, true);
  const where = describeRedisTarget(target);
  // signals are caught from here on: a SIGTERM while connecting still ends with exit 0
  const interrupt = interruptOnSignals();
  try {
    const redis = await connectQueue(target, {
      onReconnecting: (reason) => io.stderr(`worker: lost the connection to Redis at ${where} (${reason}): reconnecting every second\n`),
      onReconnected: () => io.stderr(`worker: the connection to Redis at ${where} is back\n`),
    });
    const { startQueueWorker } = await import('../../queue/worker.js');
    const worker = startQueueWorker({
      redis,
      queueName,
      root,
      upload,
      apiClient: (fleet) => apiClientFrom(io.env, options.apiBase, { fleet, flags: options }),
      env: io.env,
      probeCache,
      fixCache,
      encodeTimeoutSeconds,
      mediaConcurrency,
      apiConcurrency,
      lockDurationMs,
      log: (line) => io.stderr(line),
    });
    // -q leaves out what the worker says of itself; its jobs' log (stages, failures) is what it is run for and stays
    const terminal = terminalOf(io);
    terminal.info(`worker ${worker.id}: taking jobs from queue ${queueName} at ${where} (media concurrency ${mediaConcurrency}, API concurrency ${apiConcurrency}); stop with Ctrl-C or SIGTERM\n`);
    await new Promise<void>((resolve) => (interrupt.signal.aborted ? resolve() : interrupt.signal.addEventListener('abort', () => resolve(), { once: true })));
    terminal.info(`worker ${worker.id}: ${String(interrupt.signal.reason)}: stopping at the next step; running jobs go back to the queue\n`);
    await worker.stop(String(interrupt.signal.reason));
    await redis.quit().catch(() => redis.disconnect());
    terminal.info(`worker ${worker.id}: stopped\n`);
    return EXIT.ok;
  } finally {
    interrupt.dispose();
  }
}
