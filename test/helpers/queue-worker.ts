import type { Redis } from 'ioredis';
import { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from '../../src/queue/worker.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { sandboxClient } from './sandbox-client.js';
import { sandboxUpload } from './sandbox-job.js';

/**
 * A queue worker in this process against a sandbox: its store, a fast-polling client made with the fleet's hooks, one
 * job of each kind at a time, a 5 s lock, and task slots granted at once on a new queue (no recovery time: only
 * test/queue/redis-loss.test.ts loses Redis's keys, and it gives the workers the default); `extra` overrides any of it.
 */
export function startSandboxWorker(sandbox: Sandbox, redis: Redis, queueName: string, extra: Partial<QueueWorkerOptions> = {}): QueueWorker {
  return startQueueWorker({
    redis,
    queueName,
    upload: sandboxUpload(sandbox),
    env: { ...process.env, ...sandbox.env },
    apiClient: (hooks) => sandboxClient(sandbox, { poll: { initialDelayMs: 50, maxDelayMs: 100 }, ...hooks }),
    mediaConcurrency: 1,
    apiConcurrency: 1,
    lockDurationMs: 5000,
    taskSlotRecoveryMs: 0,
    log: () => undefined,
    ...extra,
  });
}
