/**
 * The rate of a job's progress updates (pure): an event goes out at once when the last update is `intervalMs` old, else
 * it waits, replacing the waiting one of the same key (a file's encode, a file's upload, the task), and the oldest waiting
 * goes out at the next tick; a flush (a new stage, the job's end) sends every waiting one, so a stage's last state is
 * never lost.
 */
export interface ThrottleState<T> {
  readonly intervalMs: number;
  lastAt: number | null;
  readonly pending: Map<string, T>;
}

export type ThrottleInput<T> = { type: 'event'; at: number; key: string; value: T } | { type: 'tick'; at: number } | { type: 'flush'; at: number };

/** What to send now, and when to tick next (null: nothing waits). */
export interface ThrottleStep<T> {
  send: T[];
  wakeAt: number | null;
}

export function emptyThrottle<T>(intervalMs: number): ThrottleState<T> {
  return { intervalMs, lastAt: null, pending: new Map() };
}

/** Folds one input into the state (mutated in place). */
export function stepThrottle<T>(state: ThrottleState<T>, input: ThrottleInput<T>): ThrottleStep<T> {
  const send: T[] = [];
  if (input.type === 'flush') {
    send.push(...state.pending.values());
    state.pending.clear();
    // the caller's stage update goes out with the flush: the next event waits its interval after it
    state.lastAt = input.at;
    return { send, wakeAt: null };
  }
  // a key already waiting keeps its place in line: Map.set on an existing key keeps its order
  if (input.type === 'event') state.pending.set(input.key, input.value);
  const [first] = state.pending;
  if (first && (state.lastAt === null || input.at - state.lastAt >= state.intervalMs)) {
    state.pending.delete(first[0]);
    send.push(first[1]);
    state.lastAt = input.at;
  }
  return { send, wakeAt: state.pending.size ? state.lastAt! + state.intervalMs : null };
}
