import { throwIfCancelled } from '../shared/cancel.js';

/**
 * The account's limit on tasks in flight. A job holds a slot from before its create until its task's wait ends (not
 * per call: a slot freed between create and wait would let another job create meanwhile, past the limit).
 */
export interface TaskSlots {
  /** Waits for a slot for this job's task (idempotent per key: a job that already holds one keeps it). */
  acquire(jobKey: string, signal?: AbortSignal): Promise<void>;
  /** The task ended (or the job stopped): the slot is free. */
  release(jobKey: string): Promise<void>;
}

/** In-memory slots for one process (a local batch): at most `limit` keys hold one; waiters are served first come, first served. */
export function localTaskSlots(limit: number): TaskSlots {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the task limit must be a whole number of at least 1, not ${limit}`);
  const holders = new Set<string>();
  const waiters: { key: string; grant: () => void }[] = [];
  const serve = () => {
    while (holders.size < limit && waiters.length) {
      const next = waiters.shift()!;
      holders.add(next.key);
      next.grant();
    }
  };
  return {
    async acquire(jobKey, signal) {
      throwIfCancelled(signal, 'waiting for a task slot');
      if (holders.has(jobKey)) return;
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          key: jobKey,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          try {
            throwIfCancelled(signal, 'waiting for a task slot');
          } catch (error) {
            reject(error);
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
        serve();
      });
    },
    async release(jobKey) {
      holders.delete(jobKey);
      serve();
    },
  };
}
