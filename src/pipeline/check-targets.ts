import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { fieldForKind } from '../check/aggregate-rules.js';
import { checkJob, mergeReports, type CheckReport } from '../check/check-job.js';
import type { CheckInput, JobMedia, JobReport } from '../check/job.js';
import { makeViolation } from '../check/make-violation.js';
import type { Violation } from '../check/violation.js';
import type { ProbeResult } from '../probe/media-info.js';
import type { ProbeCache } from '../probe/probe-cache.js';
import { probeMany } from '../probe/probe-many.js';
import { REFERENCE_MODEL, type Profile } from '../spec/profile.js';
import { contentTypeFits, verifyUrl } from '../upload/verify-url.js';
import { isMediaName, scanAssetFolder } from './asset-folder.js';
import { loadRequestFile, type LoadedRequest } from './request-file.js';

export interface CheckTargetsOptions {
  /** Files and asset folders. */
  paths?: readonly string[];
  /** A request file (local paths relative to it, or URLs). */
  requestFile?: string;
  profile: Profile;
  /** Prompt for asset folders without request.json or prompt.txt. */
  prompt?: string;
  cache?: ProbeCache;
  concurrency?: number;
  signal?: AbortSignal;
  /** Also GET each media URL and check its status and content type. */
  remote?: boolean;
  onProbed?: (done: number, total: number, path: string) => void;
}

export interface CheckOutcome {
  report: CheckReport;
  jobs: JobReport[];
  /** What each job was checked from (request, media entries and probes), in the order of `jobs`. */
  inputs: CheckInput[];
  /** Command-line paths that do not exist (a usage error: exit 2). */
  missingPaths: string[];
  /** Files in asset folders that are not media and were left out. */
  ignored: string[];
}

type PendingJob =
  | { type: 'request'; loaded: LoadedRequest }
  | { type: 'folder'; dir: string; candidates: string[]; prompt: string | null }
  | { type: 'files'; paths: string[] };

/** Loads every target, probes all local media at once (in parallel, cached), and runs every rule. */
export async function checkTargets(options: CheckTargetsOptions): Promise<CheckOutcome> {
  const pending: PendingJob[] = [];
  const looseFiles: string[] = [];
  const missingPaths: string[] = [];

  if (options.requestFile) pending.push({ type: 'request', loaded: await loadRequestFile(options.requestFile) });
  for (const path of options.paths ?? []) {
    const kind = pathKind(path);
    if (kind === 'missing') missingPaths.push(path);
    if (kind !== 'directory') {
      looseFiles.push(path);
      continue;
    }
    const folder = await scanAssetFolder(path);
    if (folder.requestFile) pending.push({ type: 'request', loaded: await loadRequestFile(folder.requestFile) });
    else pending.push({ type: 'folder', dir: path, candidates: folder.candidates, prompt: folder.promptText || options.prompt || null });
  }
  if (looseFiles.length) pending.push({ type: 'files', paths: looseFiles });

  const localPaths = [...new Set(pending.flatMap(localPathsOf))];
  const probes = new Map<string, ProbeResult>();
  const results = await probeMany(localPaths, { cache: options.cache, concurrency: options.concurrency, signal: options.signal, onProbed: options.onProbed });
  localPaths.forEach((path, i) => probes.set(path, results[i]!));

  const ignored: string[] = [];
  const inputs = pending.map((job) => toCheckInput(job, probes, ignored));
  if (options.remote) await checkRemote(inputs, options.signal);
  const jobs = inputs.map((input) => checkJob(input, options.profile));
  return { report: mergeReports(jobs), jobs, inputs, missingPaths, ignored };
}

function localPathsOf(job: PendingJob): string[] {
  if (job.type === 'request') return job.loaded.media.flatMap((m) => (m.path ? [m.path] : []));
  if (job.type === 'folder') return job.candidates;
  return job.paths;
}

function toCheckInput(job: PendingJob, probes: Map<string, ProbeResult>, ignored: string[]): CheckInput {
  if (job.type === 'request') {
    const media = job.loaded.media.map((m) => ({ ...m, probe: m.path ? probes.get(m.path)! : null }));
    return { label: job.loaded.label, request: job.loaded.request, media, loadViolations: job.loaded.loadViolations };
  }
  if (job.type === 'files') {
    return { label: 'files', request: null, media: job.paths.map((path, index) => ({ field: null, index, ref: path, path, probe: probes.get(path)! })), loadViolations: [] };
  }
  // an asset folder: classify by content, number each kind in natural name order
  const request: Record<string, unknown> = { model: REFERENCE_MODEL };
  if (job.prompt) request.prompt = job.prompt;
  const media: JobMedia[] = [];
  for (const path of job.candidates) {
    const probe = probes.get(path)!;
    if (!probe.ok && isIgnorable(probe, path)) {
      ignored.push(path);
      continue;
    }
    const field = probe.ok ? fieldForKind(probe.info.kind) : null;
    const ref = relative(job.dir, path);
    if (field) request[field] = [...((request[field] as string[] | undefined) ?? []), ref];
    const index = field ? (request[field] as string[]).length - 1 : -1;
    media.push({ field, index, ref, path, probe });
  }
  return { label: job.dir, request, media, loadViolations: [] };
}

/** A non-media file in an asset folder (notes.txt, an empty .keep) is not the user's media: leave it out quietly. */
function isIgnorable(probe: Extract<ProbeResult, { ok: false }>, path: string): boolean {
  return (probe.failure.code === 'unknown_format' || probe.failure.code === 'empty') && !isMediaName(path);
}

/** Synchronous like the probe's sniffing: one stat per command-line path, where an await each costs more. */
function pathKind(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
}

async function checkRemote(inputs: CheckInput[], signal: AbortSignal | undefined): Promise<void> {
  await Promise.all(
    inputs.map(async (input) => {
      const remote = input.media.filter((m) => m.path === null && m.field !== null);
      const found = await Promise.all(remote.map((m) => remoteViolation(m, input.label, signal)));
      input.loadViolations.push(...found.filter((v): v is Violation => v !== null));
    }),
  );
}

async function remoteViolation(media: JobMedia, label: string, signal: AbortSignal | undefined): Promise<Violation | null> {
  const kind = media.field === 'image_urls' ? 'image' : media.field === 'video_urls' ? 'video' : 'audio';
  const where = `${media.field}[${media.index}]`;
  const result = await verifyUrl(media.ref, { signal });
  const source = 'LIMITS.md reference media: URLs must be directly reachable by the provider';
  if (!result.ok) {
    return makeViolation({ rule: 'request.url_unreachable', subject: label, actual: result.status ?? result.error, problem: `${where} ${media.ref} is not reachable: ${result.error}`, fix: 'make the URL publicly readable (or upload the file and use its URL)', fixable: false, source });
  }
  const fit = contentTypeFits(result.contentType, kind);
  if (fit === 'ok') return null;
  return makeViolation({
    rule: 'request.url_content_type',
    severity: fit === 'wrong' ? 'error' : 'warning',
    subject: label,
    actual: result.contentType,
    problem: `${where} ${media.ref} is served as ${result.contentType ?? 'no content type'}, not ${kind}/*`,
    fix: `serve it with a ${kind}/* Content-Type`,
    fixable: false,
    source,
  });
}
