import { describe, expect, it } from 'vitest';
import { batchExitCode } from '../../../src/cli/commands/batch.js';
import { formatBatchJunit } from '../../../src/cli/output/batch-junit.js';
import { formatBatchTable } from '../../../src/cli/output/batch-table.js';
import { formatRunJson, formatRunText } from '../../../src/cli/output/run-text.js';
import { failedResult } from '../../../src/pipeline/failed-result.js';
import { busyHint, busyMessage, type JobBusy } from '../../../src/pipeline/lock-holder.js';
import type { RunJobResult } from '../../../src/pipeline/run-job.js';

const busy: JobBusy = {
  lock: '/jobs/b/.seedance-preflight/job.lock',
  holder: { host: 'render-1', pid: 4242, startedAt: '2025-01-01T10:00:00.000Z', command: 'seedance-preflight run' },
  heartbeatAgeMs: 2000,
  staleAfterMs: 30_000,
};
const done: RunJobResult = { ...failedResult('/jobs/a', '', ''), ok: true, error: null, taskId: 'task-1', result: { path: '/jobs/a/output/task-1.mp4', bytes: 10 } };
const busyJob: RunJobResult = { ...failedResult('/jobs/b', busyMessage(busy), busyHint(busy)), busy };
const failed: RunJobResult = failedResult('/jobs/c', 'clip.mp4 is truncated', 'replace it');
const MESSAGE = 'busy: another process runs this job: pid 4242 on render-1 (seedance-preflight run), holding it since 2025-01-01T10:00:00.000Z, last heartbeat 2 s ago (lock /jobs/b/.seedance-preflight/job.lock)';
const HINT = 'run it again once that process has ended (nothing was changed here); if it died, its lock is taken over once its heartbeat is 30 s old (SEEDANCE_LOCK_STALE_SECONDS)';

describe('a busy job in every output', () => {
  it('run text: a "-" line with who holds it, the hint, and "busy" counted apart from "failed"', () => {
    // the lock's path in the message is shown from the folder the command ran in, as the job's name is
    expect(formatRunText([busyJob], '/jobs', false)).toBe(`- b  ${MESSAGE.replace('/jobs/b/', 'b/')}\n    to do: ${HINT}\n0 of 1 job done, 1 busy.\n`);
    expect(formatRunText([done, busyJob, failed], '/jobs', false).split('\n').at(-2)).toBe('1 of 3 jobs done, 1 failed, 1 busy.');
  });

  it('batch table: outcome "busy", the holder in the result column', () => {
    expect(formatBatchTable([done, busyJob, failed], '/jobs')).toBe(
      'job  outcome          fixed  task    result\n' +
        'a    done             0      task-1  a/output/task-1.mp4\n' +
        `b    busy             0      -       ${MESSAGE} (to do: ${HINT})\n` +
        'c    failed at check  0      -       clip.mp4 is truncated (to do: replace it)\n' +
        '1 of 3 jobs done, 1 failed, 1 busy.\n',
    );
  });

  it('JUnit: a skipped test case whose output names the holder; failures stay failures', () => {
    const xml = formatBatchJunit([done, busyJob, failed], '/jobs');
    expect(xml).toContain('tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain(`<testcase classname="job" name="b">\n      <skipped/>\n      <system-out><![CDATA[${MESSAGE} (to do: ${HINT})]]></system-out>\n    </testcase>`);
  });

  it('JSON: busy holds the holder record (null for every other job)', () => {
    const document = JSON.parse(formatRunJson([done, busyJob], false, '/jobs')) as { ok: boolean; jobs: { busy: unknown; ok: boolean }[] };
    expect(document.ok).toBe(false);
    expect(document.jobs.map((j) => [j.ok, j.busy])).toEqual([[true, null], [false, busy]]);
  });

  it.each([
    ['all done', [done], 0],
    ['done and busy', [done, busyJob], 75],
    ['busy and failed', [busyJob, failed], 1],
    ['done and failed', [done, failed], 1],
    ['only busy', [busyJob], 75],
  ] as const)('batch exit code, %s → %i', (_, results, code) => {
    expect(batchExitCode(results)).toBe(code);
  });
});
