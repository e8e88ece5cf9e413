import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ToolName } from './binaries.js';

/** The first regular, executable file named `name` in the folders of PATH, or null. */
export function findOnPath(name: ToolName, env: NodeJS.ProcessEnv): string | null {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not ours to run: the next folder
    }
  }
  return null;
}

/** The year a build was made, from "-version"'s "Copyright (c) 2000-2018 the FFmpeg developers"; null when absent. */
export function toolYear(versionOutput: string): number | null {
  const match = /Copyright \(c\) \d{4}-(\d{4})/.exec(versionOutput);
  return match ? Number(match[1]) : null;
}
