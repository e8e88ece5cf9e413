import { describe, expect, it } from 'vitest';
import { adoptMismatches, describeMismatches, type AdoptMismatch } from '../../src/pipeline/adopt-check.js';
import { deriveState, nextStep } from '../../src/pipeline/job-state.js';
import { applyEvent, type JobEvent } from '../../src/pipeline/journal-events.js';
import { emptyJournal, type Journal } from '../../src/pipeline/journal.js';
import type { Task } from '../../src/submit/task.js';

const REF = 'seedance-2.0-reference-to-video';
const TEXT = 'seedance-2.0-text-to-video';
const SENT_AT = '2026-12-01T10:00:00.000Z';
const SENT_S = Date.parse(SENT_AT) / 1000;
const detail = (model: string, duration: number, created: number): Pick<Task, 'model' | 'task_info' | 'created'> => ({ model, task_info: { video_duration: duration }, created });

describe('adoptMismatches: what the task detail carries against the create the job sent', () => {
  const rows: [string, Pick<Task, 'model' | 'task_info' | 'created'>, Record<string, unknown>, AdoptMismatch[]][] = [
    ['the same model, duration and a creation just after the send', detail(REF, 8, SENT_S + 2), { model: REF, duration: 8 }, []],
    ['created 60 s before the send (clock skew allowed)', detail(REF, 8, SENT_S - 60), { model: REF, duration: 8 }, []],
    ['created 10 min after the send (the latest allowed)', detail(REF, 8, SENT_S + 600), { model: REF, duration: 8 }, []],
    ['no duration in the request: the default 5 s', detail(REF, 5, SENT_S), { model: REF }, []],
    ['a detail without model, duration or created proves nothing against it', { }, { model: REF, duration: 8 }, []],
    ['another model', detail(TEXT, 8, SENT_S), { model: REF, duration: 8 }, [{ field: 'model', task: TEXT, job: REF }]],
    ['another duration', detail(REF, 10, SENT_S), { model: REF, duration: 8 }, [{ field: 'duration', task: '10 s', job: '8 s' }]],
    ['another duration than the default', detail(REF, 10, SENT_S), { model: REF }, [{ field: 'duration', task: '10 s', job: '5 s (the default; the request names none)' }]],
    ['created 61 s before the send', detail(REF, 8, SENT_S - 61), { model: REF, duration: 8 }, [{ field: 'created', task: '2026-12-01T09:58:59.000Z', job: SENT_AT }]],
    ['created 10 min 1 s after the send', detail(REF, 8, SENT_S + 601), { model: REF, duration: 8 }, [{ field: 'created', task: '2026-12-01T10:10:01.000Z', job: SENT_AT }]],
    [
      'all three',
      detail(TEXT, 10, SENT_S - 3600),
      { model: REF, duration: 8 },
      [{ field: 'model', task: TEXT, job: REF }, { field: 'duration', task: '10 s', job: '8 s' }, { field: 'created', task: '2026-12-01T09:00:00.000Z', job: SENT_AT }],
    ],
  ];
  it.each(rows)('%s', (_what, task, request, expected) => {
    expect(adoptMismatches(task, { request, sentAt: SENT_AT })).toEqual(expected);
  });

  it('without a recorded send time, the creation time is not judged', () => {
    expect(adoptMismatches(detail(REF, 8, 1), { request: { model: REF, duration: 8 }, sentAt: null })).toEqual([]);
  });

  it('says both sides of every mismatch in one line', () => {
    expect(describeMismatches('task-unified-9', adoptMismatches(detail(TEXT, 10, SENT_S - 3600), { request: { model: REF, duration: 8 }, sentAt: SENT_AT }))).toBe(
      `task task-unified-9: model ${TEXT}, the job's request: ${REF}; duration 10 s, the job's request: 8 s; ` +
        `created 2026-12-01T09:00:00.000Z, the job's create was sent ${SENT_AT} (its task is created from 60 s before to 10 min after)`,
    );
  });
});

describe('nextStep: a task adopted by hand never blocks adopting another', () => {
  const TASK = 'task-unified-1';
  const OTHER = 'task-unified-2';
  const REQUEST = { model: REF, prompt: 'p' };
  const base: JobEvent[] = [{ type: 'uploaded', uploads: [], request: REQUEST }, { type: 'sending', at: SENT_AT }, { type: 'create-unknown' }];
  const adopted = (status: string, extra: JobEvent[] = []): Journal =>
    [...base, { type: 'adopted', task: { id: TASK, status } } as JobEvent, ...extra].reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f' });
  const created: JobEvent[] = [{ type: 'uploaded', uploads: [], request: REQUEST }, { type: 'sending', at: SENT_AT }, { type: 'created', taskId: TASK, status: 'pending' }];
  const disk = { resultOnDisk: true, fixedOnDisk: true };
  const journals: [string, Journal, string, string][] = [
    // journal, --adopt-task the same, --adopt-task another
    ['adopted, processing', adopted('processing'), `wait ${TASK}`, `adopt ${OTHER}`],
    ['adopted, completed', adopted('completed', [{ type: 'task-ended', task: { id: TASK, status: 'completed' } }]), `download ${TASK}`, `adopt ${OTHER}`],
    ['adopted, downloaded and checked', adopted('completed', [{ type: 'downloaded', result: { path: `/o/${TASK}.mp4`, bytes: 1 } }, { type: 'checked', qc: [] }]), 'finish', `adopt ${OTHER}`],
    ['adopted, failed at the provider', adopted('processing', [{ type: 'task-ended', task: { id: TASK, status: 'failed', error: { code: 'generation_timeout' } } }]), 'stop failed', `adopt ${OTHER}`],
    ['created by this job (not adopted)', created.reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f' }), `wait ${TASK}`, 'stop nothing-to-adopt'],
    ['adopted from a fleet claim (the worker that created it is named)', [...base, { type: 'claim-adopted', taskId: TASK, holder: { worker: 'w1', at: SENT_AT } } as JobEvent].reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f' }), `wait ${TASK}`, 'stop nothing-to-adopt'],
  ];
  const brief = (step: ReturnType<typeof nextStep>) => ('taskId' in step && step.do !== 'stop' && step.do !== 'finish' ? `${step.do} ${step.taskId}` : step.do === 'stop' ? `stop ${step.why}` : step.do);
  it.each(journals)('%s', (_what, journal, same, other) => {
    const state = deriveState(journal, disk);
    expect([brief(nextStep(state, { changed: null, adoptTask: TASK })), brief(nextStep(state, { changed: null, adoptTask: OTHER }))]).toEqual([same, other]);
  });

  it('adopting in place of a wrong task moves its record, result and failure to history; the send time stays', () => {
    const wrong = adopted('completed', [{ type: 'downloaded', result: { path: `/o/${TASK}.mp4`, bytes: 1 } }, { type: 'task-ended', task: { id: TASK, status: 'failed' } }]);
    const right = applyEvent(wrong, { type: 'adopted', task: { id: OTHER, status: 'processing' } });
    const { version: _v, job: _j, history: _h, hashes: _hashes, ...replaced } = wrong;
    expect(right.history).toEqual([...wrong.history, replaced]);
    expect(right.history.at(-1)!.result).toEqual({ path: `/o/${TASK}.mp4`, bytes: 1 });
    expect(right.submit).toEqual({ state: 'created', at: SENT_AT, taskId: OTHER, adopted: true });
    expect(right.task).toEqual({ id: OTHER, status: 'processing', progress: undefined, error: null });
    expect(right.result).toBeUndefined();
    expect(right.failure).toBeUndefined();
    expect(deriveState(right, disk)).toEqual({ name: 'created', taskId: OTHER, adopted: true });
  });

  it('adopting the task of a create whose answer never arrived keeps no history (there was no task to keep)', () => {
    const lost = [...base, { type: 'create-unknown' } as JobEvent].reduce(applyEvent, { ...emptyJournal('/job'), fingerprint: 'f' });
    expect(applyEvent(lost, { type: 'adopted', task: { id: TASK, status: 'processing' } }).history).toEqual([]);
  });
});
