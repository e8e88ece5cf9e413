import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let made = 0;

/** A fresh project folder under `dir` with its own .git (the upward search ends in it) and `config` as its config file. */
export function projectFolder(dir: string, config: object | null): string {
  const root = join(dir, `project-${made++}`);
  mkdirSync(join(root, '.git'), { recursive: true });
  if (config) writeFileSync(join(root, 'seedance-preflight.config.json'), JSON.stringify(config));
  return root;
}
