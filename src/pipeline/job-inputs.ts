import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Profile } from '../spec/profile.js';
import { locateInFolder } from '../shared/inside-folder.js';
import { InputFileError, readTextFile } from '../shared/read-text-file.js';
import { sha256File } from '../shared/sha256-file.js';
import { detectFormat, SNIFF_BYTES } from '../probe/detect-format.js';
import { isMediaName, scanAssetFolder } from './asset-folder.js';
import { canonicalJson, sha256Text, type JobInputs } from './fingerprint.js';
import { redactUrls } from '../shared/redact.js';
import { parseRequestText, REQUEST_FILE_MAX_BYTES } from './request-file.js';

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

/** A local path (media, or the request file or prompt.txt itself) that resolves, symlinks included, outside the job's folder. */
export class OutsidePathError extends Error {
  constructor(readonly label: string, readonly media: LocalMedia, readonly resolved: string, readonly jobDir: string, readonly what: 'media' | 'text' = 'media') {
    super(
      what === 'media'
        ? `${label}: ${media.entry} "${media.ref}" is outside the job's folder ${jobDir} (it resolves to ${resolved}); a job sends only media inside its own folder`
        : `${label}: ${media.entry} is outside the job's folder ${jobDir} (it resolves to ${resolved}); a job reads its text files only from inside its own folder, and nothing of this one was read`,
    );
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
  const allow = Boolean(options.allowOutsidePaths);
  const folder = 'folder' in job ? await scanAssetFolder(jobDir, { allowOutsidePaths: allow }).catch(() => null) : null;
  const requestFile = 'requestFile' in job ? resolve(job.requestFile) : folder?.requestFile ?? null;
  let request: Record<string, unknown>;
  let local: LocalMedia[];
  if (requestFile) {
    const text = await readRequestText(requestFile, jobDir, allow);
    const loaded = typeof text === 'string' ? parseRequestText(text, requestFile) : null;
    local = (loaded?.media ?? []).flatMap((m) => (m.path ? [{ entry: `${m.field}[${m.index}]`, ref: m.ref, path: m.path }] : []));
    // unread or unusable: only a hash of the text (never the data, which may nest deeper than canonicalJson should walk)
    request = loaded?.request ? { ...loaded.request } : { unreadable: typeof text === 'string' ? sha256Text(text) : text.problem };
  } else {
    local = (folder?.candidates ?? []).map((path) => ({ entry: basename(path), ref: basename(path), path }));
    const problem = folder?.promptProblem ?? null;
    if (problem?.problem === 'outside') throw outsideText(jobDir, problem.path, jobDir);
    request = problem ? { prompt: null, promptUnreadable: problem.problem, files: {} } : { prompt: folder?.promptText || options.prompt || null, files: {} };
  }
  request = withCredentialsHashed(request);
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

/**
 * The request file's text, read as a text input of the job: outside the folder (a symbolic link elsewhere) is refused
 * before a byte is read; any other refusal (missing, a FIFO, too long) only makes the inputs differ, and the check names it.
 */
async function readRequestText(path: string, jobDir: string, allow: boolean): Promise<string | { problem: string }> {
  try {
    return await readTextFile(path, { what: 'request file', maxBytes: REQUEST_FILE_MAX_BYTES, ...(!allow && { jobDir }) });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (error.problem === 'outside') throw outsideText(path, path, jobDir);
    return { problem: error.problem };
  }
}

function outsideText(label: string, path: string, jobDir: string): OutsidePathError {
  const name = basename(path);
  return new OutsidePathError(label, { entry: name, ref: name, path }, locateInFolder(path, jobDir).resolved, jobDir, 'text');
}

async function refuseOutsidePaths(label: string, local: readonly LocalMedia[], jobDir: string): Promise<void> {
  for (const media of local) {
    // a missing file is reported by the check stage; its folder is resolved, its name judged as written
    const where = locateInFolder(media.path, jobDir);
    if (!where.inside) throw new OutsidePathError(label, media, where.resolved, jobDir);
  }
}

/** As the check decides (check-targets' isIgnorable): media-named, or bytes of a media format; never opens what is not a regular file. */
export async function isFolderMedia(path: string): Promise<boolean> {
  if (isMediaName(path)) return true;
  // a FIFO in the folder would block an open: kept, so the check names it (file.not_a_file)
  if (!(await stat(path).catch(() => null))?.isFile()) return true;
  const file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => null);
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

/**
 * The request's top-level strings (and string lists) that carry URL credentials, as hashes: the inputs are written to
 * the journal before the check refuses such a request, and a password must not land on disk; a change still shows.
 */
export function withCredentialsHashed(request: Record<string, unknown>): Record<string, unknown> {
  const hashed = (value: unknown) => (typeof value === 'string' && redactUrls(value) !== value ? `credentials:sha256:${sha256Text(value)}` : value);
  return Object.fromEntries(Object.entries(request).map(([key, value]) => [key, Array.isArray(value) ? value.map(hashed) : hashed(value)]));
}
