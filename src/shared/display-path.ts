import { relative, resolve } from 'node:path';

/** A URL (remote media, a store's address) or a data URI: shown as it is, never as a path. */
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|data:)/i;

/**
 * Pure: a path as every output shows it (text, JSON, report): relative to the folder the command ran in, as the user
 * would type it from there (`demo/clip.webm`, `../out/clip.mp4`, `.`), never absolute; URLs unchanged.
 */
export function displayPath(path: string, cwd: string): string {
  if (path === '' || URL_LIKE.test(path)) return path;
  const base = resolve(cwd);
  // another drive (Windows) has no relative form: the absolute path is the only one that can be typed
  return relative(base, resolve(base, path)) || '.';
}
