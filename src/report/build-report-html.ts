import { renderQcFinding } from '../text/qc-text.js';
import { renderViolation } from '../text/violation-text.js';
import type { QcFinding } from '../pipeline/result-qc.js';
import { formatLimit, formatNumber, formatValue } from '../check/format-value.js';
import type { Violation } from '../check/violation.js';
import type { MediaInfo } from '../probe/media-info.js';
import { mediaFacts } from './format-facts.js';
import { esc, fileUrl } from './html.js';
import type { FileStatus } from '../pipeline/file-status.js';
import type { Budget, FixView, JobStatus, JobView, MediaCard, PromptSegment, ReportCounts, ReportModel, ReportSection, RequestView, Thumbnails } from './report-model.js';
import { REPORT_CSS } from './report-style.js';

const STATUSES: readonly JobStatus[] = ['done', 'failed', 'dry-run', 'busy', 'interrupted', 'not-started'];
const FILE_STATUSES: readonly FileStatus[] = ['failing', 'fixed', 'passing'];
const MODE_WORDS: Record<FixView['mode'], string> = { copy: 'copy', remux: 'remux', reencode: 're-encode', convert: 'convert', unfixable: 'cannot be fixed' };

/** What a fix does to the file, in words: a copy that changes something is a copy under its format's extension. */
function modeWord(f: FixView): string {
  return f.mode === 'copy' && f.actions.length ? 'renamed copy' : MODE_WORDS[f.mode];
}

/** "3 media files: 0 failing, 3 fixed, 0 passing; found before fixing: 5 errors, 0 warnings": the counts the filters show. */
function headerSummary(c: ReportCounts, fixing: boolean): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const statuses = [`${c.failing} failing`, ...(fixing ? [`${c.fixed} fixed`] : []), `${c.passing} passing`];
  const planned = c.planned ? `, ${c.planned} to fix (dry run, nothing written)` : '';
  const found = `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}`;
  return `${plural(c.files, 'media file')}: ${statuses.join(', ')}${planned}; ${fixing ? `found before fixing: ${found}` : found}`;
}

/** Pure: the report as one self-contained HTML document (CSS inline, images by relative path, no script, nothing from the network). */
export function buildReportHtml(model: ReportModel): string {
  const cards = model.sections.flatMap((s) => s.cards);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">',
    `<title>${esc(model.title)}</title><style>${REPORT_CSS}</style></head>`,
    '<body>',
    `<header><h1>${esc(model.title)} <span class="badge ${model.ok ? 'ok' : 'failed'}">${model.ok ? 'ok' : 'failed'}</span></h1>`,
    `<p class="muted">${esc(headerSummary(model.counts, cards.some((c) => c.fix)))}; generated ${esc(model.generatedAt)}.</p></header>`,
    model.jobs.length ? jobsSummary(model.jobs) : '',
    cards.length > 1 ? filesIndex(cards, model.counts) : '',
    ...model.sections.map((s) => section(s, model.sections.length > 1 || s.job !== null)),
    '</body></html>',
    '',
  ].join('\n');
}

function jobsSummary(jobs: readonly JobView[]): string {
  const count = (status: JobStatus) => jobs.filter((j) => j.status === status).length;
  const radio = (value: string, label: string, checked = false) =>
    `<label><input type="radio" name="status" id="status-${value}" value="${value}"${checked ? ' checked' : ''}> ${label}</label>`;
  const filters = [radio('all', `all (${jobs.length})`, true), ...STATUSES.filter((s) => count(s) > 0).map((s) => radio(s, `${s} (${count(s)})`))];
  const rows = jobs.map(
    (j) =>
      `<tr data-status="${j.status}"><td><a href="#${j.id}">${esc(j.label)}</a></td><td><span class="badge ${j.status}">${j.status}</span></td><td>${esc(j.stage)}</td>` +
      `<td>${j.taskId ? `<code>${esc(j.taskId)}</code>` : '—'}</td><td>${j.resultHref ? `<a href="${fileUrl(j.resultHref)}">${esc(basename(j.resultPath!))}</a>` : j.error ? esc(j.error.message) : '—'}</td></tr>`,
  );
  return [
    '<section id="jobs"><h2>Jobs</h2>',
    `<fieldset class="filter"><legend>Show jobs</legend>${filters.join('')}</fieldset>`,
    '<table class="summary"><thead><tr><th>job</th><th>status</th><th>stage</th><th>task id</th><th>result</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table></section>`,
  ].join('\n');
}

/** Every file in one table, failing ones easy to find among hundreds; radio buttons (CSS only) show only the cards of one status. */
function filesIndex(cards: readonly MediaCard[], counts: ReportCounts): string {
  const radio = (value: string, label: string, checked = false) =>
    `<label><input type="radio" name="files" id="files-${value}" value="${value}"${checked ? ' checked' : ''}> ${label}</label>`;
  const fixing = cards.some((c) => c.fix);
  const rules = (c: MediaCard) => c.rules.map((r) => `<code class="${r.severity}">${esc(r.rule)}</code>`).join(' ') || '—';
  const rows = cards.map(
    (c) =>
      `<tr data-file-status="${c.status}"><td class="path"><a href="#${c.id}">${esc(c.path)}</a></td><td>${esc(c.kind ?? 'unknown')}</td><td>${statusBadge(c.status)}</td>` +
      `<td>${rules(c)}</td><td>${fixing ? fixCell(c.fix) : remediesCell(c)}</td></tr>`,
  );
  const filters = FILE_STATUSES.filter((s) => s !== 'fixed' || fixing).map((s) => radio(s, `${s} (${counts[s]})`));
  return [
    '<section id="files"><h2>Files</h2>',
    `<fieldset class="filter"><legend>Show files</legend>${radio('all', `all (${counts.files})`, true)}${filters.join('')}</fieldset>`,
    `<details${cards.length <= 50 ? ' open' : ''}><summary>Index of the ${cards.length} files</summary>`,
    '<table class="index"><thead><tr><th>file</th><th>kind</th><th>status</th><th>rules broken</th><th>fix</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table></details></section>`,
  ].join('\n');
}

function statusBadge(status: FileStatus): string {
  return `<span class="badge ${status}">${status}</span>`;
}

/** Fix, run, batch: what the fix did to the file. */
function fixCell(f: FixView | null): string {
  if (!f) return '—';
  if (f.ok) return esc(modeWord(f));
  return esc(f.interrupted ? `${modeWord(f)}: ${f.interrupted === 'stopped' ? 'interrupted' : 'not started'}` : `${modeWord(f)}: failed`);
}

/** Check: what `fix` would do to the file, one line per rule; what it cannot do, as what to do by hand. */
function remediesCell(c: MediaCard): string {
  if (!c.remedies.length) return '—';
  return `<ul class="remedies">${c.remedies.map((r) => `<li data-rule="${esc(r.rule)}">${esc(r.fixable ? r.fix : `cannot be fixed: ${r.fix}`)}</li>`).join('')}</ul>`;
}

function section(s: ReportSection, titled: boolean): string {
  const status = s.job ? ` data-status="${s.job.status}"` : '';
  return [
    `<section class="job" id="${s.id}"${status}>`,
    titled ? `<h2>${esc(s.title)}</h2>` : '',
    s.job ? jobInfo(s.job) : '',
    s.request ? requestBlock(s.request) : '',
    s.cards.length ? `<div class="cards">${s.cards.map(card).join('\n')}</div>` : '<p class="muted">No local media files in this job.</p>',
    '</section>',
  ].join('\n');
}

function jobInfo(j: JobView): string {
  const facts: Array<[string, string]> = [
    ['status', `<span class="badge ${j.status}">${j.status}</span>`],
    ['stage', esc(j.stage)],
    ['task id', j.taskId ? `<code>${esc(j.taskId)}</code>` : '—'],
    ['result', j.resultHref ? `<a href="${fileUrl(j.resultHref)}">${esc(j.resultPath!)}</a>` : '—'],
  ];
  if (j.resumed.length) facts.push(['resumed', esc(`${j.resumed.join(', ')} (done by an earlier run, per the journal)`)]);
  if (j.error) facts.push(['error', `${esc(j.error.message)}<br><span class="muted">To do: ${esc(j.error.hint)}</span>`]);
  const poster = j.resultThumbs ? `<figure><img class="result" src="${fileUrl(j.resultThumbs.main)}" alt="${esc(`poster frame of the result ${j.resultPath ?? ''}`)}"><figcaption>result poster frame</figcaption></figure>` : '';
  return `<div class="jobinfo"><h3>Job</h3>${definitionList(facts)}${poster}${j.qc ? qcBlock(j.qc) : ''}</div>`;
}

/** The result's QC against the request: each way the video differs from what was asked, or that it matches. */
function qcBlock(qc: readonly QcFinding[]): string {
  const verdict = ` <span class="badge ${qc.length === 0 ? 'ok' : 'failed'}">${qc.length === 0 ? 'matches the request' : 'does not match the request'}</span>`;
  const findings = qc.length ? `<ul class="qc">${qc.map((f) => `<li>${esc(renderQcFinding(f))}</li>`).join('')}</ul>` : '';
  return `<h4>Result QC${verdict}</h4>${findings}`;
}

function requestBlock(r: RequestView): string {
  const parts = [`<div class="request"><h3>Request <span class="muted">${esc(r.label)}</span></h3>`];
  const fields = [...(r.model ? [`model ${r.model}`] : []), ...r.fields.map((f) => `${f.name} ${f.value}`)];
  if (fields.length) parts.push(`<p class="muted">${esc(fields.join(' · '))}</p>`);
  parts.push(r.prompt ? `<p class="prompt">${r.prompt.map(promptSegment).join('')}</p>` : '<p class="muted">No prompt.</p>');
  parts.push(
    `<table class="counts"><caption>Counts</caption><thead><tr><th>kind</th><th>given</th><th>allowed</th></tr></thead><tbody>${r.counts
      .map((c) => `<tr class="${c.count > c.max ? 'error' : ''}"><td>${c.kind}</td><td>${c.count}</td><td>0–${c.max}</td></tr>`)
      .join('')}</tbody></table>`,
  );
  parts.push(...r.budgets.map(budget));
  if (r.costDrivers) {
    const d = r.costDrivers;
    parts.push(`<h4>Cost drivers (dry run)</h4>${definitionList([['output seconds', esc(formatValue(d.outputSeconds, 's'))], ['input video seconds', esc(formatValue(d.inputVideoSeconds, 's'))], ['content filter factor', `${formatNumber(d.contentFilterFactor, 2)}×`]])}`);
  }
  parts.push(ruleTable(r.violations, 'Request rules', 'every request rule passes', r.label));
  parts.push('</div>');
  return parts.join('\n');
}

function promptSegment(seg: PromptSegment): string {
  if (seg.type === 'text') return esc(seg.text);
  const label = `${seg.kind} ${seg.index}`;
  if (seg.missing) return `<mark class="ref missing" data-ref="${esc(label)}" title="${esc(`the request has no ${label}`)}">${esc(seg.text)}</mark>`;
  if (seg.target === null) return `<span class="ref url" data-ref="${esc(label)}" title="${esc(`${label} is a URL`)}">${esc(seg.text)}</span>`;
  return `<a class="ref" data-ref="${esc(label)}" href="#${seg.target}">${esc(seg.text)}</a>`;
}

function budget(b: Budget): string {
  const total = b.items.reduce((sum, i) => sum + i.seconds, 0);
  const kept = b.items.reduce((sum, i) => sum + (i.keptSeconds ?? i.seconds), 0);
  const scale = Math.max(total, b.limitSeconds);
  const pct = (seconds: number) => `${((seconds / scale) * 100).toFixed(2)}%`;
  const segments = b.items.map((i) => {
    const keep = i.keptSeconds ?? i.seconds;
    const title = `${i.name}: ${formatValue(i.seconds, 's')}${i.keptSeconds !== null ? `, cut to ${formatValue(i.keptSeconds, 's')}` : ''}`;
    return `<span class="seg" style="width:${pct(i.seconds)}" title="${esc(title)}"><span class="kept" style="width:${((keep / i.seconds) * 100).toFixed(2)}%"></span>${i.keptSeconds !== null ? '<span class="cut" style="flex:1"></span>' : ''}</span>`;
  });
  const items = b.items.map((i) => {
    const name = i.target ? `<a href="#${i.target}">${esc(i.name)}</a>` : esc(i.name);
    return `<li>${name}: ${esc(formatValue(i.seconds, 's'))}${i.keptSeconds !== null ? ` → <strong>${esc(formatValue(i.keptSeconds, 's'))}</strong> (cut ${esc(formatValue(i.seconds - i.keptSeconds, 's'))})` : ''}</li>`;
  });
  const over = total > b.limitSeconds + 1e-9;
  const heading = `${b.kind === 'video' ? 'Video' : 'Audio'} budget: ${formatValue(total, 's')} of ${formatValue(b.limitSeconds, 's')}${over ? `, over by ${formatValue(total - b.limitSeconds, 's')}; after the cut ${formatValue(kept, 's')}` : ''}`;
  return [
    `<div class="budget" data-kind="${b.kind}"><h4>${esc(heading)}</h4>`,
    `<div class="bar" role="img" aria-label="${esc(heading)}">${segments.join('')}<span class="limit" style="left:${pct(b.limitSeconds)}" title="${esc(`limit ${formatValue(b.limitSeconds, 's')}`)}"></span></div>`,
    `<ul>${items.join('')}</ul><p class="muted">Each box is a file's share of the ${formatValue(b.limitSeconds, 's')} budget${b.items.some((i) => i.keptSeconds !== null) ? '; hatched: the part cut' : ''}; the line marks the limit.</p></div>`,
  ].join('');
}

function card(c: MediaCard): string {
  const names = c.names.length ? ` <span class="muted">(${esc(c.names.join(', '))})</span>` : '';
  const rules = c.rules.map((r) => r.rule).join(' ');
  const parts = [
    `<article class="card ${c.status}" id="${c.id}" data-kind="${c.kind ?? 'unknown'}" data-rules="${esc(rules)}" data-file-status="${c.status}">`,
    `<h3>${esc(c.kind ?? 'file')}: ${esc(c.path)}${names} ${statusBadge(c.status)}</h3>`,
  ];
  if (c.fix) {
    const after = c.fix.output ? thumbsFigure(c.fix.outputThumbs, c.fix.output, c.fix.outputInfo, 'after') : `<div class="nopreview after">${esc(c.fix.error ?? 'not written (dry run: the plan only)')}</div>`;
    parts.push(`<div class="pair"><div class="before">${thumbsFigure(c.thumbs, c.path, c.info, 'before')}</div><div class="after">${after}</div></div>`);
    parts.push(`<div class="pair"><div>${c.info ? definitionList(mediaFacts(c.info).map(([k, v]) => [esc(k), esc(v)])) : ''}</div><div>${c.fix.outputInfo ? definitionList(mediaFacts(c.fix.outputInfo).map(([k, v]) => [esc(k), esc(v)])) : ''}</div></div>`);
  } else {
    parts.push(thumbsFigure(c.thumbs, c.path, c.info, null));
    if (c.info) parts.push(definitionList(mediaFacts(c.info).map(([k, v]) => [esc(k), esc(v)])));
  }
  if (c.failure) parts.push(`<p>${esc(`Could not be read: ${c.failure}`)}</p>`);
  parts.push(ruleTable(c.violations, 'Rules', 'every rule passes', c.path));
  if (c.fix) parts.push(fixBlock(c.fix));
  parts.push('</article>');
  return parts.join('\n');
}

function thumbsFigure(t: Thumbnails | null, path: string, info: MediaInfo | null, side: 'before' | 'after' | null): string {
  const prefix = side ? `${side}: ` : '';
  const caption = side ? `<figcaption>${side}: ${esc(path)}</figcaption>` : '';
  if (!t) return `<figure class="thumb"><div class="nopreview">${esc(`no preview of ${path}`)}</div>${caption}</figure>`;
  const size = info && info.kind !== 'audio' ? ` ${info.width}×${info.height}` : '';
  const duration = info && info.kind !== 'image' && info.duration !== null ? `, ${formatValue(info.duration, 's')}` : '';
  const mainAlt = t.kind === 'image' ? `${prefix}image ${path}${size}` : t.kind === 'video' ? `${prefix}poster frame of video ${path}${size}${duration}` : `${prefix}waveform of audio ${path}${duration}`;
  const strip = t.frames.length
    ? `<div class="strip">${t.frames.map((f, i) => `<img src="${fileUrl(f)}" alt="${esc(`${prefix}frame of ${path} at ${formatValue(t.frameTimes[i] ?? 0, 's')}`)}">`).join('')}</div>`
    : '';
  return `<figure class="thumb"><img class="main" src="${fileUrl(t.main)}" alt="${esc(mainAlt)}">${strip}${caption}</figure>`;
}

function fixBlock(f: FixView): string {
  const mode = modeWord(f);
  const status = f.ok ? `<span class="badge ok">${mode}</span>` : f.interrupted ? `<span class="badge interrupted">${mode}: ${f.interrupted === 'stopped' ? 'interrupted' : 'not started'}</span>` : `<span class="badge failed">${mode}: failed</span>`;
  const rows = f.actions.map((a) => `<tr><td><code>${esc(a.rule)}</code></td><td>${esc(a.what)}</td><td>${esc(a.before)} → ${esc(a.after)}</td><td class="op"><code>${esc(a.operation)}</code></td></tr>`);
  return [
    `<h4>Fix ${status}${f.output ? ` <span class="muted">→ ${esc(f.output)}</span>` : ''}</h4>`,
    f.error ? `<p class="badge ${f.interrupted ? 'interrupted' : 'failed'}">${esc(f.error)}</p>` : '',
    rows.length ? `<table class="actions"><thead><tr><th>rule</th><th>change</th><th>before → after</th><th>operation</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p class="muted">Nothing to change: copied as it is.</p>',
    f.operation ? `<details><summary>The whole operation</summary><pre><code>${esc(f.operation)}</code></pre></details>` : '',
  ].join('\n');
}

/**
 * One row per rule (its violations together: an image too narrow and too low is one image.dimensions row with both
 * sentences); `heading`: what the block is about, so a violation of that same file or request goes without its name.
 */
function ruleTable(violations: readonly Violation[], caption: string, empty: string, heading: string): string {
  if (violations.length === 0) return `<p class="rules-pass"><span class="badge ok">ok</span> ${esc(empty)}</p>`;
  const groups = new Map<string, Violation[]>();
  for (const v of violations) groups.set(v.rule, [...(groups.get(v.rule) ?? []), v]);
  const rows = [...groups].map(([rule, group]) => {
    const first = group[0]!;
    const severity = group.some((v) => v.severity === 'error') ? 'error' : 'warning';
    const limits = unique(group.map((v) => (v.limit ? formatLimit(v.limit) : '—')));
    const actuals = unique(group.map((v) => formatValue(v.actual, v.limit?.unit ?? 'value')));
    const messages = group.map((v) => esc(renderViolation(v, { subject: v.subject !== heading }))).join('<br>');
    return (
      `<tr class="${severity}" data-rule="${esc(rule)}"><td><code>${esc(rule)}</code></td><td>${esc(limits.join('; '))}</td><td>${esc(actuals.join('; '))}</td>` +
      `<td class="severity">${severity}</td><td class="source">${esc(first.source)}</td></tr><tr class="message"><td></td><td colspan="4">${messages}</td></tr>`
    );
  });
  return `<table class="rules"><caption>${esc(caption)}</caption><thead><tr><th>rule</th><th>limit</th><th>actual</th><th>severity</th><th>source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function definitionList(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
