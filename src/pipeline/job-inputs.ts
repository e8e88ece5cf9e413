import { open, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Profile } from '../spec/profile.js';
import { sha256File } from '../shared/sha256-file.js';
import { detectFormat, SNIFF_BYTES } from '../probe/detect-format.js';
import { isMediaName, scanAssetFolder } from './asset-folder.js';
import { canonicalJson, sha256Text, type JobInputs } from './fingerprint.js';
import { parseRequestText } from './request-file.js';

/** A job: an asset folder, or a request file. */
export type JobRef = { folder: string } | { requestFile: string };

/** A local file the job sends, named as its request or folder names it ("image_urls[0]", "clip.mp4"). */
export interface LocalMedia {
  entry: string;
  ref: string;
  path: string;
}

/** A source's content hash, kept with the stat it was taken under so an untouched file is not read again. */
export interface HashedSource {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A local path that resolves (symlinks included) outside the job's folder. */
export class OutsidePathError extends Error {
  constructor(readonly label: string, readonly media: LocalMedia, readonly resolved: string, readonly jobDir: string) {
    super(`${label}: ${media.entry} "${media.ref}" is outside the job's folder ${jobDir} (it resolves to ${resolved}); a job sends only media inside its own folder`);
    this.name = 'OutsidePathError';
  }
}

export interface ReadInputsOptions {
  profile: Profile;
  prompt?: string;
  fit: string;
  audioFormat: string;
  /** Hashes recorded by an earlier run: reused for files whose size and mtime are unchanged. */
  knownHashes?: readonly HashedSource[];
  allowOutsidePaths?: boolean;
}

export interface ReadInputs {
  inputs: JobInputs;
  hashes: HashedSource[];
}

/** The job's folder: the asset folder, or the request file's. */
function jobFolder(job: JobRef): string {
  return 'folder' in job ? resolve(job.folder) : dirname(resolve(job.requestFile));
}

/**
 * Reads what the job would send (fields, prompt, each local file's content hash) without probing anything, and
 * refuses local paths outside the job's folder unless allowed. The request file's own problems (missing, not JSON)
 * are left to the check stage, which names them; here they only make the inputs differ.
 */
export async function readJobInputs(job: JobRef, options: ReadInputsOptions): Promise<ReadInputs> {
  const jobDir = jobFolder(job);
  const folder = 'folder' in job ? await scanAssetFolder(jobDir).catch(() => null) : null;
  const requestFile = 'requestFile' in job ? resolve(job.requestFile) : folder?.requestFile ?? null;
  let request: Record<string, unknown>;
  let local: LocalMedia[];
  if (requestFile) {
    const text = await readFile(requestFile, 'utf8').catch(() => null);
    const loaded = text === null ? null : parseRequestText(text, requestFile);
    local = (loaded?.media ?? []).flatMap((m) => (m.path ? [{ entry: `${m.field}[${m.index}]`, ref: m.ref, path: m.path }] : []));
    request = loaded?.request ? { ...loaded.request } : { unreadable: text === null ? 'missing' : sha256Text(text) };
  } else {
    local = (folder?.candidates ?? []).map((path) => ({ entry: basename(path), ref: basename(path), path }));
    request = { prompt: folder?.promptText || options.prompt || null, files: {} };
  }
  const label = requestFile ?? jobDir;
  if (!options.allowOutsidePaths) await refuseOutsidePaths(label, local, jobDir);
  // what the check leaves out of a folder (notes.txt) is not sent: editing it changes nothing
  if (!requestFile) local = (await Promise.all(local.map(async (m) => ((await isFolderMedia(m.path)) ? [m] : [])))).flat();
  const hashes = await Promise.all(local.map((m) => hashSource(m.path, options.knownHashes ?? [])));
  const byPath = new Map(hashes.flatMap((h) => (h ? [[h.path, h.sha256] as const] : [])));
  const contentOf = (path: string) => `sha256:${byPath.get(path) ?? 'missing'}`;
  if (requestFile) {
    for (const m of local) {
      const [field, index] = m.entry.split(/[[\]]/) as [string, string];
      request[field] = (request[field] as unknown[]).map((value, i) => (i === Number(index) ? contentOf(m.path) : value));
    }
  } else {
    request.files = Object.fromEntries(local.map((m) => [m.entry, contentOf(m.path)]));
  }
  return { inputs: { request, profile: sha256Text(canonicalJson(options.profile)), fix: { fit: options.fit, audioFormat: options.audioFormat } }, hashes: hashes.filter((h): h is HashedSource => h !== null) };
}

async function refuseOutsidePaths(label: string, local: readonly LocalMedia[], jobDir: string): Promise<void> {
  const realDir = await realpath(jobDir).catch(() => jobDir);
  for (const media of local) {
    // a missing file is reported by the check stage; its folder is resolved, its name judged as written
    const resolved = await realpath(media.path).catch(async () => join(await realpath(dirname(media.path)).catch(() => resolve(dirname(media.path))), basename(media.path)));
    const inside = relative(realDir, resolved);
    if (inside === '' || inside.split(sep)[0] === '..' || isAbsolute(inside)) throw new OutsidePathError(label, media, resolved, jobDir);
  }
}

/** As the check decides (check-targets' isIgnorable): media-named, or bytes of a media format. */
async function isFolderMedia(path: string): Promise<boolean> {
  if (isMediaName(path)) return true;
  const file = await open(path, 'r').catch(() => null);
  if (!file) return true;
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return bytesRead > 0 && (await detectFormat(head.subarray(0, bytesRead))) !== null;
  } finally {
    await file.close();
  }
}

async function hashSource(path: string, known: readonly HashedSource[]): Promise<HashedSource | null> {
  const now = await stat(path).catch(() => null);
  if (!now?.isFile()) return null;
  const seen = known.find((k) => k.path === path && k.size === now.size && k.mtimeMs === now.mtimeMs);
  if (seen) return seen;
  // an unreadable file counts as missing here: the check stage names it and says what to do
  const hashed = await sha256File(path).catch(() => null);
  return hashed && { path, size: now.size, mtimeMs: now.mtimeMs, sha256: hashed.sha256 };
}
