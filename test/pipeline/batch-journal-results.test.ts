import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedResult } from '../../src/pipeline/failed-result.js';
import type { FixedFileReport } from '../../src/pipeline/fix-targets.js';
import { applyEvent } from '../../src/pipeline/journal-events.js';
import { fixedFromJournal, restoreJournalResults, withFileReports, withJournalResults } from '../../src/pipeline/journal-results.js';
import { emptyJournal, readJournal, writeJournal, type Journal } from '../../src/pipeline/journal.js';
import type { JobStage, RunJobResult } from '../../src/pipeline/run-job.js';
import { tempDir } from '../helpers/fixtures.js';

const JOB = '/jobs/hero';
const TASK = 'task-unified-7';
const REPORT: FixedFileReport = {
  path: `${JOB}/clip.webm`,
  kind: 'video',
  violations: [],
  mode: 'reencode',
  actions: [{ rule: 'video.fps', what: 'frame rate 15 → 24', before: 15, after: 24 }],
  output: `${JOB}/.seedance-preflight/fixed/clip.mp4`,
  outputInfo: null,
  cached: false,
  ok: true,
  error: null,
  outputViolations: [],
  plan: { type: 'keep', kind: 'video', mode: 'copy', source: `${JOB}/clip.webm`, extension: 'mp4', actions: [] },
};
const FIXED = { requestFile: `${JOB}/.seedance-preflight/fixed/request.json`, sources: [{ path: REPORT.path, size: 10, mtimeMs: 1 }], outputs: [REPORT.output!] };
const UPLOADS = [{ path: REPORT.output!, sha256: 'aa', key: 'aa.mp4', url: 'http://s3/aa.mp4', bytes: 5, uploaded: true }];
const REQUEST = { model: 'seedance-2.0-reference-to-video', prompt: 'video 1', video_urls: ['http://s3/aa.mp4'] };

/** The journal of a job whose fix, upload and create were recorded (its task in flight), built by the executor's events. */
const created = (): Journal =>
  [
    { type: 'fixed', fixed: withFileReports(FIXED, [{ ...REPORT, interrupted: undefined }]) },
    { type: 'uploaded', uploads: UPLOADS, request: REQUEST },
    { type: 'sending', at: '2026-12-01T10:00:00.000Z' },
    { type: 'created', taskId: TASK, status: 'pending' },
  ].reduce((j, e) => applyEvent(j, e as Parameters<typeof applyEvent>[1]), emptyJournal(JOB));

const fresh = (): RunJobResult => ({ ...failedResult(JOB, 'querying task: HTTP 403', 'run again'), error: { stage: 'wait', message: 'querying task: HTTP 403', hint: 'run again' } });

describe('withJournalResults: what a run did not do itself comes from the journal', () => {
  it('a run that only waited (and failed at it): the earlier fix, uploads (not sent now), request and task', () => {
    const result = fresh();
    withJournalResults(result, created(), new Set<JobStage>(['wait']));
    expect([result.fixed, result.uploads, result.request, result.taskId, result.result]).toEqual([[REPORT], UPLOADS.map((u) => ({ ...u, uploaded: false })), REQUEST, TASK, null]);
  });

  it('stages this run performed keep their own report: a fix that ran now (and failed) shows no earlier fix', () => {
    const result = fresh();
    withJournalResults(result, created(), new Set<JobStage>(['check', 'fix']));
    expect(result.fixed).toEqual([]);
    const uploaded = { ...fresh(), uploads: [{ ...UPLOADS[0]!, uploaded: true }] };
    withJournalResults(uploaded, created(), new Set<JobStage>(['upload']));
    expect(uploaded.uploads).toEqual([{ ...UPLOADS[0]!, uploaded: true }]);
  });

  it('a new generation (a changed request, --restart) has no earlier fix of its own to report', () => {
    const renewed = applyEvent(created(), { type: 'new-generation', fingerprint: 'f2', inputs: { version: 1 } as unknown as Journal['inputs'] & object });
    const result = fresh();
    withJournalResults(result, renewed, new Set());
    expect([result.fixed, result.uploads, result.request, result.taskId]).toEqual([[], [], null, null]);
  });

  it('a journal of an earlier version (no per-file record), or a record that is not one, gives no fixed files', () => {
    expect(fixedFromJournal(FIXED)).toEqual([]);
    expect(fixedFromJournal(undefined)).toEqual([]);
    expect(fixedFromJournal({ ...FIXED, files: [{ path: 3 }, null, { ...REPORT, actions: 'x' }, { ...REPORT, plan: null }, { ...REPORT, violations: undefined }, REPORT] } as unknown as typeof FIXED)).toEqual([REPORT]);
  });
});

describe('restoreJournalResults: read back from the work folder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-batch-journal-results-')));
  afterAll(() => cleanup());

  it('the journal as written (every per-file field kept through the redaction) fills the result; the result file only while it exists', async () => {
    const work = join(dir, 'work');
    await mkdir(work);
    const video = join(dir, `${TASK}.mp4`);
    const journal = applyEvent(applyEvent(created(), { type: 'task-ended', task: { id: TASK, status: 'completed', model: REQUEST.model, created: 1 } }), { type: 'downloaded', result: { path: video, bytes: 9 } });
    await writeJournal(work, journal, {});
    expect(fixedFromJournal((await readJournal(work))!.fixed)).toEqual([REPORT]);
    const missing = fresh();
    await restoreJournalResults(missing, work, JOB, new Set());
    expect([missing.fixed, missing.taskId, missing.result]).toEqual([[REPORT], TASK, null]);
    await writeFile(video, 'video');
    const there = fresh();
    await restoreJournalResults(there, work, JOB, new Set());
    expect(there.result).toEqual({ path: video, bytes: 9 });
  });

  it("another job's journal, a damaged one, or none adds nothing", async () => {
    const other = join(dir, 'other');
    await mkdir(other);
    await writeJournal(other, { ...created(), job: '/jobs/villain' }, {});
    const damaged = join(dir, 'damaged');
    await mkdir(damaged);
    await writeFile(join(damaged, 'journal.json'), '{"job": ');
    for (const work of [other, damaged, join(dir, 'none')]) {
      const result = fresh();
      await restoreJournalResults(result, work, JOB, new Set());
      expect(result).toEqual(fresh());
    }
  });
});
