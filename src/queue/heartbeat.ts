import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

/**
 * Each worker's heartbeat: one field of one hash per queue (seedance-preflight:<queue>:workers), the worker's id → a
 * JSON record stamped with Redis's own clock, so ages read on another machine do not depend on its clock.
 */
export function workersKey(queueName: string): string {
  return `seedance-preflight:${queueName}:workers`;
}

/** What a worker publishes about itself. */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  /** Redis time (ms) of its first heartbeat. */
  startedAt: number;
  /** Redis time (ms) of its last heartbeat. */
  beatAt: number;
  lockDurationMs: number;
  beatEveryMs: number;
}

/** A worker beats six times per lock (at most every 5 s, at least every 0.1 s): missing three beats is half a lock. */
export function beatInterval(lockDurationMs: number): number {
  return Math.min(5000, Math.max(100, Math.round(lockDurationMs / 6)));
}

/** A worker whose last beat is older than three beats is gone: it has missed a lock renewal too (BullMQ renews every half lock). */
export function goneAfterMs(beat: Pick<WorkerBeat, 'beatEveryMs'>): number {
  return 3 * beat.beatEveryMs;
}

/** A worker that exited without saying so (kill -9, a lost machine) leaves its record: the next worker to start removes it after this long. */
export const FORGET_GONE_AFTER_MS = 60 * 60 * 1000;

/** One command per beat: the record written with Redis's TIME (a script: the stamp and the write are one step). */
const BEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local started = ARGV[3]
if started == '' then started = tostring(now) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ',"startedAt":' .. started .. ',"beatAt":' .. now .. '}')
return now`;

/** How long a stopping worker waits for Redis to take its record away. */
const STOP_WAIT_MS = 2000;

function withinMs(ms: number, work: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

export interface Heartbeat {
  /** Stops beating and removes this worker's record (a clean exit: its jobs went back to the queue). */
  stop(): Promise<void>;
}

export interface HeartbeatOptions {
  queueName: string;
  workerId: string;
  lockDurationMs: number;
  /** Said once when a beat fails, and once when beats work again. */
  onError: (error: Error) => void;
  onRecovered?: () => void;
}

/** Publishes this worker's heartbeat now and then every beatInterval(lock) until stopped; forgets long-gone workers once at start. */
export function startHeartbeat(redis: Redis, options: HeartbeatOptions): Heartbeat {
  const key = workersKey(options.queueName);
  const beatEveryMs = beatInterval(options.lockDurationMs);
  // the record without its closing brace: the script appends the Redis-time fields
  const fields = JSON.stringify({ id: options.workerId, host: hostname(), pid: process.pid, lockDurationMs: options.lockDurationMs, beatEveryMs }).slice(0, -1);
  let startedAt: number | null = null;
  let failing = false;
  let pending: Promise<void> | null = null;
  const beat = () => {
    // a slow Redis never gets a second beat queued behind the first
    if (pending) return;
    pending = (redis.eval(BEAT_SCRIPT, 1, key, options.workerId, fields, startedAt === null ? '' : String(startedAt)) as Promise<number>)
      .then((now) => {
        startedAt ??= Number(now);
        if (failing) options.onRecovered?.();
        failing = false;
      })
      .catch((error: Error) => {
        if (!failing) options.onError(error);
        failing = true;
      })
      .finally(() => (pending = null));
  };
  beat();
  const timer = setInterval(beat, beatEveryMs);
  // a worker's own process keeps running for its Worker, not for its heartbeat
  timer.unref();
  void forgetLongGone(redis, key).catch(() => undefined);
  return {
    async stop() {
      clearInterval(timer);
      // a Redis that is away never holds up a stop: the record left behind reads gone, as after a kill
      await withinMs(STOP_WAIT_MS, (async () => {
        await pending;
        await redis.hdel(key, options.workerId);
      })().catch(() => undefined));
    },
  };
}

/** Removes the records of workers last seen more than FORGET_GONE_AFTER_MS ago (Redis time). */
async function forgetLongGone(redis: Redis, key: string): Promise<void> {
  const [now, records] = await Promise.all([redisNow(redis), redis.hgetall(key)]);
  const old = Object.entries(records).flatMap(([id, text]) => {
    const beat = parseBeat(text);
    return beat === null || now - beat.beatAt > FORGET_GONE_AFTER_MS ? [id] : [];
  });
  if (old.length) await redis.hdel(key, ...old);
}

/** A record as a worker wrote it, or null for anything else (another tool's field, a damaged value). */
export function parseBeat(text: string): WorkerBeat | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const beat = value as Partial<WorkerBeat> | null;
  if (typeof beat !== 'object' || beat === null) return null;
  const numbers = [beat.pid, beat.startedAt, beat.beatAt, beat.lockDurationMs, beat.beatEveryMs];
  if (typeof beat.id !== 'string' || typeof beat.host !== 'string' || !numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  return { id: beat.id, host: beat.host, pid: beat.pid!, startedAt: beat.startedAt!, beatAt: beat.beatAt!, lockDurationMs: beat.lockDurationMs!, beatEveryMs: beat.beatEveryMs! };
}

/** Every worker record of the queue, and Redis's time when they were read: two reads, no write. */
export async function readBeats(redis: Redis, queueName: string): Promise<{ now: number; beats: WorkerBeat[] }> {
  const [now, records] = await Promise.all([redisNow(redis), redis.hgetall(workersKey(queueName))]);
  const beats = Object.values(records).flatMap((text) => parseBeat(text) ?? []);
  return { now, beats };
}

/** Redis's clock in ms (TIME): every age is measured on the clock the beats were stamped with. */
export async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = (await redis.time()) as [string | number, string | number];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
