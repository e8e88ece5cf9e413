import { relative, resolve, sep } from 'node:path';

/** A URL (remote media, a store's address) or a data URI: shown as it is, never as a path. */
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|data:)/i;

/**
 * Pure: a path as every output shows it (text, JSON, report): relative to the folder the command ran in, as the user
 * would type it from there (`demo/clip.webm`, `../out/clip.mp4`, `.`); absolute only when the two share no folder but
 * the root (`/tmp/job/clip.mp4` from `/home/ana/work`, not `../../../tmp/job/clip.mp4`); URLs unchanged.
 */
export function displayPath(path: string, cwd: string): string {
  if (path === '' || URL_LIKE.test(path)) return path;
  const base = resolve(cwd);
  const target = resolve(base, path);
  // another drive (Windows) has no relative form: the absolute path is the only one that can be typed
  const shown = relative(base, target) || '.';
  return topFolder(base) !== topFolder(target) ? target : shown;
}

/** The first folder under the root ('' for the root itself). */
function topFolder(path: string): string {
  return path.split(sep).find(Boolean) ?? '';
}

/**
 * Pure: a sentence with the paths under the command's folder shown as displayPath shows them (`/w/jobs/a/x.png` →
 * `jobs/a/x.png`, the folder itself → `.`). Only that exact prefix at the start of a path is rewritten: paths outside
 * the folder stay as written (a sentence cannot be split into paths reliably), and no other text changes.
 */
export function displayPathsIn(text: string, cwd: string): string {
  const base = resolve(cwd);
  if (base === sep) return text;
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[\\s"'(=,:])${escaped}(?:${sep === '\\' ? '\\\\' : sep}|(?=$|[\\s"'),;:]))`, 'g');
  return text.replace(pattern, (whole, before: string) => (whole.endsWith(sep) ? before : `${before}.`));
}
