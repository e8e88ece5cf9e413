import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import type { ConnectOptions } from '../queue/connect.js';
import { DEFAULT_QUEUE_NAME } from '../queue/job-data.js';
import { QueueError, parseRedisUrl, type RedisTarget } from '../queue/redis-url.js';
import { UsageError } from './io.js';

export const QUEUE_URL_ENV = 'SEEDANCE_QUEUE_URL';

export interface QueueFlags {
  queue?: string | boolean;
  queueName?: string;
}

/** BullMQ keeps a queue under keys named with it: ':' would split them, and a name should survive a shell. */
const QUEUE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export const QUEUE_NAME_FLAG = ['--queue-name <name>', `BullMQ queue name (default ${DEFAULT_QUEUE_NAME})`] as const;
export const QUEUE_URL_HELP = `Redis holding the queue: redis://HOST:PORT[/DB], with :PASSWORD@ just before HOST when it needs one (default $${QUEUE_URL_ENV})`;

/** --queue (or $SEEDANCE_QUEUE_URL) and --queue-name, checked: a bad one is a usage error naming the rule, never the password. */
export function queueTargetFrom(options: QueueFlags, env: NodeJS.ProcessEnv): { target: RedisTarget; queueName: string } {
  const text = typeof options.queue === 'string' ? options.queue : env[QUEUE_URL_ENV];
  if (!text) throw new UsageError(`no queue given: pass --queue redis://HOST:PORT or set ${QUEUE_URL_ENV}`);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  if (!QUEUE_NAME.test(queueName)) throw new UsageError(`--queue-name ${JSON.stringify(queueName)} is not a queue name: use 1 to 100 letters, digits, '.', '_' or '-'`);
  return { target: asUsage(() => parseRedisUrl(text)), queueName };
}

/** Connects (failing fast); an unreachable Redis is an environment error, exit 2. */
export async function connectQueue(target: RedisTarget, options: ConnectOptions = {}): Promise<Redis> {
  const { connectRedis } = await import('../queue/connect.js');
  try {
    return await connectRedis(target, options);
  } catch (error) {
    throw error instanceof QueueError ? new UsageError(error.message) : error;
  }
}

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof QueueError ? new UsageError(error.message) : error;
  }
}

export function addQueueNameFlag(command: Command): Command {
  return command.option(...QUEUE_NAME_FLAG);
}
