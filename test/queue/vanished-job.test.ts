import { describe, expect, it } from 'vitest';
import { emptyJournal, type Journal } from '../../src/pipeline/journal.js';
import { vanishedJobVerdict } from '../../src/queue/vanished-job.js';
import { lostJobId } from '../../src/queue/worker.js';

// the worker mounts ROOT at /mnt/jobs; the enqueuer sees the same folder at /home/me/root
const WORKER_FOLDER = '/mnt/jobs/hero';
const FOLDER = '/home/me/root/hero';
const AT = '2026-01-02T03:04:05.000Z';
const TASK = 'task-unified-1-abc';
const UPLOADS = [{ path: `${WORKER_FOLDER}/.seedance-preflight/fixed/clip.mp4`, sha256: 'a'.repeat(64), key: 'seedance/a.mp4', url: 'https://cdn/a.mp4', bytes: 10, uploaded: true }];
const REQUEST = { model: 'seedance-2.0-reference-to-video', prompt: 'p', video_urls: ['https://cdn/a.mp4'] };

const journal = (fields: Partial<Journal>): Journal => ({ ...emptyJournal(WORKER_FOLDER), fingerprint: 'f1', ...fields });
const uploaded = { uploads: UPLOADS, request: REQUEST };
const created = { ...uploaded, submit: { state: 'created' as const, at: AT, taskId: TASK }, task: { id: TASK, status: 'processing' } };
const downloaded = { ...created, task: { id: TASK, status: 'completed' }, result: { path: `${WORKER_FOLDER}/output/${TASK}.mp4`, bytes: 1234 } };
const facts = (resultOnDisk: boolean, fingerprint: string | null = 'f1') => ({ folder: FOLDER, fingerprint, resultOnDisk });

describe('vanishedJobVerdict: what the journal of a job Redis lost says', () => {
  it.each<[string, Journal | null, ReturnType<typeof facts>, string]>([
    ['no journal (it waited in the queue)', null, facts(false), 'no journal'],
    ['a journal of another request', journal({ ...downloaded, fingerprint: 'f0', result: { ...downloaded.result, qc: [] } }), facts(true), 'another request'],
    ['planned', journal({}), facts(false), 'planned'],
    ['uploaded, waiting for a task slot', journal(uploaded), facts(false), 'uploaded'],
    ['create sent, no answer yet', journal({ ...uploaded, submit: { state: 'sending', at: AT } }), facts(false), 'sending'],
    ['task created, being waited for', journal(created), facts(false), 'created'],
    ['downloaded, QC not yet run', journal(downloaded), facts(true), 'downloaded'],
    ['downloaded and checked, but the result file is gone (fetched again from its task)', journal({ ...downloaded, result: { ...downloaded.result, qc: [] } }), facts(false), 'completed'],
  ])('%s → unfinished (%s)', (_name, given, fact, state) => {
    expect(vanishedJobVerdict(given, fact)).toEqual({ verdict: 'unfinished', state });
  });

  it('downloaded and checked → done: its task, its result and uploads under the enqueuer\'s folder, its QC, said to come from the journal', () => {
    const qc = [{ rule: 'qc.duration', severity: 'warning', expected: 5, actual: 4.9 }] as unknown as NonNullable<Journal['result']>['qc'];
    const seen = vanishedJobVerdict(journal({ ...downloaded, result: { ...downloaded.result, qc } }), facts(true));
    expect(seen).toEqual({
      verdict: 'done',
      result: {
        job: FOLDER,
        ok: true,
        resumed: ['check', 'fix', 'upload', 'submit', 'wait', 'download'],
        fixed: [],
        uploads: [{ ...UPLOADS[0], path: `${FOLDER}/.seedance-preflight/fixed/clip.mp4`, uploaded: false }],
        request: REQUEST,
        taskId: TASK,
        result: { path: `${FOLDER}/output/${TASK}.mp4`, bytes: 1234 },
        qc,
        costDrivers: null,
        error: null,
        state: 'downloaded',
        notes: ['the queue lost this job (Redis lost its keys) after it ended: this result is read from its journal'],
        previousResults: [],
        cancelled: false,
      },
    });
  });

  it('without the enqueued fingerprint, the journal\'s current request is taken as the job\'s', () => {
    expect(vanishedJobVerdict(journal({ ...downloaded, result: { ...downloaded.result, qc: [] } }), facts(true, null)).verdict).toBe('done');
  });

  it('a failure the journal keeps (the task failed) → failed at that stage, with its message and hint', () => {
    const failure = { stage: 'wait' as const, message: 'task task-unified-1-abc failed: content policy', hint: 'change the prompt' };
    const seen = vanishedJobVerdict(journal({ ...created, task: { id: TASK, status: 'failed' }, failure }), facts(false));
    expect(seen.verdict).toBe('failed');
    expect(seen.verdict !== 'unfinished' && [seen.result.ok, seen.result.taskId, seen.result.error, seen.result.state, seen.result.resumed]).toEqual([false, TASK, failure, 'failed', ['check', 'fix', 'upload', 'submit']]);
  });
});

describe('lostJobId: BullMQ\'s errors about a job whose keys are gone', () => {
  it.each([
    ['could not renew lock for job j0123abcd', 'j0123abcd'],
    ['Missing lock for job j0123abcd. moveToFinished', 'j0123abcd'],
    ['Missing key for job j0123abcd. moveToFinished', 'j0123abcd'],
    ['Connection is closed.', null],
    ['Lock mismatch for job j0123abcd. Cmd moveToFinished from active', null],
  ])('%j → %j', (message, id) => {
    expect(lostJobId(message)).toBe(id);
  });
});
