import { Redis } from 'ioredis';
import { QueueError, redisAddress, type RedisTarget } from './redis-url.js';

/** A first connection that takes longer than this is a dead host, not a slow one. */
const CONNECT_TIMEOUT_MS = 5000;
/** Once connected, a lost connection is retried this often (BullMQ needs the connection back, not a crash). */
const RECONNECT_DELAY_MS = 1000;

export interface ConnectOptions {
  /** Told once when an established connection is lost and retried (a worker says so on stderr). */
  onReconnecting?: (reason: string) => void;
  /** Told when a lost connection is back. */
  onReconnected?: () => void;
}

/**
 * Connects to Redis once, failing fast: an unreachable server or a refused password is a QueueError naming host and
 * port, never the password. After that first connection, a lost connection is retried (BullMQ's commands wait for it).
 */
export async function connectRedis(target: RedisTarget, options: ConnectOptions = {}): Promise<Redis> {
  let lastError: Error | null = null;
  const redis = new Redis({
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // BullMQ's workers block on commands: it requires that commands wait for a reconnection instead of failing
    maxRetriesPerRequest: null,
    retryStrategy: () => null,
  });
  // without a listener ioredis prints every connection error itself
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw unreachable(target, lastError ?? (error as Error));
  }
  // duplicates (BullMQ's blocking connections) copy these options: they reconnect too
  redis.options.retryStrategy = () => RECONNECT_DELAY_MS;
  let lost = false;
  redis.on('reconnecting', () => {
    if (!lost) options.onReconnecting?.(reasonOf(lastError));
    lost = true;
  });
  redis.on('ready', () => {
    if (lost) options.onReconnected?.();
    lost = false;
    lastError = null;
  });
  return redis;
}

function unreachable(target: RedisTarget, error: Error): QueueError {
  const where = redisAddress(target);
  const reason = reasonOf(error);
  if (/NOAUTH|WRONGPASS|invalid password|AUTH/i.test(error.message)) {
    return new QueueError(`Redis at ${where} refused the connection's credentials (${reason}): check the password in --queue or SEEDANCE_QUEUE_URL`, { cause: error });
  }
  return new QueueError(`cannot reach Redis at ${where} (${reason}): start Redis there, or point --queue (or SEEDANCE_QUEUE_URL) at a running server`, { cause: error, retryable: true });
}

/** The error's code (ECONNREFUSED, ETIMEDOUT) or its first line; a password is never part of either. */
function reasonOf(error: Error | null): string {
  if (!error) return 'connection closed';
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return code;
  return error.message.split('\n')[0]!.replace(/^ReplyError: /, '');
}
