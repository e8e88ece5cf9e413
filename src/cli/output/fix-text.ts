import { join } from 'node:path';
import type { Violation } from '../../check/violation.js';
import type { FixPlan } from '../../normalize/fix-plan.js';
import { REQUEST_FILE_NAME } from '../../pipeline/asset-folder.js';
import type { FixJobReport, FixOutcome, FixedFileReport } from '../../pipeline/fix-targets.js';
import type { FailOn } from '../../check/fail-on.js';
import { remainingWarnings } from '../../pipeline/fix-verdict.js';
import { violationLine } from '../../text/violation-text.js';
import { changesFile, isRewritten } from '../../pipeline/file-status.js';
import { shower, shownFixOutcome, shownViolation, type Show } from './display.js';
import type { RemainingViolations } from '../../pipeline/remaining-plan.js';

const MODE_WORDS: Record<FixedFileReport['mode'], string> = {
  copy: 'copied as is',
  remux: 'remux (streams copied, no re-encode)',
  reencode: 're-encode',
  convert: 'convert',
  unfixable: 'cannot be fixed',
};

/**
 * One block per file: what happened (or, in a dry run, will happen) and why; then the requests and a summary. `fixCache`:
 * finished outputs are reused by the next run. Paths relative to `cwd`, the command's folder, as the report shows them.
 */
export function formatFixText(given: FixOutcome, cwd: string, options: { fixCache?: boolean; failOn?: FailOn; strictFlag?: string } = {}): string {
  const strict = options.failOn === 'warning';
  const lines: string[] = [];
  const outcome = shownFixOutcome(given, shower(cwd));
  for (const job of outcome.jobs) {
    for (const file of job.files) {
      const mark = file.interrupted ? '-' : !file.ok ? '✗' : file.mode === 'copy' && file.actions.length === 0 ? '✓' : '→';
      const target = file.output ? ` → ${file.output}` : '';
      lines.push(`${mark} ${file.path}${target}  ${MODE_WORDS[file.mode]}${file.cached ? ' (reused from the fix cache)' : ''}`);
      for (const action of file.actions) lines.push(`    ${action.rule.padEnd(28)} ${action.what}`);
      // a dry run names what its plan leaves (an unfixable file's errors by rule, warnings kept) instead of the bare reason
      const left = outcome.dryRun ? file.outputViolations.map((v) => violationLine(v, file.path)) : [];
      if (file.error && !left.length) lines.push(`    ${file.interrupted ? 'interrupted ' : 'error   '}${file.error}`);
      lines.push(...left);
      // --strict fails on what an accepted output still warns about: each is named under its file
      if (strict && file.ok && file.output) for (const v of file.outputViolations) lines.push(violationLine(v, file.output));
    }
    lines.push(...requestLines(job));
  }
  for (const path of outcome.ignored) lines.push(`- ${path}  not media, left out`);
  lines.push(summary(outcome, options.fixCache ?? true, strict ? strictVerdict(outcome, options.strictFlag ?? '--strict') : ''));
  return `${lines.join('\n')}\n`;
}

/** The request's heading and violations: the written request.json, the one a failed file kept from being written, or (dry run) what the plan leaves. */
function requestLines(job: FixJobReport): string[] {
  // under a heading that names the request, a violation of that request goes without its name
  const lines = (violations: readonly Violation[], named: string) => violations.map((v) => violationLine(v, named));
  if (job.requestBlockedBy.length) {
    // checked on the sources: what fix would have done to the request (cuts across files) is not an error left
    const heading = `✗ request ${join(job.outDir, REQUEST_FILE_NAME)} not written: ${job.requestBlockedBy.join(', ')} could not be fixed`;
    return [heading, ...lines(job.request.violations.filter((v) => !v.fixable), job.label)];
  }
  if (job.requestOutput) return [`${job.request.ok ? '✓' : '✗'} request ${job.requestOutput}`, ...lines(job.request.violations, job.requestOutput)];
  if (!job.request.violations.length) return [];
  return [`${job.request.ok ? '!' : '✗'} request ${job.label}`, ...lines(job.request.violations, job.label)];
}

/**
 * The cuts shared across files of one request, shown before anything runs, and (given what the plan leaves) the
 * combined durations no cut can fit, said before any encode; paths as `show` shows them.
 */
export function formatSharedCuts(label: string, plans: readonly FixPlan[], show: Show, remaining?: RemainingViolations): string | null {
  const cuts = plans.flatMap((plan) => plan.actions.filter((a) => TOTAL_RULES.has(a.rule)).map((a) => `    ${show(plan.source)}: ${a.what}`));
  const unreachable = (remaining?.request ?? []).filter((v) => TOTAL_RULES.has(v.rule) && v.severity === 'error').map((v) => violationLine(shownViolation(v, show), show(label)));
  const lines: string[] = [];
  if (cuts.length) lines.push(`${show(label)}: the combined duration is over the cap; cutting in proportion (none below the minimum):`, ...cuts);
  if (unreachable.length) lines.push(`${show(label)}: the request cannot conform after this fix:`, ...unreachable);
  return lines.length ? `${lines.join('\n')}\n` : null;
}

const TOTAL_RULES = new Set<string>(['request.video_total_duration', 'request.audio_total_duration']);

/**
 * "Fixed: 2 of 7 files (…); 4 copied as is; 1 could not be fixed": fixed counts the files rewritten as the report counts
 * them (isRewritten: a conforming changed copy), never a plain copy; a file Ctrl-C stopped or kept from starting is
 * counted apart, never as one that could not be fixed.
 */
function summary(outcome: FixOutcome, fixCache: boolean, strictClause: string): string {
  const files = outcome.jobs.flatMap((j) => j.files);
  const done = files.filter((f) => f.ok);
  // a dry run writes nothing: what it plans to change is what it would fix
  const fixed = done.filter((f) => (outcome.dryRun ? changesFile(f) : isRewritten(f)));
  const copied = done.length - fixed.length;
  const stopped = files.filter((f) => f.interrupted === 'stopped').length;
  const notStarted = files.filter((f) => f.interrupted === 'not started').length;
  const failed = files.length - done.length - stopped - notStarted;
  const count = (mode: FixedFileReport['mode']) => fixed.filter((f) => f.mode === mode).length;
  const parts = [`${count('reencode')} re-encoded`, `${count('remux')} remuxed`, `${count('convert')} converted`, ...(count('copy') ? [`${count('copy')} renamed`] : [])];
  const verb = outcome.dryRun ? 'Plan (dry run, nothing written)' : 'Fixed';
  const of = fixed.length < files.length ? `${fixed.length} of ${files.length} file${files.length === 1 ? '' : 's'}` : `${files.length} file${files.length === 1 ? '' : 's'}`;
  const asIs = copied ? `; ${copied} ${outcome.dryRun ? 'to copy' : 'copied'} as is` : '';
  const tail = failed ? `; ${failed} could not be fixed` : outcome.dryRun || stopped + notStarted ? '' : '; every output passes check';
  const blocked = outcome.jobs.filter((j) => j.requestBlockedBy.length).length;
  const notWritten = blocked ? `; ${blocked === 1 ? 'request.json was' : `${blocked} request.json files were`} not written` : '';
  const requestErrors = outcome.jobs.some((j) => remainingRequestErrors(j).length) ? `; the request ${outcome.dryRun ? 'will still have' : 'still has'} errors` : '';
  return `${verb}: ${of} (${parts.join(', ')})${asIs}${tail}${notWritten}${requestErrors}${strictClause}${interruptedSummary(stopped, notStarted, files.length, fixCache)}.`;
}

/** "; FAILED (--strict): 2 warnings remain (video.codec, request.unknown_field)", or "" when none does. */
function strictVerdict(outcome: FixOutcome, flag: string): string {
  const left = remainingWarnings(outcome);
  if (!left.length) return '';
  const rules = [...new Set(left.map((v) => v.rule))].join(', ');
  return `; FAILED (${flag}): ${left.length} warning${left.length === 1 ? ' remains' : 's remain'} (${rules})`;
}

/** "; interrupted: 3 of 5 files not fixed (1 stopped, 2 not started); run again (the finished ones are cached)", or "". */
export function interruptedSummary(stopped: number, notStarted: number, total: number, fixCache: boolean): string {
  if (!stopped && !notStarted) return '';
  const parts = [stopped ? `${stopped} stopped` : '', notStarted ? `${notStarted} not started` : ''].filter(Boolean).join(', ');
  const again = fixCache ? 'run again (the finished ones are cached)' : 'run again (with --no-cache the finished ones are encoded again)';
  return `; interrupted: ${stopped + notStarted} of ${total} file${total === 1 ? '' : 's'} not fixed (${parts}); ${again}`;
}

/** Errors of the written request.json; when none was written, the ones of the sources' request that fix does not repair. */
function remainingRequestErrors(job: FixJobReport) {
  return job.request.violations.filter((v) => v.severity === 'error' && (job.requestOutput !== null || !v.fixable));
}
