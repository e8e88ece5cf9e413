import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveState, nextStep, type RunTarget, type Step } from '../../src/pipeline/job-state.js';
import { applyEvent, type JobEvent } from '../../src/pipeline/journal-events.js';
import { emptyJournal, type Journal, type TaskHome, type UploadTarget } from '../../src/pipeline/journal.js';

/** Pure: the state machine on a journal whose uploads and task were made on one store and API base, run on another. */
const AT = '2026-12-01T10:00:00.000Z';
const TASK = 'task-unified-1';
const REQUEST = { model: 'seedance-2.0-reference-to-video', prompt: 'p', image_urls: ['http://127.0.0.1:9000/seedance/a.png'] };
const FIXED = { requestFile: '/w/fixed/request.json', sources: [], outputs: ['/w/fixed/a.png'] };
const UPLOADS = [{ path: '/w/fixed/a.png', sha256: 'aa', key: 'aa.png', url: 'http://127.0.0.1:9000/seedance/a.png', bytes: 1, uploaded: true }];
const STORE: UploadTarget = { endpoint: 'http://127.0.0.1:9000', bucket: 'seedance' };
const SANDBOX_API = 'http://127.0.0.1:9001';
const PROVIDER = 'https://api.evolink.ai';
const ON_DISK = { resultOnDisk: true, fixedOnDisk: true };

function journal(events: JobEvent[]): Journal {
  return events.reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f1' });
}
const uploaded = (to: UploadTarget | undefined): JobEvent[] => [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST, to }];
const created = (home: TaskHome | undefined): JobEvent[] => [...uploaded(STORE), { type: 'sending', at: AT, home }, { type: 'created', taskId: TASK, status: 'pending' }];
const completed = (home: TaskHome): JobEvent[] => [...created(home), { type: 'task-ended', task: { id: TASK, status: 'completed', model: REQUEST.model, created: 1, results: ['http://r'] } }];

const target = (apiBase: string, sandbox: boolean, upload: UploadTarget = STORE): RunTarget => ({ upload, apiBase, sandbox });
const step = (events: JobEvent[], run: RunTarget | undefined, changed: string[] | null = null): Step => nextStep(deriveState(journal(events), ON_DISK), { changed, target: run });

describe('uploads made on another store', () => {
  it.each([
    ['the same store', STORE, target(SANDBOX_API, true), { do: 'create' }],
    ['the same store, its endpoint written with a slash', STORE, target(SANDBOX_API, true, { endpoint: 'http://127.0.0.1:9000/', bucket: 'seedance' }), { do: 'create' }],
    ['another port', STORE, target(SANDBOX_API, true, { endpoint: 'http://127.0.0.1:9100', bucket: 'seedance' }), { do: 'drop-uploads', uploadedTo: STORE }],
    ['another bucket', STORE, target(PROVIDER, false, { endpoint: 'http://127.0.0.1:9000', bucket: 'media' }), { do: 'drop-uploads', uploadedTo: STORE }],
    ['AWS S3 itself, then a custom endpoint', { endpoint: null, bucket: 'seedance' }, target(PROVIDER, false), { do: 'drop-uploads', uploadedTo: { endpoint: null, bucket: 'seedance' } }],
    ['a journal that did not record its store (an earlier version)', undefined, target(PROVIDER, false), { do: 'create' }],
  ] as const)('%s → %j', (_, to, run, expected) => {
    expect(step(uploaded(to), run)).toEqual(expected);
  });

  it('dropping them goes back to the fixed copies (uploaded again), or to fix when they are gone', () => {
    const dropped = journal([...uploaded(STORE), { type: 'uploads-dropped' }]);
    expect([dropped.uploads, dropped.request, dropped.uploadedTo, dropped.fixed]).toEqual([undefined, undefined, undefined, FIXED]);
    expect(deriveState(dropped, ON_DISK)).toEqual({ name: 'fixed' });
    expect(deriveState(dropped, { resultOnDisk: false, fixedOnDisk: false })).toEqual({ name: 'planned' });
  });

  it('a changed request renews the generation before anything about the store', () => {
    expect(step(uploaded(STORE), target(SANDBOX_API, true, { endpoint: 'http://127.0.0.1:9100', bucket: 'seedance' }), ['prompt'])).toMatchObject({ do: 'new-generation', reason: 'changed' });
  });
});

describe('a task created on another API base', () => {
  it.each([
    ['a billing base, run on another', created({ apiBase: PROVIDER }), target('https://eu.api.evolink.ai', false), { do: 'stop', why: 'other-api-base', taskId: TASK, apiBase: PROVIDER }],
    ['a billing base, run on a sandbox', created({ apiBase: PROVIDER }), target(SANDBOX_API, true), { do: 'stop', why: 'other-api-base', taskId: TASK, apiBase: PROVIDER }],
    ['a billing base, completed, run on another', completed({ apiBase: PROVIDER }), target('https://eu.api.evolink.ai', false), { do: 'stop', why: 'other-api-base', taskId: TASK, apiBase: PROVIDER }],
    ['a billing base, run on the same (a trailing slash)', created({ apiBase: PROVIDER }), target(`${PROVIDER}/`, false), { do: 'wait', taskId: TASK, previousRequest: false }],
    ['a sandbox, run on another sandbox (the same folder may know it)', created({ apiBase: SANDBOX_API, sandbox: true }), target('http://127.0.0.1:9200', true), { do: 'wait', taskId: TASK, previousRequest: false }],
    ['a sandbox, run on a billing base', created({ apiBase: SANDBOX_API, sandbox: true }), target(PROVIDER, false), { do: 'drop-task', taskId: TASK, apiBase: SANDBOX_API }],
    ['a sandbox, completed, run on a billing base', completed({ apiBase: SANDBOX_API, sandbox: true }), target(PROVIDER, false), { do: 'drop-task', taskId: TASK, apiBase: SANDBOX_API }],
    ['a journal that did not record its base (an earlier version)', created(undefined), target(PROVIDER, false), { do: 'wait', taskId: TASK, previousRequest: false }],
    ['no target given (a caller that does not say)', created({ apiBase: PROVIDER }), undefined, { do: 'wait', taskId: TASK, previousRequest: false }],
  ] as const)('%s → %j', (_, events, run, expected) => {
    expect(step(events, run)).toEqual(expected);
  });

  it('--restart starts over whatever base the task is on', () => {
    expect(nextStep(deriveState(journal(created({ apiBase: PROVIDER })), ON_DISK), { changed: null, restart: true, target: target(SANDBOX_API, true) })).toMatchObject({ do: 'new-generation', reason: 'restart' });
  });

  it('dropping a sandbox task keeps it in history and goes back to the uploads', () => {
    const dropped = journal([...created({ apiBase: SANDBOX_API, sandbox: true }), { type: 'task-dropped' }]);
    expect([dropped.submit, dropped.task, dropped.createdOn]).toEqual([undefined, undefined, undefined]);
    expect(dropped.history.map((g) => [g.submit?.taskId, g.createdOn])).toEqual([[TASK, { apiBase: SANDBOX_API, sandbox: true }]]);
    expect(deriveState(dropped, ON_DISK)).toEqual({ name: 'uploaded', uploadedTo: STORE });
  });

  it('a billing task is never made again on another base: whatever the bases, the step is never a create or a drop', () => {
    const base = fc.oneof(fc.constantFrom(PROVIDER, `${PROVIDER}/`, SANDBOX_API), fc.webUrl());
    fc.assert(
      fc.property(base, base, fc.boolean(), fc.boolean(), (recorded, current, sandboxRun, done) => {
        const next = step(done ? completed({ apiBase: recorded }) : created({ apiBase: recorded }), target(current, sandboxRun));
        expect(['create', 'drop-task', 'drop-uploads', 'new-generation']).not.toContain(next.do);
      }),
    );
  });
});
