import { describe, expect, it } from 'vitest';
import { deriveState, nextStep, type DiskFacts, type JobState, type Step, type StepInputs } from '../../src/pipeline/job-state.js';
import { applyEvent, createFailureEvent, SAME_REQUEST_STOPS, type JobEvent } from '../../src/pipeline/journal-events.js';
import { emptyJournal, type Journal } from '../../src/pipeline/journal.js';
import { ApiError, CreateOutcomeUnknownError } from '../../src/submit/errors.js';
import type { Task } from '../../src/submit/task.js';

const AT = '2026-12-01T10:00:00.000Z';
const TASK = 'task-unified-1';
const REQUEST = { model: 'seedance-2.0-reference-to-video', prompt: 'p', image_urls: ['http://s3/a.png'] };
const FIXED = { requestFile: '/w/fixed/request.json', sources: [], outputs: ['/w/fixed/a.png'] };
const UPLOADS = [{ path: '/w/fixed/a.png', sha256: 'aa', key: 'aa.png', url: 'http://s3/a.png', bytes: 1, uploaded: true }];
const task = (status: string, extra: Partial<Task> = {}): Task => ({ id: TASK, status, model: REQUEST.model, created: 1, ...extra });
const ON_DISK: DiskFacts = { resultOnDisk: true, fixedOnDisk: true };

/** A journal in each state, built by the events that lead there (as the executor records them). */
const EVENTS_TO: Record<string, JobEvent[]> = {
  planned: [],
  fixed: [{ type: 'fixed', fixed: FIXED }],
  uploaded: [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }],
  sending: [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }],
  'unknown-create': [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'create-unknown' }],
  created: [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'created', taskId: TASK, status: 'pending' }],
  completed: [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'created', taskId: TASK, status: 'pending' }, { type: 'task-ended', task: task('completed', { results: ['http://r'] }) }],
  'downloaded, not checked': [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'created', taskId: TASK, status: 'pending' }, { type: 'task-ended', task: task('completed') }, { type: 'downloaded', result: { path: `/o/${TASK}.mp4`, bytes: 9 } }],
  downloaded: [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'created', taskId: TASK, status: 'pending' }, { type: 'task-ended', task: task('completed') }, { type: 'downloaded', result: { path: `/o/${TASK}.mp4`, bytes: 9 } }, { type: 'checked', qc: [] }],
  'failed(submit)': [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, createFailureEvent(new ApiError({ status: 400, code: 'invalid_request', type: 'invalid_request_error', message: 'bad duration' }))],
  'failed(wait)': [{ type: 'fixed', fixed: FIXED }, { type: 'uploaded', uploads: UPLOADS, request: REQUEST }, { type: 'sending', at: AT }, { type: 'created', taskId: TASK, status: 'pending' }, { type: 'task-ended', task: task('failed', { error: { code: 'content_policy_violation', message: 'refused' } }) }],
};

const journalIn = (name: string): Journal => EVENTS_TO[name]!.reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f1' });
const stateOf = (journal: Journal, disk: DiskFacts = ON_DISK) => deriveState(journal, disk);
const SAME: StepInputs = { changed: null };

/** A step in a few words, so a table row reads at a glance. */
function brief(step: Step): string {
  switch (step.do) {
    case 'wait':
    case 'download':
      return `${step.do} ${step.taskId}${step.previousRequest ? ' (previous request)' : ''}`;
    case 'adopt':
      return `adopt ${step.taskId}`;
    case 'qc':
      return `qc ${step.taskId}`;
    case 'new-generation':
      return `new generation (${step.reason}${step.previousTaskId ? `, after ${step.previousTaskId}` : ''})`;
    case 'stop':
      return `stop: ${step.why}`;
    default:
      return step.do;
  }
}

/** What the executor records when `event` strikes during `step` (a crash or a cancel records nothing; a create's "sending" is written before its call). */
function recorded(step: Step, event: string): JobEvent[] {
  if (step.do !== 'create') return [];
  const sending: JobEvent = { type: 'sending', at: AT };
  switch (event) {
    case 'crash':
      return [sending];
    case 'cancel':
      // the create is let finish: Ctrl-C stops at the next boundary
      return [sending, { type: 'created', taskId: TASK, status: 'pending' }];
    case '4xx':
      return [sending, createFailureEvent(new ApiError({ status: 400, code: 'invalid_request', type: 'invalid_request_error', message: 'bad' }))];
    case '5xx':
      return [sending, createFailureEvent(new ApiError({ status: 503, code: 'service_unavailable', type: 'upstream_error', message: 'later' }))];
    case 'lost answer':
      return [sending, createFailureEvent(new CreateOutcomeUnknownError('http://api/v1/videos/generations', new Date(AT), new Error('socket hang up')))];
    default:
      throw new Error(event);
  }
}

describe('deriveState: the state is read from the journal alone (and whether its files are on disk)', () => {
  it.each([
    ['planned', { name: 'planned' }],
    ['fixed', { name: 'fixed' }],
    ['uploaded', { name: 'uploaded' }],
    ['sending', { name: 'sending', at: AT }],
    ['unknown-create', { name: 'unknown-create', at: AT }],
    ['created', { name: 'created', taskId: TASK }],
    ['completed', { name: 'completed', taskId: TASK }],
    ['downloaded, not checked', { name: 'downloaded', taskId: TASK, path: `/o/${TASK}.mp4`, checked: false }],
    ['downloaded', { name: 'downloaded', taskId: TASK, path: `/o/${TASK}.mp4`, checked: true }],
    ['failed(submit)', { name: 'failed', taskId: null, stage: 'submit', message: 'HTTP 400 invalid_request: bad duration', hint: expect.stringContaining(SAME_REQUEST_STOPS) }],
    ['failed(wait)', { name: 'failed', taskId: TASK, stage: 'wait', message: `task ${TASK} failed: content_policy_violation: refused`, hint: `change the prompt or media so they meet the content policy; ${SAME_REQUEST_STOPS}` }],
  ] as [string, JobState][])('%s', (name, state) => {
    expect(stateOf(journalIn(name))).toEqual(state);
  });

  it('a result deleted from disk is fetched again (completed); fixed copies deleted are made again (planned)', () => {
    expect(stateOf(journalIn('downloaded'), { resultOnDisk: false, fixedOnDisk: true })).toEqual({ name: 'completed', taskId: TASK });
    expect(stateOf(journalIn('fixed'), { resultOnDisk: false, fixedOnDisk: false })).toEqual({ name: 'planned' });
  });
});

describe('nextStep: every state × every event → the step the next run takes (same inputs unless "changed inputs")', () => {
  const EVENTS = ['crash', 'cancel', '4xx', '5xx', 'lost answer', 'changed inputs'];
  // the step this run takes in that state, then per event the step of the next run
  const TABLE: [string, string, string[]][] = [
    ['planned', 'fix', ['fix', 'fix', 'fix', 'fix', 'fix', 'new generation (changed)']],
    ['fixed', 'upload', ['upload', 'upload', 'upload', 'upload', 'upload', 'new generation (changed)']],
    ['uploaded', 'create', ['stop: unknown-create', `wait ${TASK}`, 'stop: failed', 'create', 'stop: unknown-create', 'new generation (changed)']],
    ['sending', 'stop: unknown-create', ['stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create']],
    ['unknown-create', 'stop: unknown-create', ['stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create', 'stop: unknown-create']],
    ['created', `wait ${TASK}`, [`wait ${TASK}`, `wait ${TASK}`, `wait ${TASK}`, `wait ${TASK}`, `wait ${TASK}`, `wait ${TASK} (previous request)`]],
    ['completed', `download ${TASK}`, [`download ${TASK}`, `download ${TASK}`, `download ${TASK}`, `download ${TASK}`, `download ${TASK}`, `download ${TASK} (previous request)`]],
    // result QC runs once, even when the request changed since (it completes the paid-for generation)
    ['downloaded, not checked', `qc ${TASK}`, [`qc ${TASK}`, `qc ${TASK}`, `qc ${TASK}`, `qc ${TASK}`, `qc ${TASK}`, `qc ${TASK}`]],
    ['downloaded', 'finish', ['finish', 'finish', 'finish', 'finish', 'finish', `new generation (changed, after ${TASK})`]],
    ['failed(submit)', 'stop: failed', ['stop: failed', 'stop: failed', 'stop: failed', 'stop: failed', 'stop: failed', 'new generation (changed)']],
    ['failed(wait)', 'stop: failed', ['stop: failed', 'stop: failed', 'stop: failed', 'stop: failed', 'stop: failed', `new generation (changed, after ${TASK})`]],
  ];

  it('covers every state', () => {
    expect(TABLE.map(([name]) => name)).toEqual(Object.keys(EVENTS_TO));
  });

  it.each(TABLE)('%s: this run %s; the next run after each event', (name, now, after) => {
    const journal = journalIn(name);
    const step = nextStep(stateOf(journal), SAME);
    expect(brief(step)).toBe(now);
    const next = EVENTS.map((event) => {
      if (event === 'changed inputs') return brief(nextStep(stateOf(journal), { changed: ['prompt'] }));
      const later = recorded(step, event).reduce(applyEvent, journal);
      return brief(nextStep(stateOf(later), SAME));
    });
    expect(Object.fromEntries(EVENTS.map((e, i) => [e, next[i]]))).toEqual(Object.fromEntries(EVENTS.map((e, i) => [e, after[i]])));
  });
});

describe('nextStep: --adopt-task and --restart', () => {
  const TABLE: [string, string, string, string][] = [
    // state, --adopt-task TASK, --adopt-task other, --restart
    ['planned', 'stop: nothing-to-adopt', 'stop: nothing-to-adopt', 'new generation (restart)'],
    ['uploaded', 'stop: nothing-to-adopt', 'stop: nothing-to-adopt', 'new generation (restart)'],
    ['sending', `adopt ${TASK}`, 'adopt task-unified-2', 'new generation (restart)'],
    ['unknown-create', `adopt ${TASK}`, 'adopt task-unified-2', 'new generation (restart)'],
    ['created', `wait ${TASK}`, 'stop: nothing-to-adopt', `new generation (restart, after ${TASK})`],
    ['downloaded', 'finish', 'stop: nothing-to-adopt', `new generation (restart, after ${TASK})`],
    ['failed(wait)', 'stop: failed', 'stop: nothing-to-adopt', `new generation (restart, after ${TASK})`],
  ];
  it.each(TABLE)('%s', (name, adoptSame, adoptOther, restart) => {
    const state = stateOf(journalIn(name));
    expect([nextStep(state, { changed: null, adoptTask: TASK }), nextStep(state, { changed: null, adoptTask: 'task-unified-2' }), nextStep(state, { changed: null, restart: true })].map(brief)).toEqual([adoptSame, adoptOther, restart]);
  });

  it('--restart says what the closed generation leaves unsettled', () => {
    const abandoned = (name: string) => (nextStep(stateOf(journalIn(name)), { changed: null, restart: true }) as Extract<Step, { do: 'new-generation' }>).abandoned;
    expect(abandoned('unknown-create')).toEqual({ unknownCreateAt: AT });
    expect(abandoned('created')).toEqual({ notDownloaded: TASK });
    expect(abandoned('downloaded')).toBeNull();
  });

  it('an adopted task is the job\'s task: the next step waits for it', () => {
    const adopted = applyEvent(journalIn('unknown-create'), { type: 'adopted', task: task('processing') });
    expect(adopted.submit).toEqual({ state: 'created', at: AT, taskId: TASK, adopted: true });
    expect(brief(nextStep(stateOf(adopted), SAME))).toBe(`wait ${TASK}`);
  });
});

describe('applyEvent: generations', () => {
  it('a new generation keeps the closed one in history when it reached the provider, and starts empty', () => {
    const next = applyEvent(journalIn('downloaded'), { type: 'new-generation', fingerprint: 'f2', inputs: { request: { prompt: 'q' }, profile: 'p', fix: { fit: 'pad', audioFormat: 'mp3' } } });
    expect(next.fingerprint).toBe('f2');
    expect([next.submit, next.result, next.request, next.fixed]).toEqual([undefined, undefined, undefined, undefined]);
    expect(next.history).toHaveLength(1);
    expect(next.history[0]).toMatchObject({ fingerprint: 'f1', submit: { state: 'created', taskId: TASK }, result: { path: `/o/${TASK}.mp4`, bytes: 9 } });
    expect(stateOf(next)).toEqual({ name: 'planned' });
  });

  it('a generation that never reached the provider leaves no history', () => {
    expect(applyEvent(journalIn('uploaded'), { type: 'new-generation', fingerprint: 'f2', inputs: null as never }).history).toEqual([]);
  });

  it.each([
    [new ApiError({ status: 400, code: 'invalid_request', type: 't', message: 'm' }), true],
    [new ApiError({ status: 402, code: 'insufficient_quota', type: 't', message: 'm' }), false],
    [new ApiError({ status: 429, code: 'rate_limit_exceeded', type: 't', message: 'm' }), false],
    [new ApiError({ status: 500, code: 'internal_error', type: 't', message: 'm' }), false],
  ])('a create refused with %s is final for the same request: %s', (error, final) => {
    expect(createFailureEvent(error)).toMatchObject({ type: 'create-refused', final });
  });
});
