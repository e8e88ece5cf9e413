import type { CheckInput, JobMedia } from '../check/job.js';
import type { Violation } from '../check/violation.js';
import type { CheckOutcome } from '../pipeline/check-targets.js';
import type { FixedFileReport, FixOutcome } from '../pipeline/fix-targets.js';
import type { RunJobResult } from '../pipeline/run-job.js';
import type { MediaInfo, MediaKind } from '../probe/media-info.js';
import type { Profile } from '../spec/profile.js';
import { MEDIA_FIELDS, type MediaField } from '../spec/request-fields.js';
import { formatFixValue } from './format-facts.js';
import { durationBudgets, type TimedMedia } from './budgets.js';
import { planOperation } from './fix-operations.js';
import { linkPrompt, type MediaTargets } from './prompt-links.js';
import { jobOutcome } from '../pipeline/job-outcome.js';
import type { FixView, JobStatus, JobView, MediaCard, ReportModel, ReportSection, RequestView, Thumbnails } from './report-model.js';

/** What the pure model needs from the outside: thumbnails already rendered, links, and the limits. */
export interface ModelContext {
  profile: Profile;
  /** ISO time of the report. */
  generatedAt: string;
  /** The thumbnails of a local file (by its path as the results give it), or null. */
  thumbs: (path: string) => Thumbnails | null;
  /** A local file as a link relative to the report. */
  href: (path: string) => string;
  /** A path as the report shows it (shorter where it can be: relative to the working folder). */
  display?: (path: string) => string;
  /** The probe of a source the results carry no facts for (run results keep only the fixes). */
  info?: (path: string) => MediaInfo | null;
}

const FIELD_KIND: Record<MediaField, MediaKind> = { image_urls: 'image', video_urls: 'video', audio_urls: 'audio' };
const KEPT_FIELDS = ['model', 'duration', 'quality', 'aspect_ratio', 'generate_audio', 'content_filter', 'callback_url'] as const;

/** One file as the results describe it, before it becomes a card. */
interface FileEntry {
  path: string;
  kind: MediaKind | null;
  info: MediaInfo | null;
  failure: string | null;
  violations: Violation[];
  fixed: FixedFileReport | null;
}

/** A request's media entry: where it sits in the request and which local file (if any) it is. */
interface MediaEntry {
  field: MediaField;
  index: number;
  path: string | null;
}

interface SectionInput {
  title: string;
  request: Record<string, unknown> | null;
  requestViolations: Violation[];
  media: MediaEntry[];
  files: FileEntry[];
  costDrivers: RunJobResult['costDrivers'];
  job: Omit<JobView, 'id'> | null;
}

/** Pure: a check's results as a report. */
export function modelFromCheck(outcome: CheckOutcome, ctx: ModelContext): ReportModel {
  const sections = outcome.jobs.map((job, j): SectionInput => {
    const input = outcome.inputs[j]!;
    return {
      title: input.request ? input.label : 'Files',
      request: input.request,
      requestViolations: job.request.violations,
      media: mediaEntries(input),
      files: job.files.map((f) => ({ path: f.path, kind: f.kind, info: f.info, failure: failureOf(input, f.path), violations: f.violations, fixed: null })),
      costDrivers: null,
      job: null,
    };
  });
  return assemble('check', 'check', outcome.report.ok, sections, ctx);
}

/** Pure: a fix's results (and the inputs it was checked from, for the requests and the sources' facts) as a report. */
export function modelFromFix(outcome: FixOutcome, inputs: readonly CheckInput[], ctx: ModelContext): ReportModel {
  const sections = outcome.jobs.map((job, j): SectionInput => {
    const input = inputs[j] ?? null;
    return {
      title: input?.request ? job.label : 'Files',
      request: input?.request ?? null,
      requestViolations: job.request.violations,
      media: input ? mediaEntries(input) : [],
      files: job.files.map((f) => ({ path: f.path, kind: f.kind, info: (input && infoOf(input, f.path)) ?? ctx.info?.(f.path) ?? null, failure: input ? failureOf(input, f.path) : null, violations: f.violations, fixed: f })),
      costDrivers: null,
      job: null,
    };
  });
  return assemble('fix', outcome.dryRun ? 'fix --dry-run' : 'fix', outcome.ok, sections, ctx);
}

/** Pure: run or batch results as a report: a summary of the jobs, then each job's request and media. */
export function modelFromRuns(results: readonly RunJobResult[], command: 'run' | 'batch', dryRun: boolean, ctx: ModelContext): ReportModel {
  const sections = results.map((r): SectionInput => ({
    title: ctx.display?.(r.job) ?? r.job,
    request: r.request,
    requestViolations: [],
    media: r.request ? runMediaEntries(r) : [],
    files: r.fixed.map((f) => ({ path: f.path, kind: f.kind, info: ctx.info?.(f.path) ?? null, failure: null, violations: f.violations, fixed: f })),
    costDrivers: r.costDrivers,
    job: jobView(r, dryRun, ctx),
  }));
  return assemble(command, command + (dryRun ? ' --dry-run' : ''), results.every((r) => r.ok), sections, ctx);
}

function assemble(command: ReportModel['command'], title: string, ok: boolean, inputs: readonly SectionInput[], ctx: ModelContext): ReportModel {
  let cardNumber = 0;
  const sections = inputs.map((input, s): ReportSection => {
    const id = `job-${s + 1}`;
    const cards = input.files.map((file) => toCard(file, `card-${++cardNumber}`, ctx));
    const cardOf = (path: string | null) => (path === null ? null : (cards[input.files.findIndex((f) => f.path === path)] ?? null));
    for (const entry of input.media) cardOf(entry.path)?.names.push(`${FIELD_KIND[entry.field]} ${entry.index + 1}`);
    return { id, title: input.title, request: input.request ? requestView(input, cardOf, ctx) : null, cards, job: input.job ? { ...input.job, id } : null };
  });
  return { title: `seedance-preflight ${title}`, command, generatedAt: ctx.generatedAt, ok, jobs: sections.flatMap((s) => (s.job ? [s.job] : [])), sections };
}

function toCard(file: FileEntry, id: string, ctx: ModelContext): MediaCard {
  return { id, path: ctx.display?.(file.path) ?? file.path, kind: file.kind, info: file.info, failure: file.failure, violations: file.violations, thumbs: file.info ? ctx.thumbs(file.path) : null, names: [], fix: file.fixed ? fixView(file.fixed, file.info, ctx) : null };
}

function fixView(fixed: FixedFileReport, source: MediaInfo | null, ctx: ModelContext): FixView {
  const operation = planOperation(fixed.plan, fixed.output ?? 'OUTPUT', source);
  return {
    mode: fixed.mode,
    ok: fixed.ok,
    error: fixed.error,
    output: fixed.output && (ctx.display?.(fixed.output) ?? fixed.output),
    outputInfo: fixed.outputInfo,
    outputThumbs: fixed.output ? ctx.thumbs(fixed.output) : null,
    actions: fixed.actions.map((a) => ({ rule: a.rule, what: a.what, before: formatFixValue(a.before), after: formatFixValue(a.after), operation: operation.forAction(a) })),
    operation: operation.whole,
    ...(fixed.interrupted && { interrupted: fixed.interrupted }),
  };
}

function requestView(input: SectionInput, cardOf: (path: string | null) => MediaCard | null, ctx: ModelContext): RequestView {
  const request = input.request!;
  const targets: MediaTargets = { image: [], video: [], audio: [] };
  for (const field of MEDIA_FIELDS) {
    const entries = input.media.filter((m) => m.field === field).sort((a, b) => a.index - b.index);
    targets[FIELD_KIND[field]] = entries.map((m) => cardOf(m.path)?.id ?? null);
  }
  const timed: TimedMedia[] = [];
  for (const entry of input.media) {
    const kind = FIELD_KIND[entry.field];
    const card = cardOf(entry.path);
    const info = card?.info;
    if ((kind !== 'video' && kind !== 'audio') || !info || info.kind !== kind || info.duration === null) continue;
    const plan = input.files.find((f) => f.path === entry.path)?.fixed?.plan;
    const planned = plan && (plan.type === 'video' || plan.type === 'audio') ? plan.duration : null;
    timed.push({ kind, name: `${kind} ${entry.index + 1}`, target: card.id, seconds: info.duration, plannedSeconds: planned });
  }
  const limits = ctx.profile.request;
  return {
    label: input.title,
    model: typeof request.model === 'string' ? request.model : null,
    prompt: typeof request.prompt === 'string' ? linkPrompt(request.prompt, targets) : null,
    fields: KEPT_FIELDS.filter((name) => name !== 'model' && request[name] !== undefined).map((name) => ({ name, value: JSON.stringify(request[name]) })),
    counts: [
      { kind: 'image', count: targets.image.length, max: limits.maxImages.value },
      { kind: 'video', count: targets.video.length, max: limits.maxVideos.value },
      { kind: 'audio', count: targets.audio.length, max: limits.maxAudios.value },
    ],
    budgets: durationBudgets(timed, ctx.profile),
    violations: input.requestViolations,
    costDrivers: input.costDrivers,
  };
}

function mediaEntries(input: CheckInput): MediaEntry[] {
  return input.media.flatMap((m: JobMedia) => (m.field ? [{ field: m.field, index: m.index, path: m.path }] : []));
}

function infoOf(input: CheckInput, path: string): MediaInfo | null {
  const probe = input.media.find((m) => m.path === path)?.probe;
  return probe?.ok ? probe.info : null;
}

function failureOf(input: CheckInput, path: string): string | null {
  const probe = input.media.find((m) => m.path === path)?.probe;
  return probe && !probe.ok ? probe.failure.detail : null;
}

/**
 * A run's request holds URLs: each is traced back to its fixed file through the uploads, and in a dry run (nothing
 * uploaded yet) by position among the fixed files of that kind, which keep the request's order.
 */
function runMediaEntries(r: RunJobResult): MediaEntry[] {
  const entries: MediaEntry[] = [];
  const uploads = r.uploads ?? [];
  for (const field of MEDIA_FIELDS) {
    const refs = r.request![field];
    if (!Array.isArray(refs)) continue;
    const sameKind = r.fixed.filter((f) => (f.outputInfo?.kind ?? f.kind) === FIELD_KIND[field]);
    refs.forEach((ref, index) => {
      const upload = uploads.find((u) => u.url === ref);
      const fixed = upload ? r.fixed.find((f) => f.output === upload.path) : uploads.length === 0 ? sameKind[index] : undefined;
      entries.push({ field, index, path: fixed?.path ?? null });
    });
  }
  return entries;
}

function jobView(r: RunJobResult, dryRun: boolean, ctx: ModelContext): Omit<JobView, 'id'> {
  const outcome = jobOutcome(r);
  const status: JobStatus = outcome === 'done' ? (dryRun ? 'dry-run' : 'done') : outcome === 'not started' ? 'not-started' : outcome;
  const stage = r.error?.stage ?? (dryRun ? 'fix' : r.result ? 'download' : 'wait');
  return {
    label: ctx.display?.(r.job) ?? r.job,
    status,
    stage,
    taskId: r.taskId,
    resultPath: r.result ? (ctx.display?.(r.result.path) ?? r.result.path) : null,
    resultHref: r.result ? ctx.href(r.result.path) : null,
    resultThumbs: r.result ? ctx.thumbs(r.result.path) : null,
    error: r.error ? { message: r.error.message, hint: r.error.hint } : null,
    resumed: [...r.resumed],
    qc: r.qc,
  };
}
