import { randomBytes } from 'node:crypto';
import { basename, extname, join, resolve } from 'node:path';

/**
 * Pure: one output path per source inside `dir`, named after the source with the extension its output will have.
 * Names never collide with each other, nor with a source file (so fixing into the source's own folder overwrites nothing).
 */
export function assignOutputPaths(entries: readonly { source: string; extension: string }[], dir: string): string[] {
  const taken = new Set(entries.map((e) => resolve(e.source)));
  return entries.map(({ source, extension }) => {
    const stem = basename(source, extname(source)) || 'media';
    for (let n = 1; ; n++) {
      const candidate = resolve(join(dir, `${n === 1 ? stem : `${stem}-${n}`}.${extension}`));
      if (taken.has(candidate)) continue;
      taken.add(candidate);
      return candidate;
    }
  });
}

/** A hidden, clearly temporary name beside an output (".name.1a2b3c4d.partial.mp4"): a killed run never leaves a file under a final name. */
export function partialPath(dir: string, stem: string, extension: string): string {
  return join(dir, `.${stem}.${randomBytes(4).toString('hex')}.partial.${extension}`);
}

/** True for a name partialPath made: what a killed run left behind. */
export function isPartialName(name: string): boolean {
  return /^\..+\.[0-9a-f]{8}\.partial\.[a-z0-9]+$/.test(name);
}
