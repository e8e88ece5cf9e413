import type { Command } from 'commander';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AGE_RULE, parseAge } from '../../queue/age-text.js';
import { describeRedisTarget } from '../../queue/redis-url.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { QUEUE_NAME_FLAG, QUEUE_URL_HELP, connectQueue, queueTargetFrom, type QueueFlags } from '../queue-flags.js';

interface QueueCommandOptions extends QueueFlags {
  json?: boolean;
  all?: boolean;
  yes?: boolean;
  olderThan?: string;
}

export function registerQueue(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const queue = program
    .command('queue')
    .summary('look at the queue of distributed batches')
    .description('Commands about the BullMQ queue that `batch --queue` fills and `worker` empties: status, retry, clean, drain.')
    .addHelpText('after', '\nExamples:\n  seedance-preflight queue status --queue redis://127.0.0.1:6379\n  seedance-preflight queue retry --all --queue redis://127.0.0.1:6379')
    .allowExcessArguments()
    .action((_options: unknown, cmd: Command) => {
      const name = cmd.args[0];
      const what = name === undefined ? 'queue needs a command' : `queue has no command ${JSON.stringify(name)}`;
      throw new UsageError(`${what}: seedance-preflight queue status --queue redis://HOST:PORT (see seedance-preflight queue --help)`);
    });
  const sub = (name: string, summary: string, description: string, examples: string[]) =>
    queue
      .command(name)
      .summary(summary)
      .description(description)
      .option('--queue <url>', QUEUE_URL_HELP)
      .option(...QUEUE_NAME_FLAG)
      .addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}\n`).join('')}`);
  const run = (action: (options: QueueCommandOptions, args: string[]) => Promise<number>) => async (...params: unknown[]) => {
    const cmd = params.at(-1) as Command;
    const options = { ...(cmd.opts() as QueueCommandOptions), json: (cmd.optsWithGlobals() as QueueCommandOptions).json };
    setExit(await action(options, cmd.args));
  };

  sub(
    'status',
    "counts of waiting, active, done and failed jobs; each job's state, stage, task and worker; each worker's heartbeat",
    'Reads the queue once and prints how many jobs wait, run, are done and failed, then one row per job: its folder under\n' +
      'the ROOT it was enqueued from, its state, the last stage a worker reported (or the stage it failed at), its task, and\n' +
      'for a running job its worker. Then one row per worker: host, pid, jobs it holds, how long it has run, its last\n' +
      'heartbeat. Every worker beats six times per --lock-duration (at most every 5 s); one silent for three beats is "gone",\n' +
      'and its jobs say so: "worker … gone (last seen 7 s ago): will be taken again when its lock expires (in 8 s)".\n' +
      'Writes nothing to Redis. Exit 0; 2 when Redis cannot be reached.',
    ['seedance-preflight queue status --queue redis://127.0.0.1:6379', 'seedance-preflight queue status --queue-name nightly --json   (with SEEDANCE_QUEUE_URL set)'],
  ).action(run((options) => withQueue(options, io, async (queue, head, redis) => {
    const [{ queueStatus }, { formatQueueStatus, formatQueueStatusJson }] = await Promise.all([import('../../queue/queue-status.js'), import('../output/queue-status-text.js')]);
    const status = await queueStatus(queue, redis);
    io.stdout(options.json ? formatQueueStatusJson(status) : formatQueueStatus(status, head.where));
    return EXIT.ok;
  })));

  sub(
    'retry',
    'put failed jobs back to wait: those named, or --all',
    'Moves failed jobs back to wait (BullMQ\'s Job.retry), where a worker takes them again and resumes each from its journal.\n' +
      'For failures that may pass on a second try (a store or API that was down, a missing mount); a failure the journal\n' +
      'records (a failed task, a refused request) ends the same way again: start that job over with run FOLDER --restart.\n' +
      'Name jobs by id or by folder as `queue status` shows them, or give --all. A name that is not a failed job is refused\n' +
      'before anything changes. Says which jobs were put back. Exit 0; 2 for a usage error or when Redis cannot be reached.',
    ['seedance-preflight queue retry --all', 'seedance-preflight queue retry shots/take-3 j3f2a9c0d1e4b5a6978877665544332211'],
  )
    .argument('[jobs...]', 'job ids, or folders under ROOT as queue status shows them')
    .option('--all', 'every failed job of the queue')
    .action(run((options, names) => {
      if (options.all && names.length) throw new UsageError('queue retry takes job names or --all, not both');
      if (!options.all && names.length === 0) throw new UsageError('queue retry needs the jobs to put back: job ids or folders as queue status shows them, or --all');
      return withQueue(options, io, async (queue, head, redis) => {
        const [{ selectFailed, retryFailed }, text] = await Promise.all([import('../../queue/queue-admin.js'), import('../output/queue-admin-text.js')]);
        const selection = await selectFailed(queue, options.all ? 'all' : names);
        if (!selection.ok) {
          const what = selection.state === null ? `no job ${JSON.stringify(selection.name)} in queue ${queue.name}` : `job ${JSON.stringify(selection.name)} of queue ${queue.name} is ${selection.state}, not failed`;
          throw new UsageError(`queue retry: ${what}: nothing was put back (see seedance-preflight queue status)`);
        }
        const outcome = await retryFailed(selection.jobs);
        io.stdout(options.json ? text.formatRetryJson(outcome, queue.name) : text.formatRetry(outcome, head.line));
        return EXIT.ok;
      });
    }));

  sub(
    'clean',
    'remove finished jobs (done and failed) older than an age; needs --yes',
    'Removes completed and failed jobs that finished more than --older-than ago (BullMQ\'s queue.clean), with their results\n' +
      'in Redis; the job folders, their journals and results on disk stay. Waiting and active jobs are never touched.\n' +
      'Without --yes it says how many it would remove, and removes nothing (exit 2). Exit 0 once done.',
    ['seedance-preflight queue clean --older-than 7d --yes', 'seedance-preflight queue clean --older-than 0s --yes --json   (every finished job)'],
  )
    .option('--older-than <age>', `how long ago a job must have finished: ${AGE_RULE}`)
    .option('--yes', 'remove them (without it, say how many and stop)')
    .action(run((options) => {
      if (options.olderThan === undefined) throw new UsageError(`queue clean needs --older-than AGE: ${AGE_RULE}`);
      const olderThanMs = parseAge(options.olderThan);
      if (olderThanMs === null) throw new UsageError(`--older-than ${JSON.stringify(options.olderThan)} is not an age: ${AGE_RULE}`);
      const olderThan = options.olderThan.trim().toLowerCase();
      return withQueue(options, io, async (queue, head, redis) => {
        const [{ cleanFinished, finishedOlderThan }, text] = await Promise.all([import('../../queue/queue-admin.js'), import('../output/queue-admin-text.js')]);
        if (!options.yes) {
          const n = await finishedOlderThan(queue, redis, olderThanMs);
          throw new UsageError(`queue clean removes for good: ${n} finished job${n === 1 ? '' : 's'} of queue ${queue.name} older than ${olderThan} would go; add --yes to remove ${n === 1 ? 'it' : 'them'}`);
        }
        const outcome = await cleanFinished(queue, olderThanMs);
        io.stdout(options.json ? text.formatCleanJson(outcome, olderThan, olderThanMs, queue.name) : text.formatClean(outcome, olderThan, head.line));
        return EXIT.ok;
      });
    }));

  sub(
    'drain',
    'remove every waiting job (never an active one); needs --yes',
    'Removes the jobs no worker has taken yet (waiting, and those waiting to be tried again), with BullMQ\'s queue.clean on\n' +
      'each waiting set; jobs a worker runs are left running. A `batch --queue` following those jobs reports them failed\n' +
      '("removed from queue … by queue drain"), never enqueues them again. Without --yes it says how many it would\n' +
      'remove, and removes nothing (exit 2). Exit 0 once done.',
    ['seedance-preflight queue drain --yes', 'seedance-preflight queue drain --queue-name nightly --yes --json'],
  )
    .option('--yes', 'remove them (without it, say how many and stop)')
    .action(run((options) => withQueue(options, io, async (queue, head, redis) => {
      const [{ drainWaiting, waitingAndActive }, text] = await Promise.all([import('../../queue/queue-admin.js'), import('../output/queue-admin-text.js')]);
      if (!options.yes) {
        const { waiting: n, active } = await waitingAndActive(queue);
        throw new UsageError(`queue drain removes for good: ${n} waiting job${n === 1 ? '' : 's'} of queue ${queue.name} would go (${active} active left running); add --yes to remove ${n === 1 ? 'it' : 'them'}`);
      }
      const outcome = await drainWaiting(queue, redis);
      io.stdout(options.json ? text.formatDrainJson(outcome, queue.name) : text.formatDrain(outcome, head.line));
      return EXIT.ok;
    })));
}

/** Connects, opens the queue without writing its metadata, runs `action`, and closes both whatever happens. */
async function withQueue(options: QueueCommandOptions, io: CliIo, action: (queue: Queue, head: { where: string; line: string }, redis: Redis) => Promise<number>): Promise<number> {
  const { target, queueName } = queueTargetFrom(options, io.env);
  const redis = await connectQueue(target);
  const { Queue } = await import('bullmq');
  // reading leaves no trace: no queue metadata is written for a name that holds nothing
  const queue = new Queue(queueName, { connection: redis, skipMetasUpdate: true });
  const where = describeRedisTarget(target);
  try {
    return await action(queue, { where, line: `queue ${queueName} at ${where}` }, redis);
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}
