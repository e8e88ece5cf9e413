import type { Command } from 'commander';
import { describeRedisTarget } from '../../queue/redis-url.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { QUEUE_NAME_FLAG, QUEUE_URL_HELP, connectQueue, queueTargetFrom, type QueueFlags } from '../queue-flags.js';

interface QueueStatusOptions extends QueueFlags {
  json?: boolean;
}

export function registerQueue(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const queue = program
    .command('queue')
    .summary('look at the queue of distributed batches')
    .description('Commands about the BullMQ queue that `batch --queue` fills and `worker` empties.')
    .allowExcessArguments()
    .action((_options: unknown, cmd: Command) => {
      const name = cmd.args[0];
      const what = name === undefined ? 'queue needs a command' : `queue has no command ${JSON.stringify(name)}`;
      throw new UsageError(`${what}: seedance-preflight queue status --queue redis://HOST:PORT (see seedance-preflight queue --help)`);
    });
  queue
    .command('status')
    .summary('counts of waiting, active, done and failed jobs; each job\'s state, stage and task')
    .description(
      'Reads the queue once and prints how many jobs wait, run, are done and failed, then one row per job: its folder under\n' +
        'the ROOT it was enqueued from, its state, the last stage a worker reported (or the stage it failed at) and its task.\n' +
        'Exit 0; 2 when Redis cannot be reached.',
    )
    .option('--queue <url>', QUEUE_URL_HELP)
    .option(...QUEUE_NAME_FLAG)
    .addHelpText('after', '\nExamples:\n  seedance-preflight queue status --queue redis://127.0.0.1:6379\n  seedance-preflight queue status --queue-name nightly --json   (with SEEDANCE_QUEUE_URL set)')
    .action(async (options: QueueStatusOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as QueueStatusOptions;
      setExit(await runQueueStatus({ ...options, json: globals.json }, io));
    });
}

async function runQueueStatus(options: QueueStatusOptions, io: CliIo): Promise<number> {
  const { target, queueName } = queueTargetFrom(options, io.env);
  const redis = await connectQueue(target);
  const [{ Queue }, { queueStatus }, { formatQueueStatus, formatQueueStatusJson }] = await Promise.all([import('bullmq'), import('../../queue/queue-status.js'), import('../output/queue-status-text.js')]);
  // reading leaves no trace: no queue metadata is written for a name that holds nothing
  const queue = new Queue(queueName, { connection: redis, skipMetasUpdate: true });
  try {
    const status = await queueStatus(queue);
    io.stdout(options.json ? formatQueueStatusJson(status) : formatQueueStatus(status, describeRedisTarget(target)));
    return EXIT.ok;
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}
