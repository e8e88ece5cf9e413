import { CancelledError } from '../shared/cancel.js';
import { WaitTimeoutError } from './errors.js';
import { pollDelay, type PollPolicy } from './poll-policy.js';
import { isTerminal, type Task } from './task.js';

export interface WaitOptions {
  /** Give up after this long (milliseconds); the task goes on at the provider. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told of every answer, the terminal one included. */
  onProgress?: (task: Task) => void;
  /** Overrides of the client's poll policy for this wait. */
  poll?: Partial<PollPolicy>;
}

export interface WaitContext {
  getTask: (taskId: string, options: { signal?: AbortSignal }) => Promise<Task>;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  poll: PollPolicy;
}

/** Polls until the task is completed, failed or cancelled, and resolves with it; throws WaitTimeoutError, or CancelledError when the caller's signal fires. */
export async function waitForTask(taskId: string, options: WaitOptions, context: WaitContext): Promise<Task> {
  const policy = { ...context.poll, ...options.poll };
  const deadline = new AbortController();
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(new Error('wait timed out')), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let last: Task | null = null;
  try {
    for (let i = 0; ; i++) {
      last = await context.getTask(taskId, { signal });
      options.onProgress?.(last);
      if (isTerminal(last)) return last;
      await context.sleep(pollDelay(i, policy, context.random), signal);
    }
  } catch (error) {
    // the user's abort wins over our deadline; our deadline becomes a typed timeout
    if (options.signal?.aborted) throw new CancelledError(`waiting for task ${taskId}`, options.signal.reason, error);
    if (deadline.signal.aborted) throw new WaitTimeoutError(last, options.timeoutMs!, taskId);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
