import { basename, extname, join, resolve } from 'node:path';
import { NAME_LIMIT_BYTES, truncateUtf8 } from '../shared/temp-file.js';

/** An image that cannot fit its cap otherwise becomes WebP (fix-file): its name may grow to that extension. */
const LONGEST_SWAPPED_EXTENSION = 'webp';

/**
 * Pure: one output path per source inside `dir`, named after the source with the extension its output will have.
 * Names never collide with each other, nor with a source file (so fixing into the source's own folder overwrites nothing),
 * and stay within the file system's name limit (the stem is shortened, never the extension).
 */
export function assignOutputPaths(entries: readonly { source: string; extension: string }[], dir: string): string[] {
  const taken = new Set(entries.map((e) => resolve(e.source)));
  return entries.map(({ source, extension }) => {
    const stem = basename(source, extname(source)) || 'media';
    const longest = Math.max(Buffer.byteLength(extension), LONGEST_SWAPPED_EXTENSION.length);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      const room = NAME_LIMIT_BYTES - 1 - longest - suffix.length;
      const candidate = resolve(join(dir, `${truncateUtf8(stem, room)}${suffix}.${extension}`));
      if (taken.has(candidate)) continue;
      taken.add(candidate);
      return candidate;
    }
  });
}
