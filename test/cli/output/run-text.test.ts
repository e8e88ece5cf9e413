import { describe, expect, it } from 'vitest';
import { formatBatchTable } from '../../../src/cli/output/batch-table.js';
import { formatRunJson, formatRunText } from '../../../src/cli/output/run-text.js';
import type { FixedFileReport } from '../../../src/pipeline/fix-targets.js';
import { failedResult } from '../../../src/pipeline/failed-result.js';
import type { RunJobResult } from '../../../src/pipeline/run-job.js';

const fixedFile = { path: '/work/jobs/a/clip.webm', kind: 'video', mode: 'reencode', actions: [{ rule: 'video.fps', what: 'frame rate 15 → 24 fps', before: 15, after: 24 }], output: '/work/jobs/a/.seedance-preflight/fixed/clip.mp4', cached: false, violations: [], outputViolations: [], ok: true } as unknown as FixedFileReport;
const done: RunJobResult = {
  ...failedResult('/work/jobs/a', '', ''),
  ok: true,
  error: null,
  taskId: 'task-1',
  result: { path: '/work/jobs/a/output/task-1.mp4', bytes: 10 },
  fixed: [fixedFile],
  uploads: [{ path: '/work/jobs/a/.seedance-preflight/fixed/clip.mp4', key: 'k.mp4', url: 'https://store.example/k.mp4', bytes: 10, uploaded: true, contentType: 'video/mp4', sha256: 'k' }],
  previousResults: [{ taskId: 'task-0', path: '/work/jobs/a/output/task-0.mp4' }],
};
const resumed: RunJobResult = { ...done, resumed: ['check', 'fix', 'upload', 'submit', 'wait', 'download'] };

describe('run and batch outputs name paths from the command\'s folder', () => {
  it('run text: the result, the earlier result and the fixed files, relative to the folder the command ran in', () => {
    expect(formatRunText([done], '/work', false)).toBe(
      '✓ jobs/a  task task-1 completed → jobs/a/output/task-1.mp4\n' +
        '    kept the earlier result of task task-0 (previous request): jobs/a/output/task-0.mp4\n' +
        '    fixed jobs/a/clip.webm: frame rate 15 → 24 fps\n' +
        '1 of 1 job done.\n',
    );
    // from a sibling folder: as the user would type them from there
    expect(formatRunText([done], '/work/elsewhere', false).split('\n')[0]).toBe('✓ ../jobs/a  task task-1 completed → ../jobs/a/output/task-1.mp4');
  });

  it('run text, resumed: the fixes read back from the journal are said to be from an earlier run', () => {
    expect(formatRunText([resumed], '/work', false)).toBe(
      '✓ jobs/a  task task-1 completed → jobs/a/output/task-1.mp4 (resumed: check, fix, upload, submit, wait, download already done)\n' +
        '    kept the earlier result of task task-0 (previous request): jobs/a/output/task-0.mp4\n' +
        '    fixed earlier jobs/a/clip.webm: frame rate 15 → 24 fps\n' +
        '1 of 1 job done.\n',
    );
  });

  it('JSON: the job, its result, fixed files, uploads and earlier results; URLs unchanged', () => {
    const [job] = (JSON.parse(formatRunJson([done], false, '/work')) as { jobs: Record<string, unknown>[] }).jobs;
    expect([job!.job, job!.result, job!.fixed, job!.uploads, job!.previousResults]).toEqual([
      'jobs/a',
      { path: 'jobs/a/output/task-1.mp4', bytes: 10 },
      [{ path: 'jobs/a/clip.webm', kind: 'video', mode: 'reencode', actions: [{ rule: 'video.fps', what: 'frame rate 15 → 24 fps', before: 15, after: 24 }], output: 'jobs/a/.seedance-preflight/fixed/clip.mp4', cached: false }],
      [{ path: 'jobs/a/.seedance-preflight/fixed/clip.mp4', key: 'k.mp4', url: 'https://store.example/k.mp4', bytes: 10, uploaded: true }],
      [{ taskId: 'task-0', path: 'jobs/a/output/task-0.mp4' }],
    ]);
  });

  it('batch table: jobs and results relative to the command\'s folder, as the report names them', () => {
    expect(formatBatchTable([done], '/work/jobs')).toBe('job  outcome  fixed  task    result\na    done     1      task-1  a/output/task-1.mp4\n1 of 1 jobs done.\n');
    expect(formatBatchTable([done], '/work/other').split('\n')[1]).toBe('../jobs/a  done     1      task-1  ../jobs/a/output/task-1.mp4');
  });
});
