/**
 * A fetch for reading a remote file's header by ranges, never the whole of a big file: every Range is clamped to one
 * chunk, every body byte counts against a per-URL budget, and the whole read shares one deadline and the caller's signal.
 */

/** At most this many body bytes are read per URL (all requests together): enough for any header or MP4 index we judge. */
export const REMOTE_READ_BUDGET_BYTES = 4 * 1024 * 1024;
/** One ranged request asks for at most this much (an open "bytes=N-" from the reader becomes N..N+64 KiB-1). */
export const REMOTE_CHUNK_BYTES = 64 * 1024;

/** What one URL's reading cost and learnt about the file. */
export interface ReadStats {
  /** Body bytes received, over every request. */
  bytesRead: number;
  requests: number;
  /** The file's size: Content-Range's total, or Content-Length of a whole-file answer; null until known. */
  sizeBytes: number | null;
  /** The server answered a ranged request with the whole file (200): reading stops at the budget. */
  rangeIgnored: boolean;
}

/** The budget ran out: thrown into the body stream, so the reader stops where it is. */
export class BudgetExceededError extends Error {
  constructor(readonly budget: number) {
    super(`read budget of ${budget} bytes spent`);
  }
}

export interface BudgetFetch {
  fetch: typeof fetch;
  stats: ReadStats;
  /** Fired by the budget, the deadline or the caller's signal: every request of this URL ends. */
  signal: AbortSignal;
  /** Why reading stopped, when it was stopped: 'budget', 'timeout' or 'cancelled'. */
  stoppedBy(): 'budget' | 'timeout' | 'cancelled' | null;
}

export function budgetFetch(options: { budget?: number; chunk?: number; timeoutMs: number; signal?: AbortSignal; fetchFn?: typeof fetch }): BudgetFetch {
  const budget = options.budget ?? REMOTE_READ_BUDGET_BYTES;
  const chunk = options.chunk ?? REMOTE_CHUNK_BYTES;
  const stats: ReadStats = { bytesRead: 0, requests: 0, sizeBytes: null, rangeIgnored: false };
  const own = new AbortController();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([own.signal, timeout, ...(options.signal ? [options.signal] : [])]);
  const base = options.fetchFn ?? fetch;

  const wrapped: typeof fetch = async (input, init) => {
    if (stats.bytesRead >= budget) own.abort(new BudgetExceededError(budget));
    signal.throwIfAborted();
    const headers = new Headers(init?.headers);
    const ranged = clampRange(headers.get('range'), chunk);
    if (ranged) headers.set('range', ranged);
    stats.requests += 1;
    const response = await base(input, { ...init, headers, redirect: 'follow', signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    learnSize(response, stats);
    if (ranged && response.status === 200) stats.rangeIgnored = true;
    if (!response.body) return response;
    const counted = counting(response.body);
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  /** Every body byte counted; past the budget the body is cut and every request of this URL aborted. */
  const counting = (body: ReadableStream<Uint8Array>) =>
    body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(bytes, controller) {
          const room = budget - stats.bytesRead;
          stats.bytesRead += Math.min(bytes.byteLength, Math.max(room, 0));
          if (bytes.byteLength > room) {
            // a server that ignores Range sends the whole file: what fits is passed on, then the body is cut
            if (room > 0) controller.enqueue(bytes.subarray(0, room));
            const error = new BudgetExceededError(budget);
            own.abort(error);
            controller.error(error);
            return;
          }
          controller.enqueue(bytes);
        },
      }),
    );

  return {
    fetch: wrapped,
    stats,
    signal,
    stoppedBy() {
      if (own.signal.aborted) return 'budget';
      if (options.signal?.aborted) return 'cancelled';
      if (timeout.aborted) return 'timeout';
      return null;
    },
  };
}

/** "bytes=N-" or "bytes=N-M" → at most `chunk` bytes from N; null for no (or another kind of) Range. Pure. */
export function clampRange(range: string | null, chunk: number): string | null {
  const match = range?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return null;
  const start = Number(match[1]);
  const askedEnd = match[2] ? Number(match[2]) : Number.POSITIVE_INFINITY;
  return `bytes=${start}-${Math.min(askedEnd, start + chunk - 1)}`;
}

/** The total from "Content-Range: bytes 0-65535/761788", or a whole-file answer's Content-Length. Pure but for `stats`. */
function learnSize(response: Response, stats: ReadStats): void {
  const total = response.headers.get('content-range')?.match(/\/(\d+)\s*$/);
  if (total) stats.sizeBytes = Number(total[1]);
  else if (response.status === 200) {
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > 0) stats.sizeBytes = length;
  }
}
