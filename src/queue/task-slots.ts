import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { TaskSlots } from '../pipeline/task-slots.js';
import { cancellationOr, throwIfCancelled } from '../shared/cancel.js';

/**
 * A lease outlives BullMQ's stalled-job detection (lockDuration 30 s, checked every stalledInterval 30 s: a dead
 * worker's job is handed out again within about a minute), so the job's next worker finds its own lease and keeps it,
 * while the task it waits for goes on counting against the account's limit.
 */
export const DEFAULT_LEASE_MS = 120_000;
/** How often a waiting worker looks for a free slot: short against a task's minutes, light on Redis. */
export const DEFAULT_POLL_MS = 500;
/**
 * How often a worker writes back the slots it holds: each time it extends their leases, and re-adds any that Redis lost
 * (a FLUSHALL, a Redis without persistence restarted). One command per held slot, so it can be frequent.
 */
export const DEFAULT_HEARTBEAT_MS = 500;
/**
 * After Redis lost the slot book, no new slot is granted for this long: every live worker writes back what it holds
 * within a heartbeat (plus a reconnection, 1 s, after a restart), so the count is whole again before anyone takes one.
 * A queue's very first slot waits this long too (a new book looks the same as a lost one).
 */
export const DEFAULT_RECOVERY_MS = 3000;
/** The book's marker outlives any idle fleet by far; it is a few bytes. */
const BOOK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface RedisTaskSlotsOptions {
  queueName: string;
  /** Tasks in flight across the fleet. */
  limit: number;
  /** This worker's id, kept beside each lease it takes (who holds what, for status and diagnosis). */
  holder: string;
  leaseMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  recoveryMs?: number;
  /** Told when refreshing a held lease failed (Redis unreachable), or found its slot taken by another job meanwhile. */
  onRefreshError?: (jobKey: string, error: Error) => void;
}

export interface RedisTaskSlots extends TaskSlots {
  /** The leases held now (unexpired), fleet-wide: job key, the worker holding it, and when its lease ends (epoch ms, Redis's clock). */
  held(): Promise<{ jobKey: string; holder: string | null; expiresAt: number }[]>;
  /**
   * This worker no longer runs the job (it ended with its slot kept: stopped while its task ran): the lease is no longer
   * refreshed or written back, so it lapses unless the job's next worker takes it over under the same key.
   */
  forget(jobKey: string): void;
  /** Stops refreshing this worker's leases (they end when their lease does, unless released). */
  close(): Promise<void>;
}

// KEYS: the leases (sorted set, scored by expiry), their holders (hash), the book's marker (when new slots may be
// granted, epoch ms). ARGV: job key, lease ms, limit, holder, recovery ms, book ttl ms, mode.
// Drops expired leases, then: a key that holds a lease keeps it (refreshed); mode 'hold' (a worker writing back a slot
// it holds) re-adds its key whatever the count, since its task is in flight and must be counted; mode 'take' gets a
// free slot only once the book is open. No marker means Redis lost the book (or never had one): it opens after the
// recovery time, when every live holder has written its slots back. Time is the server's, so clocks never disagree.
// Returns 1 (held), 0 (no slot), or 2 ('hold' re-added a key over the limit: its lease lapsed and the slot was taken).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local openAt = tonumber(redis.call('GET', KEYS[3]))
if not openAt then openAt = now + tonumber(ARGV[5]) end
redis.call('SET', KEYS[3], openAt, 'PX', ARGV[6])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
end
local lease = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
local count = redis.call('ZCARD', KEYS[1])
local result = 0
if held then
  result = 1
elseif ARGV[7] == 'hold' then
  result = count < limit and 1 or 2
elseif now >= openAt and count < limit then
  result = 1
end
if result == 0 then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
-- the set goes away by itself once no lease is refreshed (a fleet gone for good)
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
  redis.call('PEXPIRE', KEYS[2], lease)
end
return result`;

const GIVE_BACK = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

/**
 * The fleet's task limit in Redis: a sorted set of job keys scored by lease expiry, taken and refreshed atomically.
 * Redis losing its keys (FLUSHALL, a restart without persistence) does not lift the limit: each worker writes back the
 * slots it holds on every heartbeat, and no new slot is granted until the recovery time has let them all do so.
 */
export function redisTaskSlots(redis: Redis, options: RedisTaskSlotsOptions): RedisTaskSlots {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`the task limit must be a whole number of at least 1, not ${options.limit}`);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const heartbeatMs = Math.min(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, Math.max(1, Math.floor(leaseMs / 3)));
  const recoveryMs = options.recoveryMs ?? DEFAULT_RECOVERY_MS;
  const prefix = `seedance-preflight:${options.queueName}`;
  const keys = [`${prefix}:task-slots`, `${prefix}:task-slot-holders`, `${prefix}:task-slot-book`];
  const mine = new Set<string>();
  const call = async (jobKey: string, mode: 'take' | 'hold') => Number(await redis.eval(TAKE, 3, ...keys, jobKey, leaseMs, options.limit, options.holder, recoveryMs, BOOK_TTL_MS, mode));
  let beating = false;
  const heartbeat = async () => {
    // a slow Redis (or one reconnecting) is not sent a second round while the first waits
    if (beating) return;
    beating = true;
    try {
      for (const jobKey of mine) {
        try {
          if ((await call(jobKey, 'hold')) === 2) throw new Error(`the lease of ${jobKey} on a task slot of queue ${options.queueName} lapsed and its slot was taken: counted again, the fleet is over its limit of ${options.limit} until a task ends`);
        } catch (error) {
          options.onRefreshError?.(jobKey, error as Error);
        }
      }
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void heartbeat(), heartbeatMs);
  timer.unref();
  return {
    async acquire(jobKey, signal) {
      for (;;) {
        throwIfCancelled(signal, 'waiting for a task slot');
        if ((await call(jobKey, 'take')) === 1) {
          mine.add(jobKey);
          return;
        }
        // a little jitter, so waiting workers do not poll in step
        await delay(Math.round(pollMs * (0.75 + Math.random() * 0.5)), undefined, signal ? { signal } : undefined).catch((error: unknown) => {
          throw cancellationOr(error, signal, 'waiting for a task slot');
        });
      }
    },
    async release(jobKey) {
      mine.delete(jobKey);
      await redis.eval(GIVE_BACK, 2, keys[0]!, keys[1]!, jobKey);
    },
    async held() {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const [scored, holders] = await Promise.all([redis.zrangebyscore(keys[0]!, `(${now}`, '+inf', 'WITHSCORES'), redis.hgetall(keys[1]!)]);
      const list: { jobKey: string; holder: string | null; expiresAt: number }[] = [];
      for (let i = 0; i < scored.length; i += 2) list.push({ jobKey: scored[i]!, holder: holders[scored[i]!] ?? null, expiresAt: Number(scored[i + 1]) });
      return list;
    },
    forget(jobKey) {
      mine.delete(jobKey);
    },
    async close() {
      clearInterval(timer);
      mine.clear();
    },
  };
}
