import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { ProbeResult } from './media-info.js';
import { probeFile, type ProbeOptions } from './probe-file.js';
import type { ProbeCache } from './probe-cache.js';

export interface ProbeManyOptions extends ProbeOptions {
  /** Files probed at once; defaults to the number of cores. */
  concurrency?: number;
  cache?: ProbeCache;
  /** Called after each file, for progress display. */
  onProbed?: (done: number, total: number, path: string) => void;
}

/** Probes files in parallel, answering from the cache where a file is unchanged. Results keep the input order. */
export async function probeMany(paths: readonly string[], options: ProbeManyOptions = {}): Promise<ProbeResult[]> {
  const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
  let done = 0;
  const results = await Promise.all(
    paths.map((path) =>
      limit(async () => {
        let result = await options.cache?.get(path);
        if (!result) {
          result = await probeFile(path, options);
          await options.cache?.set(path, result);
        }
        options.onProbed?.(++done, paths.length, path);
        return result;
      }),
    ),
  );
  await options.cache?.save();
  return results;
}
