import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of a committed fixture (fixtures/media/NAME). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/media/${name}`, import.meta.url));
}

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(prefix = 'sp-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
