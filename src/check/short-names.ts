import { dirname, sep } from 'node:path';

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|data:)/i;

/**
 * Pure: file names for a list in one sentence: paths (absolute, or relative as given) without the folders they all
 * share (`c1.mp4`, `b/c2.mp4`), so a list of seven stays short wherever the command ran; URLs as they are.
 */
export function shortNames(names: readonly string[]): string[] {
  const paths = names.filter((name) => !URL_LIKE.test(name));
  if (!paths.length) return [...names];
  const folders = paths.map((name) => dirname(name).split(sep));
  const shared = folders.reduce((common, parts) => common.slice(0, commonLength(common, parts)));
  // a name in the root itself ('/c1.mp4') or the current folder ('c1.mp4') shares no folder to drop
  const drop = shared.filter(Boolean).length && shared.join(sep) !== '.' ? shared.length : 0;
  return names.map((name) => (URL_LIKE.test(name) ? name : name.split(sep).slice(drop).join(sep)));
}

function commonLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
