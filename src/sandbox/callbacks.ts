import { describeNetworkError } from '../shared/describe-network-error.js';
import { abortableSleep } from '../submit/sleep.js';

/** One callback POST attempt, as the simulator records it. */
export interface CallbackAttempt {
  taskId: string;
  url: string;
  attempt: number;
  /** The receiver's status, or null when it did not answer. */
  status: number | null;
  error: string | null;
  at: number;
}

export interface CallbackPolicy {
  /** TASKS.md: 10 s timeout per attempt. */
  timeoutMs: number;
  /** TASKS.md: up to 3 retries, 1, 2 and 4 s after a failure. */
  retryDelaysMs: readonly number[];
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { timeoutMs: 10_000, retryDelaysMs: [1000, 2000, 4000] };

/** POSTs the task to its callback URL until a 2xx answer or the retries run out; records every attempt. */
export async function deliverCallback(taskId: string, url: string, body: unknown, policy: CallbackPolicy, record: (attempt: CallbackAttempt) => void, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; attempt <= policy.retryDelaysMs.length + 1; attempt++) {
    if (signal.aborted) return false;
    const at = Date.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'seedance-sandbox-callback' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(policy.timeoutMs)]),
      });
      await response.body?.cancel();
      record({ taskId, url, attempt, status: response.status, error: null, at });
      if (response.status >= 200 && response.status < 300) return true;
    } catch (error) {
      if (signal.aborted) return false;
      record({ taskId, url, attempt, status: null, error: describeNetworkError(error), at });
    }
    const delay = policy.retryDelaysMs[attempt - 1];
    if (delay === undefined) return false;
    // a stop ends the wait early; the next turn of the loop then returns
    await abortableSleep(delay, signal).catch(() => {});
  }
  return false;
}
