import type { Redis } from 'ioredis';
import { sha256Text } from '../pipeline/fingerprint.js';

/**
 * At most one worker runs a job folder at a time, across queue names: BullMQ hands a job out at least once (a stalled
 * job is handed out again), and the same folder may sit in two queues. Two workers fixing one folder at once trip
 * over each other's files; the one that finds the folder taken puts its job back for later instead.
 */
export interface FolderLeases {
  /** Takes the folder's lease, or tells which worker holds it. */
  take(jobName: string): Promise<{ ok: true } | { ok: false; holder: string }>;
  /** Gives the lease back (only this worker's). */
  release(jobName: string): Promise<void>;
}

const PREFIX = 'seedance-preflight:folder:';

// refreshes the lease while it is this worker's, and writes it back when Redis lost it (restarted empty); gives it back only while it is this worker's
const REFRESH = `local v = redis.call('GET', KEYS[1]) if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Leases in Redis that expire after `leaseMs` unless refreshed (a dead worker's lease ends as its BullMQ lock does). */
export function redisFolderLeases(redis: Redis, options: { holder: string; leaseMs: number; onRefreshError?: (error: Error) => void }): FolderLeases & { close(): void } {
  const keyOf = (jobName: string) => `${PREFIX}${sha256Text(jobName)}`;
  const held = new Set<string>();
  const refresh = () => {
    for (const key of held) void redis.eval(REFRESH, 1, key, options.holder, options.leaseMs).catch((error: Error) => options.onRefreshError?.(error));
  };
  const timer = setInterval(refresh, Math.max(1, Math.floor(options.leaseMs / 3)));
  timer.unref();
  return {
    async take(jobName) {
      const key = keyOf(jobName);
      if ((await redis.set(key, options.holder, 'PX', options.leaseMs, 'NX')) === 'OK') {
        held.add(key);
        return { ok: true };
      }
      const holder = await redis.get(key);
      // given back between SET and GET: taken on the job's next turn
      return { ok: false, holder: holder ?? 'a worker that just finished' };
    },
    async release(jobName) {
      const key = keyOf(jobName);
      held.delete(key);
      await redis.eval(RELEASE, 1, key, options.holder);
    },
    close() {
      clearInterval(timer);
    },
  };
}
