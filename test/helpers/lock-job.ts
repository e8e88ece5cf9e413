import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOLDER_FILE, LOCK_DIR } from '../../src/pipeline/job-lock.js';
import type { LockHolder } from '../../src/pipeline/lock-holder.js';
import { waitFor } from './cli-process.js';
import { fixture } from './fixtures.js';

/** A small job that needs no fix (a 1280×720 JPEG, a 3 s MP3, prompt.txt naming it): a run is mostly start-up and its task. */
export async function writeLockJob(dir: string, name: string): Promise<{ folder: string; prompt: string }> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const prompt = `Lock test ${folder}: image 1 with audio 1.`;
  await Promise.all([copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'still.jpg')), copyFile(fixture('valid-3s.mp3'), join(folder, 'music.mp3')), writeFile(join(folder, 'prompt.txt'), `${prompt}\n`)]);
  return { folder, prompt };
}

/** The holder recorded in a folder job's default work folder, or null. */
export async function recordedHolder(folder: string): Promise<LockHolder | null> {
  const text = await readFile(join(folder, '.seedance-preflight', HOLDER_FILE), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as LockHolder);
}

/** Resolves once some process holds the folder's lock and has recorded itself (`command`, when given). */
export async function lockTaken(folder: string, command?: string, detail?: () => string): Promise<LockHolder> {
  let holder: LockHolder | null = null;
  await waitFor(async () => {
    holder = await recordedHolder(folder);
    const held = await stat(join(folder, '.seedance-preflight', LOCK_DIR)).then(() => true, () => false);
    return held && holder !== null && (command === undefined || holder.command === command);
  }, `the lock of ${folder}${command ? ` by ${command}` : ''}`, { timeoutMs: 60_000, everyMs: 20, detail: () => `${JSON.stringify(holder)}; ${detail?.() ?? ''}` });
  return holder!;
}

/** Every entry under `root` with its kind, size and mtime (the lock folder's mtime left out: it is the heartbeat). */
export async function treeSnapshot(root: string): Promise<string[]> {
  const entries = (await readdir(root, { recursive: true })).sort();
  return Promise.all(
    entries.map(async (entry) => {
      const s = await stat(join(root, entry));
      if (s.isDirectory()) return `${entry}/${entry.endsWith(LOCK_DIR) ? '' : ` ${s.mtimeMs}`}`;
      return `${entry} ${s.size} ${s.mtimeMs} ${s.ino}`;
    }),
  );
}
