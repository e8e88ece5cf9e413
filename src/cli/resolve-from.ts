import { resolve } from 'node:path';

/**
 * A path argument resolved against the command's folder; kept as typed when that folder is the process's own, so the
 * messages of the layers below name it as the user did (outputs show every path through displayPath either way).
 */
export function resolveFrom(cwd: string, path: string): string {
  return cwd === process.cwd() ? path : resolve(cwd, path);
}
