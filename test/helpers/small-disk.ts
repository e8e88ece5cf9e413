import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, statfs, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small file system of its own (tmpfs), to fill: a full disk made for real. */
export interface SmallDisk {
  /** Its mount point. */
  dir: string;
  /** Writes a file that takes every free byte (the write fails with ENOSPC, keeping what fit), then gives back `leaveKiB`. */
  fill(leaveKiB?: number): Promise<void>;
  /** Free bytes for an unprivileged writer, as statfs says. */
  freeBytes(): Promise<number>;
  /** Remounts it read-only. */
  readOnly(): void;
  unmount(): Promise<void>;
}

/**
 * Mounts a tmpfs of `kib` KiB on a fresh folder; mounting needs root (CAP_SYS_ADMIN). Resolves to the reason it cannot
 * be mounted instead, for the test to print and skip on.
 */
export async function mountSmallDisk(kib: number): Promise<SmallDisk | string> {
  const dir = await mkdtemp(join(tmpdir(), 'sp-small-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0777`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    return `cannot mount a ${kib} KiB tmpfs to fill (${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()}): a full disk needs root`;
  }
  return {
    dir,
    async fill(leaveKiB = 0) {
      const filler = join(dir, 'filler');
      const error = await writeFile(filler, Buffer.alloc(kib * 1024 + 4096, 1)).then(() => null, (e: NodeJS.ErrnoException) => e);
      if (error?.code !== 'ENOSPC') throw new Error(`filling ${dir} did not end in ENOSPC (${error?.code ?? 'it fit'})`);
      if (leaveKiB > 0) await truncate(filler, Math.max(0, (await stat(filler)).size - leaveKiB * 1024));
    },
    async freeBytes() {
      const room = await statfs(dir);
      return room.bavail * room.bsize;
    },
    readOnly() {
      const remounted = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
      if (remounted.status !== 0) throw new Error(`cannot remount ${dir} read-only: ${remounted.stderr}`);
    },
    async unmount() {
      spawnSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
