import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetPause } from '../../src/queue/fleet-pause.js';
import { CancelledError } from '../../src/shared/cancel.js';
import type { RetryEvent } from '../../src/submit/http.js';
import { deleteKeys, REDIS_REQUIRED, redisMissing, testRedis, uniqueName } from '../helpers/redis.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const missing = await redisMissing();
if (missing && !REDIS_REQUIRED) console.warn(`test/queue/fleet-pause.test.ts skipped: ${missing}`);

it.runIf(missing && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
});

const TEXT = { model: 'seedance-2.0-text-to-video', prompt: 'a frog', duration: 4 };

describe.skipIf(missing)('fleetPause: a 429 anywhere pauses every worker\'s API requests', () => {
  const box = useSandbox('sp-fleet-pause-', { taskDurationMs: 300 });
  // two workers: each its own Redis connection and its own API client, one queue name between them
  let redisA: Redis;
  let redisB: Redis;
  const queues: string[] = [];
  beforeAll(() => {
    [redisA, redisB] = [testRedis(), testRedis()];
  });
  afterAll(async () => {
    for (const queue of queues) await deleteKeys(redisA, `seedance-preflight:${queue}:*`);
    await Promise.all([redisA.quit(), redisB.quit()]);
  });
  const queue = () => {
    const name = uniqueName('pause-test');
    queues.push(name);
    return name;
  };

  it('worker A\'s create answered 429 (Retry-After 1 s): worker B\'s next request is not sent before the pause ends; both creates then succeed', async () => {
    const queueName = queue();
    const [pauseA, pauseB] = [fleetPause(redisA, { queueName }), fleetPause(redisB, { queueName })];
    let recorded: Promise<void> | undefined;
    const retries: RetryEvent[] = [];
    const clientA = sandboxClient(box.sandbox, {
      beforeRequest: pauseA.before,
      onRetry: (event) => {
        retries.push(event);
        // what the worker does: the fleet pauses for the retry's delay
        recorded = pauseA.pauseFor(event.delayMs);
      },
    });
    const clientB = sandboxClient(box.sandbox, { beforeRequest: pauseB.before });
    const sim = box.sandbox.simulator;
    const logFrom = sim.requestLog().length;
    sim.failNext(429, 1, { retryAfterSeconds: 1, only: 'create' });
    const taskA = clientA.createTask(TEXT);
    // B asks once the pause is in Redis (A's 429 has been answered by then)
    while (!recorded) await new Promise((resolve) => setTimeout(resolve, 5));
    await recorded;
    const taskB = await clientB.createTask(TEXT);
    await taskA;
    expect(retries.map((r) => [r.operation, r.attempt, r.delayMs, r.error?.status])).toEqual([['create', 1, 1000, 429]]);
    const log = sim.requestLog().slice(logFrom);
    expect(log.map((e) => [e.kind, e.status])).toEqual([['create', 429], ['create', 200], ['create', 200]]);
    const [refused, ...after] = log;
    // neither B's create nor A's retry left before the pause ended, a second after the 429
    for (const entry of after) expect(entry.at - refused!.at).toBeGreaterThanOrEqual(1000);
    expect(sim.createdTasks().map((t) => t.id)).toContain(taskB.id);
  });

  it('a pause only ever extends: a shorter one leaves the longer in place', async () => {
    const queueName = queue();
    const pause = fleetPause(redisA, { queueName });
    await pause.pauseFor(60_000);
    await pause.pauseFor(100);
    const key = `seedance-preflight:${queueName}:api-paused-until`;
    expect(await redisA.pttl(key)).toBeGreaterThan(59_000);
    const [seconds] = await redisA.time();
    expect(Number(await redisA.get(key)) - Number(seconds) * 1000).toBeGreaterThan(59_000);
  });

  it('before() returns at once with no pause, and a wait for a pause ends with a CancelledError when its signal fires', async () => {
    const queueName = queue();
    const pause = fleetPause(redisB, { queueName });
    await pause.before();
    await pause.pauseFor(60_000);
    const controller = new AbortController();
    const waiting = pause.before(controller.signal);
    setTimeout(() => controller.abort('SIGTERM'), 20);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe("waiting out the fleet's rate-limit pause was cancelled");
    expect((error as CancelledError).reason).toBe('SIGTERM');
  });

  it('onRetry pauses the fleet and calls rateLimit on a 429 only', async () => {
    const queueName = queue();
    const limited: number[] = [];
    const pause = fleetPause(redisA, { queueName, rateLimit: async (ms) => void limited.push(ms) });
    const key = `seedance-preflight:${queueName}:api-paused-until`;
    pause.onRetry({ operation: 'query', attempt: 1, delayMs: 30_000, error: null, reason: 'socket hang up' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await redisA.pttl(key)).toBe(-2);
    pause.onRetry({ operation: 'query', attempt: 1, delayMs: 30_000, error: { status: 429 } as RetryEvent['error'], reason: 'HTTP 429' });
    for (let i = 0; i < 100 && (await redisA.pttl(key)) < 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await redisA.pttl(key)).toBeGreaterThan(29_000);
    expect(limited).toEqual([30_000]);
  });

  it('onRetry tells onError when the pause could not be recorded', async () => {
    const broken = testRedis();
    await broken.quit();
    const errors: string[] = [];
    const pause = fleetPause(broken, { queueName: queue(), onError: (error) => errors.push(error.message) });
    pause.onRetry({ operation: 'create', attempt: 1, delayMs: 1000, error: { status: 429 } as RetryEvent['error'], reason: 'HTTP 429' });
    for (let i = 0; i < 100 && !errors.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors).toEqual(['Connection is closed.']);
  });
});
