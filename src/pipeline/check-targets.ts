import { statSync } from 'node:fs';
import pLimit from 'p-limit';
import { dirname, extname, relative } from 'node:path';
import { fieldForKind } from '../check/aggregate-rules.js';
import { checkJob, mergeReports, type CheckReport } from '../check/check-job.js';
import type { CheckInput, JobMedia, JobReport } from '../check/job.js';
import { makeViolation } from '../check/make-violation.js';
import { hasErrors, type Violation } from '../check/violation.js';
import type { ProbeResult } from '../probe/media-info.js';
import type { ProbeCache } from '../probe/probe-cache.js';
import { probeMany } from '../probe/probe-many.js';
import { REFERENCE_MODEL, type Profile } from '../spec/profile.js';
import { ruleSource } from '../spec/rule-sources.js';
import { contentTypeFits, verifyUrl, type UrlCheck } from '../upload/verify-url.js';
import { checkRemoteMedia, remoteNotMedia, remoteUnread } from '../check/remote-rules.js';
import { readRemote, type RemoteRead } from '../probe/remote/read-remote.js';
import { REMOTE_READ_BUDGET_BYTES } from '../probe/remote/budget-fetch.js';
import { shownUrl } from '../probe/remote/url-name.js';
import { isInside, realFolder, realLocation } from '../shared/inside-folder.js';
import { isMediaName, scanAssetFolder } from './asset-folder.js';
import { inputFileViolation, outsideJobViolation } from './input-file-violation.js';
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
  /** Also GET each media URL (status, content type) and read its facts by ranges, so the file rules judge it. */
  remote?: boolean;
  /** URLs already read by this process (fix's second check of the request it wrote): each URL is read once. */
  remoteReads?: RemoteReads;
  onProbed?: (done: number, total: number, path: string) => void;
  /** Let a request or asset folder name local files outside its folder (off: such a file is file.outside_job, and never opened). */
  allowOutsidePaths?: boolean;
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

/** A job's local file that resolves outside the job's folder: reported as file.outside_job, never probed. */
interface OutsideFile {
  resolved: string;
  jobDir: string;
}

type PendingJob =
  | { type: 'request'; loaded: LoadedRequest; outside: Map<string, OutsideFile> }
  | { type: 'folder'; dir: string; candidates: string[]; prompt: string | null; loadViolations: Violation[]; outside: Map<string, OutsideFile> }
  | { type: 'files'; paths: string[] };

/** Loads every target, probes all local media at once (in parallel, cached), and runs every rule. */
export async function checkTargets(options: CheckTargetsOptions): Promise<CheckOutcome> {
  const pending: PendingJob[] = [];
  const looseFiles: string[] = [];
  const missingPaths: string[] = [];

  const allow = { allowOutsidePaths: options.allowOutsidePaths };
  const requestJob = async (file: string): Promise<PendingJob> => {
    const loaded = await loadRequestFile(file, allow);
    return { type: 'request', loaded, outside: outsideFiles(loaded.media.flatMap((m) => (m.path ? [m.path] : [])), dirname(file), options) };
  };
  if (options.requestFile) pending.push(await requestJob(options.requestFile));
  for (const path of options.paths ?? []) {
    const kind = pathKind(path);
    if (kind === 'missing') missingPaths.push(path);
    if (kind !== 'directory') {
      looseFiles.push(path);
      continue;
    }
    const folder = await scanAssetFolder(path, allow);
    if (folder.requestFile) pending.push(await requestJob(folder.requestFile));
    else {
      // a prompt.txt that was refused is named, and --prompt does not stand in for it: the folder says what its prompt is
      const loadViolations = folder.promptProblem ? [inputFileViolation(path, folder.promptProblem, 'request.prompt')] : [];
      const prompt = folder.promptProblem ? null : folder.promptText || options.prompt || null;
      pending.push({ type: 'folder', dir: path, candidates: folder.candidates, prompt, loadViolations, outside: outsideFiles(folder.candidates, path, options) });
    }
  }
  if (looseFiles.length) pending.push({ type: 'files', paths: looseFiles });

  const localPaths = [...new Set(pending.flatMap(localPathsOf))];
  const probes = new Map<string, ProbeResult>();
  const results = await probeMany(localPaths, { cache: options.cache, concurrency: options.concurrency, signal: options.signal, onProbed: options.onProbed });
  localPaths.forEach((path, i) => probes.set(path, results[i]!));

  const ignored: string[] = [];
  const inputs = pending.map((job) => toCheckInput(job, probes, ignored));
  if (options.remote) await checkRemote(inputs, options.profile, options.signal, options.remoteReads ?? new Map());
  const jobs = inputs.map((input, j) => withoutMissingPrompt(withOutsideFiles(checkJob(input, options.profile), pending[j]!), pending[j]!));
  return { report: mergeReports(jobs), jobs, inputs, missingPaths, ignored };
}

/** A folder whose prompt.txt was refused has its prompt named once, by that refusal, not again as "missing". */
function withoutMissingPrompt(report: JobReport, job: PendingJob): JobReport {
  if (job.type !== 'folder' || job.loadViolations.length === 0) return report;
  const violations = report.request.violations.filter((v) => v.rule !== 'request.prompt' || job.loadViolations.includes(v));
  return { ...report, request: { ok: !hasErrors(violations), violations } };
}

/** The local files that get probed: a job's files outside its folder are not among them. */
function localPathsOf(job: PendingJob): string[] {
  if (job.type === 'request') return job.loaded.media.flatMap((m) => (m.path && !job.outside.has(m.path) ? [m.path] : []));
  if (job.type === 'folder') return job.candidates.filter((path) => !job.outside.has(path));
  return job.paths;
}

/** Which of a job's local files resolve (symbolic links included) outside its folder; none when they are allowed to. */
function outsideFiles(paths: readonly string[], jobDir: string, options: CheckTargetsOptions): Map<string, OutsideFile> {
  const outside = new Map<string, OutsideFile>();
  if (options.allowOutsidePaths) return outside;
  const realDir = realFolder(jobDir);
  for (const path of paths) {
    const resolved = realLocation(path);
    if (!isInside(resolved, realDir)) outside.set(path, { resolved, jobDir });
  }
  return outside;
}

/**
 * The probe result of a file outside the job, made without opening it: a failure, so fix leaves the file alone and
 * writes no request for the job. Its report then carries file.outside_job (withOutsideFiles).
 */
function outsideProbe(path: string, file: OutsideFile): ProbeResult {
  const detail = `it ${file.resolved === path ? 'is' : `resolves to ${file.resolved},`} outside the job's folder ${file.jobDir}; nothing outside a job is opened`;
  return { ok: false, failure: { path, code: 'unreadable', detail, extension: extname(path).slice(1).toLowerCase(), sizeBytes: null, format: null } };
}

/** A job's report with each outside file's violation named for what it is: file.outside_job, not an unreadable file. */
function withOutsideFiles(report: JobReport, job: PendingJob): JobReport {
  if (job.type === 'files' || job.outside.size === 0) return report;
  const files = report.files.map((file) => {
    const outside = job.outside.get(file.path);
    if (!outside) return file;
    return { ...file, ok: false, violations: [outsideJobViolation(file.path, file.path, outside.resolved, outside.jobDir)] };
  });
  return { ...report, files };
}

function toCheckInput(job: PendingJob, probes: Map<string, ProbeResult>, ignored: string[]): CheckInput {
  if (job.type === 'request') {
    const outside = job.outside;
    const media = job.loaded.media.map((m) => ({ ...m, probe: m.path ? (outside.has(m.path) ? outsideProbe(m.path, outside.get(m.path)!) : probes.get(m.path)!) : null }));
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
    const outside = job.outside.get(path);
    const probe = outside ? outsideProbe(path, outside) : probes.get(path)!;
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
  return { label: job.dir, request, media, loadViolations: job.loadViolations };
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

/** Each media URL once per check: reachability and content type (a GET of the first bytes), then its facts by a bounded ranged read. */
export type RemoteReads = Map<string, Promise<{ check: UrlCheck; read: RemoteRead | null }>>;

/** URLs read at once: enough to overlap round trips, few enough not to look like a flood to one CDN. */
const REMOTE_CONCURRENCY = 6;

async function checkRemote(inputs: CheckInput[], profile: Profile, signal: AbortSignal | undefined, reads: RemoteReads): Promise<void> {
  const limit = pLimit(REMOTE_CONCURRENCY);
  await Promise.all(
    inputs.map(async (input) => {
      const remote = input.media.filter((m) => m.path === null && m.field !== null);
      const found = await Promise.all(remote.map((m) => limit(() => remoteMedia(m, input, profile, signal, reads))));
      input.loadViolations.push(...found.flat());
    }),
  );
}

/** One URL's violations; its facts (when read) become its probe, so the request's totals and kinds count it as they count a file. */
async function remoteMedia(media: JobMedia, input: CheckInput, profile: Profile, signal: AbortSignal | undefined, reads: RemoteReads): Promise<Violation[]> {
  let pending = reads.get(media.ref);
  if (!pending) {
    pending = (async () => {
      const check = await verifyUrl(media.ref, { signal });
      return { check, read: check.ok ? await readRemote(media.ref, { signal }) : null };
    })();
    reads.set(media.ref, pending);
  }
  const { check, read } = await pending;
  const found = [remoteViolation(media, check, input.label)].filter((v): v is Violation => v !== null);
  if (!read) return found;
  const where = `${media.field}[${media.index}]`;
  const shown = shownUrl(media.ref);
  const stats = { bytesRead: read.stats.bytesRead, requests: read.stats.requests, sizeBytes: read.stats.sizeBytes, rangeIgnored: read.stats.rangeIgnored };
  if (!read.ok) {
    media.remote = { ...stats, note: read.reason };
    found.push(read.notMedia ? remoteNotMedia(shown, read.reason) : remoteUnread(shown, where, read.reason));
    return found;
  }
  media.probe = { ok: true, info: read.info };
  media.remote = { ...stats, note: read.missing.length ? `not read within the budget: ${read.missing.join(', ')}` : null };
  if (read.missing.length) found.push(remoteUnread(shown, where, `not within the first ${Math.round(REMOTE_READ_BUDGET_BYTES / 1024 / 1024)} MiB`, read.missing));
  found.push(...checkRemoteMedia(read.info, media, input.request, profile));
  return found;
}

function remoteViolation(media: JobMedia, result: UrlCheck, label: string): Violation | null {
  const kind = media.field === 'image_urls' ? 'image' : media.field === 'video_urls' ? 'video' : 'audio';
  const where = `${media.field}[${media.index}]`;
  const shown = shownUrl(media.ref);
  if (!result.ok) {
    return makeViolation({ rule: 'request.url_unreachable', subject: label, actual: result.status ?? result.error, problem: `${where} ${shown} is not reachable: ${result.error}`, fix: 'make the URL publicly readable (or upload the file and use its URL)', fixable: false, source: ruleSource('request.url_unreachable') });
  }
  const fit = contentTypeFits(result.contentType, kind);
  if (fit === 'ok') return null;
  return makeViolation({
    rule: 'request.url_content_type',
    severity: fit === 'wrong' ? 'error' : 'warning',
    subject: label,
    actual: result.contentType,
    problem: `${where} ${shown} is served as ${result.contentType ?? 'no content type'}, not ${kind}/*`,
    fix: `serve it with a ${kind}/* Content-Type`,
    fixable: false,
    source: ruleSource('request.url_content_type'),
  });
}
