import { basename, dirname, join, resolve } from 'node:path';

/** The report's thumbnail folder: report.html → report.assets beside it. */
export function assetsDirFor(file: string): string {
  const path = resolve(file);
  return join(dirname(path), `${basename(path).replace(/\.html?$/i, '')}.assets`);
}
