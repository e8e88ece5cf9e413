import { checkJob } from '../check/check-job.js';
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
import { changesFile, fileStatus } from '../pipeline/file-status.js';
import type { FixView, JobStatus, JobView, MediaCard, Remedy, ReportCounts, ReportModel, ReportSection, RequestView, Thumbnails } from './report-model.js';
import { pictureSeconds } from '../normalize/planned-lengths.js';

/** What the pure model needs from the outside: thumbnails already rendered, links, and the limits. */
export interface ModelContext {
  profile: Profile;
  /** ISO time of the report. */
  generatedAt: string;
  /** The thumbnails of a local file (by its path as the results give it), or null. */
  thumbs: (path: string) => Thumbnails | null;
  /** A local file as a link relative to the report. */
  href: (path: string) => string;
  /** A path as the report shows it: the CLI's displayPath (relative to the working folder); as given when absent. */
  display?: (path: string) => string;
  /** A sentence with the paths in it shown as `display` shows them (displayPathsIn); as written when absent. */
  displayText?: (sentence: string) => string;
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
  /** The request's violations as found before any fix (counted in the header; fix shows the request after it). */
  requestFound: Violation[];
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
      requestFound: job.request.violations,
      media: mediaEntries(input),
      files: job.files.map((f) => ({ path: f.path, kind: f.kind, info: f.info, failure: failureOf(input, f.path), violations: f.violations, fixed: null })),
      costDrivers: null,
      job: null,
    };
  });
  return assemble('check', 'check', outcome.report.ok, sections, ctx, true);
}

/** Pure: a fix's results (and the inputs it was checked from, for the requests and the sources' facts) as a report. */
export function modelFromFix(outcome: FixOutcome, inputs: readonly CheckInput[], ctx: ModelContext): ReportModel {
  const sections = outcome.jobs.map((job, j): SectionInput => {
    const input = inputs[j] ?? null;
    return {
      title: input?.request ? job.label : 'Files',
      request: input?.request ?? null,
      requestViolations: job.request.violations,
      // job.request is the request after the fix: what was found is the sources' request, checked again (pure)
      requestFound: input ? checkJob(input, ctx.profile).request.violations : job.request.violations,
      media: input ? mediaEntries(input) : [],
      files: job.files.map((f) => ({ path: f.path, kind: f.kind, info: (input && infoOf(input, f.path)) ?? ctx.info?.(f.path) ?? null, failure: input ? failureOf(input, f.path) : null, violations: f.violations, fixed: f })),
      costDrivers: null,
      job: null,
    };
  });
  return assemble('fix', outcome.dryRun ? 'fix --dry-run' : 'fix', outcome.ok, sections, ctx, false);
}

/** Pure: run or batch results as a report: a summary of the jobs, then each job's request and media. */
export function modelFromRuns(results: readonly RunJobResult[], command: 'run' | 'batch', dryRun: boolean, ctx: ModelContext): ReportModel {
  const sections = results.map((r): SectionInput => ({
    title: r.job,
    request: r.request,
    requestViolations: [],
    requestFound: [],
    media: r.request ? runMediaEntries(r) : [],
    files: r.fixed.map((f) => ({ path: f.path, kind: f.kind, info: ctx.info?.(f.path) ?? null, failure: null, violations: f.violations, fixed: f })),
    costDrivers: r.costDrivers,
    job: jobView(r, dryRun, ctx),
  }));
  return assemble(command, command + (dryRun ? ' --dry-run' : ''), results.every((r) => r.ok), sections, ctx, false);
}

function assemble(command: ReportModel['command'], title: string, ok: boolean, inputs: readonly SectionInput[], ctx: ModelContext, remedies: boolean): ReportModel {
  const show = shower(ctx);
  let cardNumber = 0;
  const sections = inputs.map((input, s): ReportSection => {
    const id = `job-${s + 1}`;
    // a file the request names twice is one file: one card, with both names, each rule once
    const files = uniqueFiles(input.files);
    const cards = files.map((file) => toCard(file, `card-${++cardNumber}`, ctx));
    const cardOf = (path: string | null) => (path === null ? null : (cards[files.findIndex((f) => f.path === path)] ?? null));
    for (const entry of input.media) {
      const card = cardOf(entry.path);
      const name = `${FIELD_KIND[entry.field]} ${entry.index + 1}`;
      if (card && !card.names.includes(name)) card.names.push(name);
    }
    if (remedies) for (const card of cards) card.remedies = remediesOf(card, input.requestViolations);
    return { id, title: show(input.title), request: input.request ? requestView(input, cardOf, ctx) : null, cards, job: input.job ? { ...input.job, id } : null };
  });
  const cards = sections.flatMap((s) => s.cards);
  const found = [...cards.flatMap((c) => c.violations), ...inputs.flatMap((i) => i.requestFound)];
  const count = (status: MediaCard['status']) => cards.filter((c) => c.status === status).length;
  const counts: ReportCounts = {
    files: cards.length,
    failing: count('failing'),
    fixed: count('fixed'),
    passing: count('passing'),
    planned: cards.filter((c) => c.fix?.ok && c.fix.output === null && !c.fix.interrupted && changesFile(c.fix)).length,
    errors: found.filter((v) => v.severity === 'error').length,
    warnings: found.filter((v) => v.severity === 'warning').length,
  };
  return { title: `seedance-preflight ${title}`, command, generatedAt: ctx.generatedAt, ok, jobs: sections.flatMap((s) => (s.job ? [s.job] : [])), sections, counts };
}

/** A sentence with its paths as the report shows them. */
function text(ctx: ModelContext, sentence: string): string {
  return ctx.displayText ? ctx.displayText(sentence) : sentence;
}

/** A violation as the report shows it: its subject and the paths in its sentences. */
function shownViolation(v: Violation, show: (path: string) => string, ctx: ModelContext): Violation {
  return { ...v, subject: show(v.subject), problem: text(ctx, v.problem), fix: text(ctx, v.fix) };
}

/** The context's display function, or the path as given. */
function shower(ctx: ModelContext): (path: string) => string {
  return ctx.display ?? ((path) => path);
}

/** One entry per path (the first), its violations merged; a violation found twice (the file named twice) kept once. */
function uniqueFiles(files: readonly FileEntry[]): FileEntry[] {
  const byPath = new Map<string, FileEntry>();
  for (const file of files) {
    const seen = byPath.get(file.path);
    byPath.set(file.path, seen ? { ...seen, violations: [...seen.violations, ...file.violations] } : file);
  }
  return [...byPath.values()].map((f) => ({ ...f, violations: uniqueViolations(f.violations) }));
}

function uniqueViolations(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = JSON.stringify([v.rule, v.severity, v.problem, v.fix]);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** Check: what fix would do to a card's file: each of its fixable rules (and errors it cannot fix), and the request's cut over its kind's cap. */
function remediesOf(card: MediaCard, requestViolations: readonly Violation[]): Remedy[] {
  const remedies: Remedy[] = [];
  for (const v of card.violations.filter((v) => v.fixable || v.severity === 'error')) {
    const same = remedies.find((r) => r.rule === v.rule && r.fixable === v.fixable);
    if (!same) remedies.push({ rule: v.rule, fix: v.fix, fixable: v.fixable });
    else if (!same.fix.split('; ').includes(v.fix)) same.fix += `; ${v.fix}`;
  }
  const cutRule = card.kind === 'video' ? 'request.video_total_duration' : card.kind === 'audio' ? 'request.audio_total_duration' : null;
  const named = card.names.some((n) => n.startsWith(`${card.kind} `));
  // the request's cut, named as the request's: "request: trim them in proportion to 15 s in total"
  const cut = requestViolations.find((v) => v.rule === cutRule && v.fixable && named);
  if (cut) remedies.push({ rule: cut.rule, fix: `request: ${cut.fix}`, fixable: true });
  return remedies;
}

/** Each rule once, in the order first seen, an error where any of its violations is one. */
function rulesOf(violations: readonly Violation[]): MediaCard['rules'] {
  const rules: MediaCard['rules'] = [];
  for (const v of violations) {
    const seen = rules.find((r) => r.rule === v.rule);
    if (!seen) rules.push({ rule: v.rule, severity: v.severity });
    else if (v.severity === 'error') seen.severity = 'error';
  }
  return rules;
}

function toCard(file: FileEntry, id: string, ctx: ModelContext): MediaCard {
  const show = shower(ctx);
  const fix = file.fixed ? fixView(file.fixed, file.info, ctx) : null;
  return {
    id,
    path: show(file.path),
    status: fileStatus(file.violations, fix),
    kind: file.kind,
    info: file.info,
    failure: file.failure,
    violations: file.violations.map((v) => shownViolation(v, show, ctx)),
    rules: rulesOf(file.violations),
    thumbs: file.info ? ctx.thumbs(file.path) : null,
    names: [],
    fix,
    remedies: [],
  };
}

function fixView(fixed: FixedFileReport, source: MediaInfo | null, ctx: ModelContext): FixView {
  const show = shower(ctx);
  // the operation as the user could type it from where the command ran
  const operation = planOperation({ ...fixed.plan, source: show(fixed.plan.source) }, fixed.output ? show(fixed.output) : 'OUTPUT', source);
  return {
    mode: fixed.mode,
    ok: fixed.ok,
    error: fixed.error && text(ctx, fixed.error),
    output: fixed.output && show(fixed.output),
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
    timed.push({ kind, name: `${kind} ${entry.index + 1}`, target: card.id, seconds: info.duration, pictures: pictureSeconds(info) ?? info.duration, plannedSeconds: planned });
  }
  const limits = ctx.profile.request;
  const show = shower(ctx);
  return {
    label: show(input.title),
    model: typeof request.model === 'string' ? request.model : null,
    prompt: typeof request.prompt === 'string' ? linkPrompt(request.prompt, targets) : null,
    fields: KEPT_FIELDS.filter((name) => name !== 'model' && request[name] !== undefined).map((name) => ({ name, value: JSON.stringify(request[name]) })),
    counts: [
      { kind: 'image', count: targets.image.length, max: limits.maxImages.value },
      { kind: 'video', count: targets.video.length, max: limits.maxVideos.value },
      { kind: 'audio', count: targets.audio.length, max: limits.maxAudios.value },
    ],
    budgets: durationBudgets(timed, ctx.profile),
    violations: input.requestViolations.map((v) => shownViolation(v, show, ctx)),
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
  const show = shower(ctx);
  return {
    label: show(r.job),
    status,
    stage,
    taskId: r.taskId,
    resultPath: r.result ? show(r.result.path) : null,
    resultHref: r.result ? ctx.href(r.result.path) : null,
    resultThumbs: r.result ? ctx.thumbs(r.result.path) : null,
    error: r.error ? { message: text(ctx, r.error.message), hint: text(ctx, r.error.hint) } : null,
    resumed: [...r.resumed],
    qc: r.qc,
  };
}
