import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRestart, parseRestartKinds, RESTART_KINDS, restartedFrom, restartKindOf } from '../../src/pipeline/batch-restart.js';
import type { JobState } from '../../src/pipeline/job-state.js';

const AT = '2026-12-01T10:00:00.000Z';
const FAILURE = { stage: 'wait' as const, message: 'task failed', hint: 'change the request' };

describe('restartKindOf: the journal state a --restart kind names', () => {
  it.each<[JobState, string | null]>([
    [{ name: 'planned' }, null],
    [{ name: 'fixed' }, null],
    [{ name: 'uploaded' }, null],
    [{ name: 'sending', at: AT }, 'unanswered'],
    [{ name: 'unknown-create', at: AT }, 'unanswered'],
    [{ name: 'created', taskId: 't1' }, 'in-flight'],
    [{ name: 'completed', taskId: 't1' }, 'in-flight'],
    [{ name: 'downloaded', taskId: 't1', path: '/o/t1.mp4', checked: true }, 'done'],
    [{ name: 'failed', taskId: 't1', ...FAILURE }, 'failed'],
    [{ name: 'failed', taskId: null, stage: 'submit', message: 'refused', hint: 'fix it' }, 'failed'],
  ])('%j → %s', (state, kind) => {
    expect(restartKindOf(state)).toBe(kind);
  });

  it('what each restart abandons, in the summary\'s words', () => {
    expect(describeRestart(restartedFrom({ name: 'failed', taskId: 't1', ...FAILURE }, 'failed'))).toBe('task t1 had failed');
    expect(describeRestart(restartedFrom({ name: 'failed', taskId: null, stage: 'submit', message: 'refused', hint: 'x' }, 'failed'))).toBe('its request had been refused');
    expect(describeRestart(restartedFrom({ name: 'unknown-create', at: AT }, 'unanswered'))).toBe(`its create sent at ${AT} got no answer: a paid task may exist (check your provider's task list)`);
    expect(describeRestart(restartedFrom({ name: 'completed', taskId: 't2' }, 'in-flight'))).toBe('task t2 was not downloaded (seedance-preflight wait t2 --download FILE still fetches it)');
    expect(describeRestart(restartedFrom({ name: 'downloaded', taskId: 't3', path: '/o/t3.mp4', checked: true }, 'done'))).toBe('task t3 was done (its result stays in output/)');
  });
});

describe('parseRestartKinds', () => {
  const CHOICES = 'failed, unanswered, in-flight, done or all (comma-separated, e.g. --restart failed,unanswered)';
  it.each([
    ['failed', ['failed']],
    ['failed,unanswered', ['failed', 'unanswered']],
    [' done , failed ', ['done', 'failed']],
    ['all', ['failed', 'unanswered', 'in-flight', 'done']],
    ['failed,all', ['failed', 'unanswered', 'in-flight', 'done']],
  ])('%j → %j', (value, kinds) => {
    const parsed = parseRestartKinds(value);
    expect(parsed.ok && [...parsed.kinds].sort()).toEqual([...kinds].sort());
  });

  it.each([
    ['', `--restart needs the jobs to start over: ${CHOICES}`],
    [',,', `--restart needs the jobs to start over: ${CHOICES}`],
    ['failed,stuck', `--restart takes ${CHOICES}, not "stuck"`],
    ['Failed', `--restart takes ${CHOICES}, not "Failed"`],
  ])('%j → one line', (value, message) => {
    expect(parseRestartKinds(value)).toEqual({ ok: false, message });
  });

  it('any comma-separated choice of kinds gives exactly those; any other word is refused by name', () => {
    fc.assert(
      fc.property(fc.subarray([...RESTART_KINDS], { minLength: 1 }), fc.string({ maxLength: 8 }).filter((w) => !w.includes(',') && w.trim() !== '' && ![...RESTART_KINDS, 'all'].includes(w.trim())), (kinds, word) => {
        const parsed = parseRestartKinds(kinds.join(','));
        const refused = parseRestartKinds([...kinds, word].join(','));
        return parsed.ok && parsed.kinds.size === kinds.length && kinds.every((k) => parsed.kinds.has(k)) && !refused.ok && refused.message.endsWith(`not "${word.trim()}"`);
      }),
    );
  });
});
