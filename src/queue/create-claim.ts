import type { Redis } from 'ioredis';
import type { ClaimHolder, CreateGuard } from '../pipeline/create-guard.js';
import { PreflightError } from '../shared/errors.js';

/** A value under a claim key that this tool did not write: never guessed at, since a paid create hangs on it. */
export class CreateClaimError extends PreflightError {
  readonly kind = 'create-claim';
  constructor(readonly redisKey: string, value: string) {
    super(`the create claim ${redisKey} in Redis is not a claim this tool wrote (${value.slice(0, 100)})`, { hint: 'delete it only if you are sure no worker created this job\'s task' });
  }
}

/** Claims hold across queue names (the same folder enqueued under two names is still one job's create). */
export const CLAIM_PREFIX = 'seedance-preflight:claim:';

/**
 * 30 days. The claim must outlive every retry of its job (BullMQ's attempts and backoff, a stalled job handed out
 * again, a fleet restarted days later): once it expires, a worker finding the job's journal without a task id
 * could create a second task. Each claim is a few dozen bytes, so keeping it long costs nothing.
 */
export const CLAIM_TTL_SECONDS = 30 * 24 * 60 * 60;

// adds the task id to the claim, keeping its worker and time (and its expiry); a claim gone meanwhile is written anew
const SETTLE = `
local raw = redis.call('GET', KEYS[1])
local claim = raw and cjson.decode(raw) or { worker = ARGV[2], at = ARGV[3] }
claim.taskId = ARGV[1]
if raw then
  redis.call('SET', KEYS[1], cjson.encode(claim), 'KEEPTTL')
else
  redis.call('SET', KEYS[1], cjson.encode(claim), 'EX', ARGV[4])
end
return 1`;

// drops the claim only while it is this worker's and has no task: a refused create made nothing
const RELEASE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local claim = cjson.decode(raw)
if claim.worker ~= ARGV[1] or claim.taskId then return 0 end
return redis.call('DEL', KEYS[1])`;

/** The create claim in Redis: SET NX with {worker, at}; the task id is added once the create answered. */
export function redisCreateGuard(redis: Redis, workerId: string): CreateGuard {
  const keyOf = (key: string) => `${CLAIM_PREFIX}${key}`;
  return {
    async claim(key) {
      const holder: ClaimHolder = { worker: workerId, at: new Date().toISOString() };
      // a claim that expired between SET and GET is taken on the next turn
      for (;;) {
        if ((await redis.set(keyOf(key), JSON.stringify(holder), 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK') return { ok: true, holder };
        const raw = await redis.get(keyOf(key));
        if (raw !== null) return { ok: false, holder: parseHolder(raw, keyOf(key)) };
      }
    },
    async settle(key, taskId) {
      await redis.eval(SETTLE, 1, keyOf(key), taskId, workerId, new Date().toISOString(), CLAIM_TTL_SECONDS);
    },
    async release(key) {
      await redis.eval(RELEASE, 1, keyOf(key), workerId);
    },
  };
}

/** A claim's value; anything else under our key is an error that names it. */
function parseHolder(raw: string, redisKey: string): ClaimHolder {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    data = null;
  }
  const { worker, at, taskId } = (data ?? {}) as Record<string, unknown>;
  if (typeof worker !== 'string' || typeof at !== 'string' || (taskId !== undefined && typeof taskId !== 'string')) {
    throw new CreateClaimError(redisKey, raw);
  }
  return taskId === undefined ? { worker, at } : { worker, at, taskId };
}
