import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { ProbeResult } from './media-info.js';
import { loadSharp } from './image-probe.js';
import { probeSniffed, sniffFile, type ProbeOptions, type SniffedFile } from './probe-file.js';
import type { ProbeCache } from './probe-cache.js';

export interface ProbeManyOptions extends ProbeOptions {
  /** Files probed at once; defaults to the number of cores. */
  concurrency?: number;
  cache?: ProbeCache;
  /** Called after each file, for progress display. */
  onProbed?: (done: number, total: number, path: string) => void;
}

type Sniffed = Extract<SniffedFile, { ok: true }>;

/**
 * Probes files in parallel, answering from the cache where a file is unchanged. Results keep the input order.
 * Images wait until every ffprobe has been started: loading sharp blocks this thread for ~0.1 s, which would
 * otherwise stop new ffprobe processes from starting and leave cores idle.
 */
export async function probeMany(paths: readonly string[], options: ProbeManyOptions = {}): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(paths.length);
  let done = 0;
  const finish = (index: number, result: ProbeResult, identity?: Sniffed['identity']) => {
    results[index] = result;
    options.onProbed?.(++done, paths.length, paths[index]!);
    if (identity) options.cache?.set(paths[index]!, result, identity);
  };

  // cache hits and sniffing first: microseconds each, so every ffprobe can start back to back
  const streams: Array<{ index: number; file: Sniffed }> = [];
  const images: Array<{ index: number; file: Sniffed }> = [];
  for (const [index, path] of paths.entries()) {
    const cached = options.cache?.get(path);
    if (cached) {
      finish(index, cached);
      continue;
    }
    const file = await sniffFile(path);
    if (!file.ok) finish(index, file.result, file.identity);
    // an unsure sniff goes to ffprobe with the streams
    else (file.kind === 'image' ? images : streams).push({ index, file });
  }

  const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
  let sharp: Promise<unknown> | undefined;
  const probe = ({ index, file }: { index: number; file: Sniffed }) =>
    limit(async () => {
      const probing = probeSniffed(file, options); // a stream's ffprobe is spawned by the time this returns
      // once the last queued file has started, sharp may load while the final ffprobe processes run
      if (images.length && !sharp && limit.pendingCount === 0) {
        sharp = loadSharp();
        sharp.catch(() => {}); // awaited below, where a failure to load is reported
      }
      return finish(index, await probing, file.identity);
    });
  await Promise.all(streams.map(probe));
  if (images.length) await (sharp ?? loadSharp());
  await Promise.all(images.map(probe));
  await options.cache?.save();
  return results;
}
