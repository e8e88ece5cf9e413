import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/shared/cancel.js';
import { localTaskSlots } from '../../src/pipeline/task-slots.js';

/** Settles pending promise callbacks, so "not granted yet" is observed after everything that could run has run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('localTaskSlots', () => {
  it('grants up to the limit; a key that holds a slot keeps it; waiters are served in order as slots free', async () => {
    const slots = localTaskSlots(2);
    const granted: string[] = [];
    const take = (key: string) => slots.acquire(key).then(() => void granted.push(key));
    await Promise.all([take('a'), take('b')]);
    void take('c');
    void take('d');
    await take('a');
    await flush();
    expect(granted).toEqual(['a', 'b', 'a']);
    await slots.release('b');
    await flush();
    expect(granted).toEqual(['a', 'b', 'a', 'c']);
    await slots.release('a');
    await flush();
    expect(granted).toEqual(['a', 'b', 'a', 'c', 'd']);
    // releasing a key that holds nothing frees nothing
    await slots.release('zzz');
    const e = take('e');
    await flush();
    expect(granted).toHaveLength(5);
    await slots.release('c');
    await e;
    expect(granted.at(-1)).toBe('e');
  });

  it('a wait aborted by its signal ends with a CancelledError and gives up its place', async () => {
    const slots = localTaskSlots(1);
    await slots.acquire('a');
    const controller = new AbortController();
    const waiting = slots.acquire('b', controller.signal);
    const after = slots.acquire('c');
    controller.abort('SIGTERM');
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe('waiting for a task slot was cancelled');
    expect((error as CancelledError).reason).toBe('SIGTERM');
    await slots.release('a');
    await after;
    await expect(slots.acquire('d', AbortSignal.abort('SIGINT'))).rejects.toThrow('waiting for a task slot was cancelled');
  });

  it('refuses a limit below 1', () => {
    expect(() => localTaskSlots(0)).toThrow('the task limit must be a whole number of at least 1, not 0');
  });
});
