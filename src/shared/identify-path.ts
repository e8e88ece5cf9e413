import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { PathIdentity } from './output-guard.js';

/** The file system's facts about `path` for the output guard: its resolved and real paths, its inode, what it is (nothing is opened). */
export async function identifyPath(path: string): Promise<PathIdentity> {
  const lexical = resolve(path);
  const info = await stat(lexical).catch(() => null);
  const type = !info ? 'missing' : info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'other';
  return { lexical, real: await realPath(lexical), inode: info ? `${info.dev}:${info.ino}` : null, type };
}

/** The real path, or for a path not there yet (or a dangling link) its nearest existing ancestor's real path plus the rest. */
async function realPath(path: string): Promise<string> {
  const real = await realpath(path).catch(() => null);
  if (real) return real;
  const parent = dirname(path);
  if (parent === path) return path;
  return join(await realPath(parent), basename(path));
}
