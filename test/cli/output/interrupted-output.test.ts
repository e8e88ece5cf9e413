import { describe, expect, it } from 'vitest';
import { batchExitCode } from '../../../src/cli/commands/batch.js';
import { formatBatchJunit } from '../../../src/cli/output/batch-junit.js';
import { formatBatchTable } from '../../../src/cli/output/batch-table.js';
import { formatRunJson, formatRunText, interruptedSummary } from '../../../src/cli/output/run-text.js';
import { failedResult, notStartedResult } from '../../../src/pipeline/failed-result.js';
import type { BatchJobResult } from '../../../src/pipeline/job-outcome.js';

const done: BatchJobResult = { ...failedResult('/jobs/a', '', ''), ok: true, error: null, taskId: 'task-1', result: { path: '/jobs/a/output/task-1.mp4', bytes: 10 } };
const stopped: BatchJobResult = { ...failedResult('/jobs/b', 'interrupted (SIGINT)', 'run again to resume where it stopped'), cancelled: true, error: { stage: 'fix', message: 'interrupted (SIGINT)', hint: 'run again to resume where it stopped' } };
const notStarted = notStartedResult('/jobs/c', 'SIGINT');
const failed = failedResult('/jobs/d', 'clip.mp4 is truncated', 'replace it');

describe('interrupted is its own outcome', () => {
  it.each([
    ['nothing interrupted', [done, failed], ''],
    ['one stopped', [stopped], '; interrupted: 1 of 1 job not finished (1 stopped); run again to resume'],
    ['one not started', [done, notStarted], '; interrupted: 1 of 2 jobs not finished (1 not started); run again to resume'],
    ['stopped and not started', [done, done, stopped, stopped, notStarted], '; interrupted: 3 of 5 jobs not finished (2 stopped, 1 not started); run again to resume'],
    ['with a failure before the signal', [failed, stopped, notStarted, notStarted], '; interrupted: 3 of 4 jobs not finished (1 stopped, 2 not started); run again to resume'],
  ] as const)('summary, %s', (_, results, summary) => {
    expect(interruptedSummary(results)).toBe(summary);
  });

  it('batch table: "stopped at <stage>" and "not started" rows, neither counted as failed', () => {
    expect(formatBatchTable([done, stopped, notStarted, failed], '/jobs')).toBe(
      'job  outcome          fixed  task    result\n' +
        'a    done             0      task-1  a/output/task-1.mp4\n' +
        'b    stopped at fix   0      -       interrupted (SIGINT) (to do: run again to resume where it stopped)\n' +
        'c    not started      0      -       not started: SIGINT came before its turn (to do: run again to start it)\n' +
        'd    failed at check  0      -       clip.mp4 is truncated (to do: replace it)\n' +
        '1 of 4 jobs done, 1 failed; interrupted: 2 of 4 jobs not finished (1 stopped, 1 not started); run again to resume.\n',
    );
  });

  it('run text: a "-" line that says where it stopped, and no "failed"', () => {
    expect(formatRunText([stopped], '/jobs', false)).toBe('- b  stopped at fix: interrupted (SIGINT)\n    to do: run again to resume where it stopped\n0 of 1 job done; interrupted: 1 of 1 job not finished (1 stopped); run again to resume.\n');
    expect(formatRunText([notStarted], '/jobs', false)).toBe('- c  not started: SIGINT came before its turn\n    to do: run again to start it\n0 of 1 job done; interrupted: 1 of 1 job not finished (1 not started); run again to resume.\n');
  });

  it('JSON: an explicit outcome per job; the existing fields kept', () => {
    const document = JSON.parse(formatRunJson([done, stopped, notStarted, failed], false, '/jobs')) as { ok: boolean; jobs: { outcome: string; interrupted: boolean; notStarted: boolean; cancelled: boolean; ok: boolean; error: { stage: string } | null }[] };
    expect(document.ok).toBe(false);
    expect(document.jobs.map((j) => [j.outcome, j.interrupted, j.notStarted, j.cancelled, j.ok, j.error?.stage ?? null])).toEqual([
      ['done', false, false, false, true, null],
      ['interrupted', true, false, true, false, 'fix'],
      ['not started', false, true, true, false, 'check'],
      ['failed', false, false, false, false, 'check'],
    ]);
  });

  it('JUnit: stopped and not-started jobs are skipped, not failures', () => {
    const xml = formatBatchJunit([done, stopped, notStarted, failed], '/jobs');
    expect(xml).toContain('tests="4" failures="1" errors="0" skipped="2"');
    expect(xml).toContain('<testcase classname="job" name="c">\n      <skipped/>\n      <system-out><![CDATA[not started: SIGINT came before its turn (to do: run again to start it)]]></system-out>\n    </testcase>');
  });

  it('batch exit code: a failure among interrupted jobs is still 1 (the command returns 130 / 143 first when the signal fired)', () => {
    expect(batchExitCode([done, failed, stopped])).toBe(1);
    expect(batchExitCode([done])).toBe(0);
  });
});
