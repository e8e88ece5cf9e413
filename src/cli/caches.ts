import { join } from 'node:path';
import { FixCache } from '../normalize/fix-cache.js';
import { ProbeCache, defaultCacheDir } from '../probe/probe-cache.js';

/** The probe cache and the fixed-output cache (its 'fixed' folder) in the cache folder; neither when disabled (--no-cache). */
export async function openCaches(env: NodeJS.ProcessEnv, enabled: boolean): Promise<{ probeCache?: ProbeCache; fixCache?: FixCache }> {
  if (!enabled) return {};
  const cacheDir = defaultCacheDir(env);
  return { probeCache: await ProbeCache.open(cacheDir), fixCache: new FixCache(join(cacheDir, 'fixed')) };
}
