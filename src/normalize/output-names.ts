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
