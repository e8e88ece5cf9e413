import { relative } from 'node:path';
import type { FixPlan } from '../../normalize/fix-plan.js';
import type { FixOutcome, FixedFileReport } from '../../pipeline/fix-targets.js';
import { renderViolation } from './violation-text.js';

const MODE_WORDS: Record<FixedFileReport['mode'], string> = {
  copy: 'copied as is',
  remux: 'remux (streams copied, no re-encode)',
  reencode: 're-encode',
  convert: 'convert',
  unfixable: 'cannot be fixed',
};

/** One block per file: what happened (or, in a dry run, will happen) and why; then the requests and a summary. */
export function formatFixText(outcome: FixOutcome, cwd: string): string {
  const lines: string[] = [];
  const show = (path: string) => {
    const near = path.startsWith('/') ? relative(cwd, path) : path;
    return near.startsWith('..') ? path : near || '.';
  };
  for (const job of outcome.jobs) {
    for (const file of job.files) {
      const mark = !file.ok ? '✗' : file.mode === 'copy' && file.actions.length === 0 ? '✓' : '→';
      const target = file.output ? ` → ${show(file.output)}` : '';
      lines.push(`${mark} ${file.path}${target}  ${MODE_WORDS[file.mode]}${file.cached ? ' (reused from the fix cache)' : ''}`);
      for (const action of file.actions) lines.push(`    ${action.rule.padEnd(28)} ${action.what}`);
      if (file.error) lines.push(`    error   ${file.error}`);
    }
    if (job.requestOutput) lines.push(`${job.request.ok ? '✓' : '✗'} request ${show(job.requestOutput)}`);
    for (const v of job.request.violations) lines.push(`    ${v.severity.padEnd(7)} ${renderViolation(v)}`);
  }
  for (const path of outcome.ignored) lines.push(`- ${path}  not media, left out`);
  lines.push(summary(outcome));
  return `${lines.join('\n')}\n`;
}

/** The cuts shared across files of one request, shown before anything runs. */
export function formatSharedCuts(label: string, plans: readonly FixPlan[]): string | null {
  const cuts = plans.flatMap((plan) => plan.actions.filter((a) => a.rule === 'request.video_total_duration' || a.rule === 'request.audio_total_duration').map((a) => `    ${plan.source}: ${a.what}`));
  if (!cuts.length) return null;
  return `${label}: the combined duration is over the cap; cutting in proportion (none below the minimum):\n${cuts.join('\n')}\n`;
}

function summary(outcome: FixOutcome): string {
  const files = outcome.jobs.flatMap((j) => j.files);
  const count = (mode: FixedFileReport['mode']) => files.filter((f) => f.mode === mode).length;
  const failed = files.filter((f) => !f.ok).length;
  const parts = [`${count('reencode')} re-encoded`, `${count('remux')} remuxed`, `${count('convert')} converted`, `${count('copy')} copied`];
  const verb = outcome.dryRun ? 'Plan (dry run, nothing written)' : 'Fixed';
  const tail = failed ? `; ${failed} could not be fixed` : outcome.dryRun ? '' : '; every output passes check';
  const requestErrors = outcome.jobs.some((j) => !j.request.ok) ? '; the request still has errors' : '';
  return `${verb}: ${files.length} file${files.length === 1 ? '' : 's'} (${parts.join(', ')})${tail}${requestErrors}.`;
}
