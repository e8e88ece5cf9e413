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

export interface RedisTaskSlotsOptions {
  queueName: string;
  /** Tasks in flight across the fleet. */
  limit: number;
  /** This worker's id, kept beside each lease it takes (who holds what, for status and diagnosis). */
  holder: string;
  leaseMs?: number;
  pollMs?: number;
  /** Told when refreshing a held lease failed (Redis unreachable, or the lease expired and another job took the slot). */
  onRefreshError?: (jobKey: string, error: Error) => void;
}

export interface RedisTaskSlots extends TaskSlots {
  /** The leases held now (unexpired), fleet-wide: job key, the worker holding it, and when its lease ends (epoch ms, Redis's clock). */
  held(): Promise<{ jobKey: string; holder: string | null; expiresAt: number }[]>;
  /** Stops refreshing this worker's leases (they end when their lease does, unless released). */
  close(): Promise<void>;
}

// drops expired leases, then takes (or refreshes) this key's lease if it holds one already or a slot is free; time is
// the server's, so workers' clocks never disagree about a lease
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
end
local lease = tonumber(ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
  -- the set goes away by itself once no lease is refreshed (a fleet gone for good)
  if redis.call('PTTL', KEYS[1]) < lease then
    redis.call('PEXPIRE', KEYS[1], lease)
    redis.call('PEXPIRE', KEYS[2], lease)
  end
  return 1
end
return 0`;

const GIVE_BACK = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

/** The fleet's task limit in Redis: a sorted set of job keys scored by lease expiry, taken and refreshed atomically. */
export function redisTaskSlots(redis: Redis, options: RedisTaskSlotsOptions): RedisTaskSlots {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`the task limit must be a whole number of at least 1, not ${options.limit}`);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const keys = [`seedance-preflight:${options.queueName}:task-slots`, `seedance-preflight:${options.queueName}:task-slot-holders`];
  const mine = new Set<string>();
  const take = async (jobKey: string) => (await redis.eval(TAKE, 2, ...keys, jobKey, leaseMs, options.limit, options.holder)) === 1;
  const refresh = async () => {
    for (const jobKey of mine) {
      try {
        if (!(await take(jobKey))) throw new Error(`the lease of ${jobKey} on a task slot of queue ${options.queueName} expired and the slot was taken`);
      } catch (error) {
        options.onRefreshError?.(jobKey, error as Error);
      }
    }
  };
  // refreshed three times per lease: one missed refresh (a slow Redis) does not lose it
  const timer = setInterval(() => void refresh(), Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    async acquire(jobKey, signal) {
      for (;;) {
        throwIfCancelled(signal, 'waiting for a task slot');
        if (await take(jobKey)) {
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
      await redis.eval(GIVE_BACK, 2, ...keys, jobKey);
    },
    async held() {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const [scored, holders] = await Promise.all([redis.zrangebyscore(keys[0]!, `(${now}`, '+inf', 'WITHSCORES'), redis.hgetall(keys[1]!)]);
      const list: { jobKey: string; holder: string | null; expiresAt: number }[] = [];
      for (let i = 0; i < scored.length; i += 2) list.push({ jobKey: scored[i]!, holder: holders[scored[i]!] ?? null, expiresAt: Number(scored[i + 1]) });
      return list;
    },
    async close() {
      clearInterval(timer);
      mine.clear();
    },
  };
}
