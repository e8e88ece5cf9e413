import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * A path's real location (symlinks resolved by the kernel: one call, no walk). A path that does not exist keeps its name
 * under its folder's real path, so a missing "../x.png" is still judged by where it would be.
 */
export function realLocation(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    let folder: string;
    try {
      folder = realpathSync.native(dirname(path));
    } catch {
      folder = resolve(dirname(path));
    }
    return join(folder, basename(path));
  }
}

/** The folder's own real path (a folder that cannot be resolved is taken as written). */
export function realFolder(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return resolve(dir);
  }
}

/** Pure: whether `real` lies strictly inside `realDir` (both already resolved); the folder itself is not inside. */
export function isInside(real: string, realDir: string): boolean {
  const rel = relative(realDir, real);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

/** Where a path really is, and whether that is inside the folder: the one judgement of "outside the job" for media and text alike. */
export function locateInFolder(path: string, dir: string): { resolved: string; inside: boolean } {
  const resolved = realLocation(path);
  return { resolved, inside: isInside(resolved, realFolder(dir)) };
}
