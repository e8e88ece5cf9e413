import { dirname, isAbsolute, relative, sep } from 'node:path';

/**
 * Pure: file names for a list in one sentence: local paths relative to the folder they share (`c1.mp4`, `b/c2.mp4`),
 * so a list of seven stays short wherever the command ran; URLs and other references as they are.
 */
export function shortNames(names: readonly string[]): string[] {
  const local = names.filter((name) => isAbsolute(name));
  if (!local.length) return [...names];
  const shared = local.map((name) => dirname(name).split(sep)).reduce((common, parts) => common.slice(0, commonLength(common, parts)));
  const base = shared.join(sep) || sep;
  return names.map((name) => (isAbsolute(name) ? relative(base, name) : name));
}

function commonLength(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
