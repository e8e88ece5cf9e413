import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const KEY_PATTERN = /^sk-sandbox-[0-9a-f]{32}$/;

export function newSandboxKey(): string {
  return `sk-sandbox-${randomBytes(16).toString('hex')}`;
}

/**
 * The sandbox folder's key: made once (mode 0600, only its owner reads it) and read by every later start, so the
 * settings a `sandbox` printed keep working after a restart. A file that is not such a key is replaced.
 */
export async function sandboxKey(file: string): Promise<string> {
  const kept = await readKey(file);
  if (kept) return kept;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = newSandboxKey();
  // O_EXCL: two starts at once agree on the first one's key (the loser reads it)
  const handle = await open(file, 'wx', 0o600).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
    const other = await readKey(file);
    if (other) return null;
    // not a key (empty, damaged): replaced
    const replaced = await open(file, 'w', 0o600);
    await replaced.chmod(0o600);
    return replaced;
  });
  if (!handle) return (await readKey(file))!;
  try {
    await handle.writeFile(`${key}\n`);
  } finally {
    await handle.close();
  }
  return key;
}

/** The key the folder holds, or null (none, or not a sandbox key). */
export async function readKey(file: string): Promise<string | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  const key = text?.trim() ?? '';
  return KEY_PATTERN.test(key) ? key : null;
}
