import { describe, expect, it } from 'vitest';
import { createClaimKey, decideOnClaim, keepRecordedTask, type ClaimOutcome } from '../../src/pipeline/create-guard.js';
import { deriveState, nextStep } from '../../src/pipeline/job-state.js';
import { applyEvent, type JobEvent } from '../../src/pipeline/journal-events.js';
import { emptyJournal, type Journal } from '../../src/pipeline/journal.js';

const AT = '2026-12-01T10:00:00.000Z';
const W1 = { worker: 'host-a:101:aa', at: AT };
const TASK = 'task-unified-7';
const REQUEST = { model: 'seedance-2.0-reference-to-video', prompt: 'p' };
const ON_DISK = { resultOnDisk: true, fixedOnDisk: true };

const journal = (events: JobEvent[], fingerprint = 'f1', history: Journal['history'] = []): Journal => events.reduce(applyEvent, { ...emptyJournal('/job'), fingerprint, history });
const UPLOADED: JobEvent[] = [{ type: 'fixed', fixed: { requestFile: '/w/r.json', sources: [], outputs: [] } }, { type: 'uploaded', uploads: [], request: REQUEST }];
const SENT: JobEvent[] = [...UPLOADED, { type: 'sending', at: AT, claim: W1 }];
const CREATED: JobEvent[] = [...SENT, { type: 'created', taskId: TASK, status: 'pending' }];

describe('decideOnClaim: the claim outcome × whether the journal says a create was sent', () => {
  const ours: ClaimOutcome = { ok: true, holder: { worker: 'me', at: AT } };
  const heldWithTask: ClaimOutcome = { ok: false, holder: { ...W1, taskId: TASK } };
  const heldNoTask: ClaimOutcome = { ok: false, holder: W1 };
  it.each([
    ['claimed by this job, nothing sent', ours, false, { do: 'create' }],
    ['claimed by this job, the journal says sent (the claim was lost or expired)', ours, true, { do: 'release-and-stop' }],
    ['held with a task id, nothing sent here', heldWithTask, false, { do: 'adopt', taskId: TASK, holder: heldWithTask.holder }],
    ['held with a task id, the journal says sent (the worker died before recording it)', heldWithTask, true, { do: 'adopt', taskId: TASK, holder: heldWithTask.holder }],
    ['held without a task id, nothing sent here', heldNoTask, false, { do: 'stop', holder: W1 }],
    ['held without a task id, the journal says sent', heldNoTask, true, { do: 'stop', holder: W1 }],
  ] as [string, ClaimOutcome, boolean, unknown][])('%s', (_name, outcome, sent, decision) => {
    expect(decideOnClaim(outcome, sent)).toEqual(decision);
  });
});

describe('journal events of a claimed create', () => {
  it('"sending" records the claim; "created" keeps it beside the task id', () => {
    expect(journal(SENT).submit).toEqual({ state: 'sending', at: AT, claim: W1 });
    expect(journal(CREATED).submit).toEqual({ state: 'created', at: AT, taskId: TASK, claim: W1 });
  });

  it('a lost answer keeps the claim, so the stop can name its worker', () => {
    expect(journal([...SENT, { type: 'create-unknown' }]).submit).toEqual({ state: 'unknown', at: AT, claim: W1 });
  });

  it('a task adopted from another worker\'s claim is this job\'s task: the next step waits for it', () => {
    const adopted = journal([...UPLOADED, { type: 'claim-adopted', taskId: TASK, holder: W1 }]);
    expect(adopted.submit).toEqual({ state: 'created', at: AT, taskId: TASK, adopted: true, claim: W1 });
    expect(nextStep(deriveState(adopted, ON_DISK), { changed: null })).toEqual({ do: 'wait', taskId: TASK, previousRequest: false });
  });
});

describe('createClaimKey: one key per job and generation', () => {
  const key = createClaimKey(journal(UPLOADED), 'jobs/a');
  it('is a SHA-256 that depends on the job\'s name, its fingerprint and earlier generations of that fingerprint', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(createClaimKey(journal(UPLOADED), 'jobs/a')).toBe(key);
    // two folders with the same content are two jobs
    expect(createClaimKey(journal(UPLOADED), 'jobs/b')).not.toBe(key);
    expect(createClaimKey(journal(UPLOADED, 'f2'), 'jobs/a')).not.toBe(key);
    // without a name, the fingerprint alone (never a path, which differs between workers' mounts)
    expect(createClaimKey(journal(UPLOADED), null)).toMatch(/^[0-9a-f]{64}$/);
    expect(createClaimKey(journal(UPLOADED), null)).not.toBe(key);
    expect(createClaimKey(journal(UPLOADED), null)).toBe(createClaimKey(journal(UPLOADED), null));
  });

  it('a --restart (an earlier generation with the same fingerprint) gets a new key; another fingerprint\'s generation does not change it', () => {
    const earlier = journal(CREATED);
    expect(createClaimKey(journal(UPLOADED, 'f1', [earlier]), 'jobs/a')).not.toBe(key);
    expect(createClaimKey(journal(UPLOADED, 'f1', [{ ...earlier, fingerprint: 'f0' }]), 'jobs/a')).toBe(key);
  });
});

describe('keepRecordedTask: a stale writer never erases a task id another process recorded', () => {
  const stale = journal(UPLOADED);
  const created = journal(CREATED);
  it.each([
    ['the disk has this generation\'s task: it is kept', stale, created, created.submit],
    ['nothing on disk', stale, null, undefined],
    ['the disk has no task id', stale, journal(SENT), undefined],
    ['the disk\'s task belongs to another fingerprint', stale, journal(CREATED, 'f0'), undefined],
    ['the disk\'s task belongs to an earlier generation (the history differs)', journal(UPLOADED, 'f1', [created]), created, undefined],
    ['this process already knows a task: its own wins', journal([...UPLOADED, { type: 'sending', at: AT }, { type: 'created', taskId: 'task-unified-8', status: 'pending' }]), created, { state: 'created', at: AT, taskId: 'task-unified-8' }],
  ] as [string, Journal, Journal | null, unknown][])('%s', (_name, mine, onDisk, submit) => {
    const kept = keepRecordedTask(mine, onDisk);
    expect(kept.submit).toEqual(submit);
    expect(kept.request).toEqual(mine.request);
  });

  it('the kept task decides the next step: wait, never a second create', () => {
    expect(nextStep(deriveState(keepRecordedTask(stale, created), ON_DISK), { changed: null })).toEqual({ do: 'wait', taskId: TASK, previousRequest: false });
  });
});
