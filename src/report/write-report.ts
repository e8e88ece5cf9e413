import { availableParallelism, tmpdir } from 'node:os';
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { CheckOutcome } from '../pipeline/check-targets.js';
import type { FixOutcome } from '../pipeline/fix-targets.js';
import type { RunJobResult } from '../pipeline/run-job.js';
import type { MediaInfo } from '../probe/media-info.js';
import { defaultCacheDir, ProbeCache } from '../probe/probe-cache.js';
import { probeMany } from '../probe/probe-many.js';
import type { Profile } from '../spec/profile.js';
import { SEED_PROFILE } from '../spec/seed-profile.js';
import { PreflightError } from '../shared/errors.js';
import { displayPath, displayPathsIn } from '../shared/display-path.js';
import { redactForOutput } from '../shared/redact.js';
import { writeAtomically } from '../shared/write-atomically.js';
import { assetsDirFor } from './assets-dir.js';
import { buildReportHtml } from './build-report-html.js';
import { modelFromCheck, modelFromFix, modelFromRuns, type ModelContext } from './model-from-results.js';
import type { ReportModel, Thumbnails } from './report-model.js';
import { ThumbnailStore, type StoredThumbnails } from './thumbnail-store.js';

/** The results a report is made of: one command's outcome. */
export type ReportResults =
  | { check: CheckOutcome }
  | { fix: FixOutcome }
  | { run: readonly RunJobResult[]; dryRun?: boolean }
  | { batch: readonly RunJobResult[]; dryRun?: boolean };

export interface WriteReportOptions {
  /** The HTML file; thumbnails go to the sibling folder FILE.assets/ (for report.html: report.assets/). */
  file: string;
  profile?: Profile;
  /** Where thumbnails are kept between reports (default: the cache folder's "thumbnails"); null keeps none. */
  thumbnailCacheDir?: string | null;
  /** Probe results to reuse for files the results carry no facts for (run and batch keep only the fixes). */
  probeCache?: ProbeCache;
  /** Files drawn at once (default: the number of cores). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The report's time (default: now). */
  now?: Date;
  /** Paths are shown relative to this folder, as typed from there (default: the process's working folder). */
  cwd?: string;
  /** Whose secret values are masked in the report (default: the process's environment). */
  env?: NodeJS.ProcessEnv;
}

export interface WrittenReport {
  file: string;
  assetsDir: string;
  thumbnails: number;
  /** The HTML and every thumbnail together. */
  bytes: number;
}

/** Marks an assets folder as the report's own: only such a folder is ever replaced. */
const ASSETS_MARKER = '.seedance-preflight-report';

/** A report that cannot be written where asked: names the path, and what to do in `hint`. */
export class ReportError extends PreflightError {
  readonly kind = 'report';
  constructor(readonly path: string, message: string, hint: string) {
    super(`${message}: ${hint}`, { hint });
  }
}

/** Results in, a self-contained HTML report out: FILE.html, and its thumbnails in FILE.assets/ (written whole, then swapped in). */
export async function writeReport(results: ReportResults, options: WriteReportOptions): Promise<WrittenReport> {
  const file = resolve(options.file);
  const cwd = resolve(options.cwd ?? process.cwd());
  const assetsDir = assetsDirFor(file);
  await refuseForeignAssets(assetsDir);
  const infos = await sourceInfos(results, options);
  const targets = thumbnailTargets(results, infos);

  const scratch = options.thumbnailCacheDir === null ? await mkdtemp(join(tmpdir(), 'seedance-thumbnails-')) : null;
  const store = new ThumbnailStore(scratch ?? options.thumbnailCacheDir ?? join(defaultCacheDir(), 'thumbnails'));
  const staging = `${assetsDir}.${process.pid}.partial`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, ASSETS_MARKER), 'thumbnails of the report beside this folder; replaced whenever the report is written again\n');
    const limit = pLimit(Math.max(1, options.concurrency ?? availableParallelism()));
    const stored = new Map<string, StoredThumbnails | null>();
    await Promise.all([...targets].map(([path, info]) => limit(async () => stored.set(path, await store.get(info, options.signal)))));

    const assetsName = basename(assetsDir);
    const copied = new Set<string>();
    let bytes = 0;
    const thumbs = new Map<string, Thumbnails>();
    for (const [path, entry] of stored) {
      if (!entry) continue;
      const names = [entry.main, ...entry.frames];
      for (const name of names) {
        const asset = `${entry.key}-${name}`;
        if (copied.has(asset)) continue;
        copied.add(asset);
        await copyFile(join(entry.dir, name), join(staging, asset));
        bytes += (await stat(join(staging, asset))).size;
      }
      thumbs.set(path, { kind: entry.kind, main: `${assetsName}/${entry.key}-${entry.main}`, frames: entry.frames.map((f) => `${assetsName}/${entry.key}-${f}`), frameTimes: entry.frameTimes });
    }

    const ctx: ModelContext = {
      profile: options.profile ?? SEED_PROFILE,
      generatedAt: (options.now ?? new Date()).toISOString(),
      thumbs: (path) => thumbs.get(resolve(path)) ?? null,
      href: (path) => relative(dirname(file), resolve(path)).split(sep).join('/'),
      info: (path) => infos.get(resolve(path)) ?? null,
      display: (path) => displayPath(path, cwd),
      displayText: (sentence) => displayPathsIn(sentence, cwd),
    };
    // the redaction policy: a URL's credentials and the environment's secrets never reach a report that may be mailed
    const html = redactForOutput(buildReportHtml(reportModel(results, ctx)), options.env ?? process.env);
    await swapIn(staging, assetsDir);
    await writeAtomically(file, html);
    return { file, assetsDir, thumbnails: copied.size, bytes: bytes + Buffer.byteLength(html) };
  } finally {
    await rm(staging, { recursive: true, force: true });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** Pure dispatch: which model the results make. */
function reportModel(results: ReportResults, ctx: ModelContext): ReportModel {
  if ('check' in results) return modelFromCheck(results.check, ctx);
  if ('fix' in results) return modelFromFix(results.fix, results.fix.inputs, ctx);
  if ('run' in results) return modelFromRuns(results.run, 'run', Boolean(results.dryRun), ctx);
  return modelFromRuns(results.batch, 'batch', Boolean(results.dryRun), ctx);
}

/** Every local file the report draws, by absolute path: sources, fixed outputs and result videos. */
function thumbnailTargets(results: ReportResults, infos: ReadonlyMap<string, MediaInfo>): Map<string, MediaInfo> {
  const targets = new Map<string, MediaInfo>();
  const add = (info: MediaInfo | null | undefined) => {
    if (info) targets.set(resolve(info.path), info);
  };
  if ('check' in results) for (const f of results.check.report.files) add(f.info);
  else if ('fix' in results) {
    for (const input of results.fix.inputs) for (const m of input.media) add(m.probe?.ok ? m.probe.info : null);
    for (const job of results.fix.jobs) for (const f of job.files) add(writtenOutput(f));
  } else {
    for (const r of 'run' in results ? results.run : results.batch) for (const f of r.fixed) add(writtenOutput(f));
  }
  for (const info of infos.values()) add(info);
  return targets;
}

/** A fixed copy that was kept; a rejected one was removed, and only its facts remain (nothing to draw). */
function writtenOutput(f: { ok: boolean; output: string | null; outputInfo: MediaInfo | null }): MediaInfo | null {
  return f.ok && f.output && f.outputInfo ? { ...f.outputInfo, path: f.output } : null;
}

/** Run and batch results carry no probe of their sources or result videos: probe those (cached where the run probed them). */
async function sourceInfos(results: ReportResults, options: WriteReportOptions): Promise<Map<string, MediaInfo>> {
  const infos = new Map<string, MediaInfo>();
  if ('check' in results || 'fix' in results) return infos;
  const runs = 'run' in results ? results.run : results.batch;
  const paths = [...new Set(runs.flatMap((r) => [...r.fixed.map((f) => resolve(f.path)), ...(r.result ? [resolve(r.result.path)] : [])]))];
  const probes = await probeMany(paths, { cache: options.probeCache ?? ProbeCache.inMemory(), concurrency: options.concurrency, signal: options.signal });
  probes.forEach((probe, i) => {
    if (probe.ok) infos.set(paths[i]!, probe.info);
  });
  return infos;
}

async function refuseForeignAssets(assetsDir: string): Promise<void> {
  const existing = await stat(assetsDir).catch(() => null);
  if (!existing) return;
  const marked = existing.isDirectory() && (await stat(join(assetsDir, ASSETS_MARKER)).catch(() => null)) !== null;
  if (!marked) throw new ReportError(assetsDir, `the report's thumbnail folder ${assetsDir} already exists and was not written by seedance-preflight`, 'move it away or choose another report file name');
}

/** The new assets folder replaces the old one: old moved aside, new renamed in, old removed. */
async function swapIn(staging: string, assetsDir: string): Promise<void> {
  const old = `${assetsDir}.${process.pid}.old`;
  const hadOld = await rename(assetsDir, old).then(() => true, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return false;
    throw error;
  });
  await rename(staging, assetsDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
