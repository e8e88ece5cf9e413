import { lstat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readOwnRecord } from '../shared/read-own-record.js';
import { writeAtomically } from '../shared/write-atomically.js';

/** Beside fix's outputs: what fix wrote in the folder, so that a file it did not write is never replaced. */
export const OUTPUT_MANIFEST_NAME = '.seedance-preflight-outputs.json';

/** About 80,000 entries: a longer manifest is none fix wrote. */
export const OUTPUT_MANIFEST_MAX_BYTES = 8 * 1024 * 1024;

/** Enough of a file to tell "the file fix wrote, untouched since" from anything else: a replacement has another inode, an edit another size or time. */
export interface WrittenFile {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Pure: whether what lies under a name now is the file fix wrote there (a link or folder never is: fix writes regular files). */
export function isWrittenFile(recorded: WrittenFile | undefined, now: WrittenFile & { regularFile: boolean }): boolean {
  return recorded !== undefined && now.regularFile && recorded.size === now.size && recorded.mtimeMs === now.mtimeMs && recorded.ino === now.ino;
}

/** One output folder's manifest: read once, checked before any encode, updated as each output takes its name. */
export class OutputManifest {
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string, private readonly files: Map<string, WrittenFile>) {}

  /**
   * The folder's manifest; none (or one fix cannot have written: a link, a FIFO, anything but a regular file, too long,
   * unreadable) is an empty one, so every file already there counts as the user's: nothing untrusted is ever replaced.
   */
  static async open(dir: string): Promise<OutputManifest> {
    const text = await readOwnRecord(join(dir, OUTPUT_MANIFEST_NAME), OUTPUT_MANIFEST_MAX_BYTES);
    return new OutputManifest(dir, parseManifest(text));
  }

  /** What lies under the name in the folder: nothing, the file fix wrote, a file changed since, or one fix did not write. Fix replaces only the first two. */
  async state(name: string): Promise<'absent' | 'ours' | 'changed' | 'foreign'> {
    const info = await lstat(join(this.dir, name)).catch(() => null);
    if (!info) return 'absent';
    const recorded = this.files.get(name);
    if (isWrittenFile(recorded, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, regularFile: info.isFile() })) return 'ours';
    return recorded ? 'changed' : 'foreign';
  }

  /** Records an output that just took its name; writes are queued, so outputs finishing at once all land in the manifest. */
  record(path: string): Promise<void> {
    if (dirname(path) !== this.dir) throw new Error(`${path} is not in ${this.dir}`);
    const next = this.writing.then(async () => {
      const info = await lstat(path);
      this.files.set(basename(path), { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
      await writeAtomically(join(this.dir, OUTPUT_MANIFEST_NAME), formatManifest(this.files));
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Pure: the manifest's entries, skipping any that is malformed. */
export function parseManifest(text: string | null): Map<string, WrittenFile> {
  const files = new Map<string, WrittenFile>();
  if (text === null) return files;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return files;
  }
  const entries = (data as { files?: unknown } | null)?.files;
  if (!entries || typeof entries !== 'object') return files;
  for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
    const v = value as Partial<WrittenFile> | null;
    if (v && typeof v.size === 'number' && typeof v.mtimeMs === 'number' && typeof v.ino === 'number') files.set(name, { size: v.size, mtimeMs: v.mtimeMs, ino: v.ino });
  }
  return files;
}

export function formatManifest(files: ReadonlyMap<string, WrittenFile>): string {
  const sorted = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ about: 'files seedance-preflight fix wrote in this folder: a file not listed here (or changed since) is never replaced', files: sorted }, null, 2)}\n`;
}
