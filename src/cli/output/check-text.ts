import type { CheckReport } from '../../check/check-job.js';
import type { FileReport, RemoteReadFacts } from '../../check/job.js';
import { summarize } from '../../check/summary.js';
import type { Violation } from '../../check/violation.js';
import { formatValue } from '../../check/format-value.js';
import type { MediaInfo } from '../../probe/media-info.js';
import { violationLine } from '../../text/violation-text.js';
import { shower, shownCheckReport } from './display.js';

/**
 * The human report of `check`: a line per file, its violations under it, then the request and a summary.
 * `strictFlag` is the flag that made warnings fail (--strict, --fail-on warning), named in the summary when
 * warnings alone failed the check. Paths are shown relative to `cwd`, the command's folder (URLs as they are).
 */
export function formatCheckText(given: CheckReport, cwd: string, ignored: readonly string[] = [], options: { strictFlag?: string; unreadUrls?: number } = {}): string {
  const show = shower(cwd);
  const report = shownCheckReport(given, show);
  const lines: string[] = [];
  for (const file of report.files) {
    lines.push(`${mark(file.violations)} ${file.path}  ${describeFile(file)}`);
    for (const v of file.violations) lines.push(violationLine(v, file.path));
  }
  // a media URL read with --remote is shown like a file: what was measured, then the violations that name it
  const urls = new Set<string>();
  for (const entry of report.remote ?? []) {
    urls.add(entry.url);
    const violations = report.request.violations.filter((v) => v.subject === entry.url);
    lines.push(`${mark(violations)} ${entry.url}  ${entry.info ? describeFile({ info: entry.info }) : 'no media facts'} (${describeRead(entry.read)})`);
    for (const v of violations) lines.push(violationLine(v, entry.url));
  }
  const bySubject = new Map<string, Violation[]>();
  for (const v of report.request.violations) if (!urls.has(v.subject)) bySubject.set(v.subject, [...(bySubject.get(v.subject) ?? []), v]);
  for (const [subject, violations] of bySubject) {
    lines.push(`${mark(violations)} request ${subject}`);
    for (const v of violations) lines.push(violationLine(v, subject));
  }
  for (const path of ignored) lines.push(`- ${show(path)}  not media, left out`);
  // run reads them (and refuses what the provider would): a check that did not is no promise about them
  const unread = options.unreadUrls ?? 0;
  if (unread) lines.push(`- ${unread} media URL${unread === 1 ? '' : 's'} not read: pass --remote to hold ${unread === 1 ? 'it' : 'them'} to the file rules, as run does`);
  lines.push(summary(report, options.strictFlag));
  return `${lines.join('\n')}\n`;
}

function mark(violations: readonly Violation[]): string {
  if (violations.some((v) => v.severity === 'error')) return '✗';
  return violations.length ? '!' : '✓';
}

/** What was measured: "video · MP4 h264 1920×1080 · 30 fps · 8.00 s · 12.3 MB". */
function describeFile(file: Pick<FileReport, 'info'>): string {
  const info = file.info;
  if (!info) return 'not probed';
  return [info.kind, ...facts(info), formatValue(info.sizeBytes, 'bytes')].join(' · ');
}

function facts(info: MediaInfo): string[] {
  const format = info.format.toUpperCase();
  if (info.kind === 'image') {
    const turned = info.orientation > 1 ? ` (EXIF orientation ${info.orientation})` : '';
    return [`${format} ${info.width}×${info.height}${turned}`];
  }
  const duration = info.duration === null ? 'duration unknown' : formatValue(info.duration, 's');
  if (info.kind === 'audio') return [`${format} ${info.audioCodec}`, duration];
  const turned = [info.rotation ? `rotated ${info.rotation}°` : '', info.mirrored ? 'mirrored' : '', info.width !== (info.rotation % 180 ? info.storedHeight : info.storedWidth) ? `stored ${info.storedWidth}×${info.storedHeight}` : ''].filter(Boolean);
  const rotated = turned.length ? ` (${turned.join(', ')})` : '';
  const fps = info.fps === null ? 'fps unknown' : `${formatValue(info.fps, 'fps')}${info.variableFrameRate ? ' variable' : ''}`;
  return [`${format} ${info.videoCodec} ${info.width}×${info.height}${rotated}`, fps, duration, info.hasAudio ? `audio ${info.audioCodec}` : 'no audio'];
}

/** "read 64 KB of 12.3 MB in 2 requests": what reading a URL cost. */
function describeRead(read: RemoteReadFacts): string {
  const of = read.sizeBytes === null ? '' : ` of ${formatValue(read.sizeBytes, 'bytes')}`;
  return `URL: read ${formatValue(read.bytesRead, 'bytes')}${of} in ${read.requests} request${read.requests === 1 ? '' : 's'}`;
}

function summary(report: CheckReport, strictFlag: string | undefined): string {
  const { files: fileCount, urls, ok, failing, errors, warnings, fixable } = summarize(report);
  const checked = `${fileCount} file${fileCount === 1 ? '' : 's'}${urls ? ` and ${urls} URL${urls === 1 ? '' : 's'}` : ''}`;
  const files = `${checked} checked: ${ok} ok, ${failing} failing`;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  const hint = fixable ? ` (${fixable} fixable: run seedance-preflight fix)` : '';
  // the verdict names --strict only when it alone decided it: errors fail either way
  const verdict = report.ok ? 'OK' : errors === 0 && strictFlag ? `FAILED (${strictFlag})` : 'FAILED';
  return `${verdict}: ${files}; ${counts}${hint}`;
}
