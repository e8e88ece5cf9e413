import { describe, expect, it } from 'vitest';
import { busyHint, busyMessage, commandSummary, describeHolder, heartbeatMs, holderIsDead, lockStaleMs, type JobBusy, type LockHolder } from '../../src/pipeline/lock-holder.js';

describe('lockStaleMs: SEEDANCE_LOCK_STALE_SECONDS', () => {
  it.each([
    [undefined, { ok: true, ms: 30_000 }],
    ['', { ok: true, ms: 30_000 }],
    ['2', { ok: true, ms: 2000 }],
    ['2.5', { ok: true, ms: 2500 }],
    ['86400', { ok: true, ms: 86_400_000 }],
    ['1', { ok: false, message: 'SEEDANCE_LOCK_STALE_SECONDS=1 is not a number of seconds from 2 to 86400 (default 30)' }],
    ['86401', { ok: false, message: 'SEEDANCE_LOCK_STALE_SECONDS=86401 is not a number of seconds from 2 to 86400 (default 30)' }],
    ['30s', { ok: false, message: 'SEEDANCE_LOCK_STALE_SECONDS=30s is not a number of seconds from 2 to 86400 (default 30)' }],
    ['-5', { ok: false, message: 'SEEDANCE_LOCK_STALE_SECONDS=-5 is not a number of seconds from 2 to 86400 (default 30)' }],
  ])('%j → %j', (value, expected) => {
    expect(lockStaleMs(value === undefined ? {} : { SEEDANCE_LOCK_STALE_SECONDS: value })).toEqual(expected);
  });
});

describe('heartbeatMs: six beats per staleness, 1 s at least, half the staleness at most', () => {
  it.each([
    [2000, 1000],
    [3000, 1000],
    [6000, 1000],
    [12_000, 2000],
    [30_000, 5000],
    [600_000, 100_000],
  ])('stale %i ms → a beat every %i ms', (stale, beat) => {
    expect(heartbeatMs(stale)).toBe(beat);
  });
});

describe('commandSummary: the program and its command, never a flag or a value', () => {
  it.each([
    [['node', '/usr/lib/node_modules/seedance-preflight/dist/cli/bin.js', 'run', 'jobs/a', '--api-base', 'https://u:secret@h'], 'seedance-preflight run'],
    [['node', '/repo/src/cli/bin.ts', '--api-base', 'https://u:secret@h', 'batch', 'jobs'], 'seedance-preflight batch'],
    [['node', '/repo/src/cli/bin.ts', '--profile', 'strict-927k', '--json', 'worker'], 'seedance-preflight worker'],
    [['node', '/usr/bin/seedance-preflight', 'submit', '--request', 'job.json'], 'seedance-preflight submit'],
    [['node', '/home/me/app.mjs'], 'app.mjs'],
    [['node', '/home/me/app.mjs', '/path/to/folder'], 'app.mjs'],
    [['node'], 'node'],
  ])('%j → %s', (argv, expected) => {
    expect(commandSummary(argv)).toBe(expected);
  });
});

describe('the busy line', () => {
  const busy: JobBusy = {
    lock: '/jobs/a/.seedance-preflight/job.lock',
    holder: { host: 'render-1', pid: 4242, startedAt: '2025-01-01T10:00:00.000Z', command: 'seedance-preflight run' },
    heartbeatAgeMs: 3400,
    staleAfterMs: 30_000,
  };

  it('names the holder, since when, and its heartbeat', () => {
    expect(busyMessage(busy)).toBe('busy: another process runs this job: pid 4242 on render-1 (seedance-preflight run), holding it since 2025-01-01T10:00:00.000Z, last heartbeat 3 s ago (lock /jobs/a/.seedance-preflight/job.lock)');
    expect(busyHint(busy)).toBe('run it again once that process has ended (nothing was changed here); if it died, its lock is taken over once its heartbeat is 30 s old (SEEDANCE_LOCK_STALE_SECONDS)');
  });

  it.each([
    [{ ...busy, holder: null, heartbeatAgeMs: 120 }, 'a process that has not recorded itself yet (it took the lock a moment ago), last heartbeat 0 s ago'],
    [{ ...busy, heartbeatAgeMs: -50 }, 'pid 4242 on render-1 (seedance-preflight run), holding it since 2025-01-01T10:00:00.000Z, last heartbeat 0 s ago'],
    [{ ...busy, heartbeatAgeMs: 29_600 }, 'pid 4242 on render-1 (seedance-preflight run), holding it since 2025-01-01T10:00:00.000Z, last heartbeat 30 s ago'],
  ])('%#: %s', (value, expected) => {
    expect(describeHolder(value)).toBe(expected);
  });
});

describe('holderIsDead: only a holder on this host, in this PID namespace, whose pid no longer runs', () => {
  const here = { host: 'render-1', pidNamespace: 'pid:[4026531836]', pid: 100 };
  const holder: LockHolder = { host: 'render-1', pid: 4242, startedAt: '2025-01-01T10:00:00.000Z', command: 'seedance-preflight run', pidNamespace: 'pid:[4026531836]' };
  const alive = (pids: number[]) => (pid: number) => pids.includes(pid);
  it.each([
    ['its pid no longer runs', holder, here, [], true],
    ['its pid runs (perhaps reused: waiting is the safe side)', holder, here, [4242], false],
    ['another host (a network file system)', { ...holder, host: 'render-2' }, here, [], false],
    ['another PID namespace (another container)', { ...holder, pidNamespace: 'pid:[4026532001]' }, here, [], false],
    ['a record without a namespace, read where there is one', { ...holder, pidNamespace: undefined }, here, [], false],
    ['no namespace on either side (not Linux)', { ...holder, pidNamespace: null }, { ...here, pidNamespace: null }, [], true],
    ['this very process', { ...holder, pid: 100 }, here, [], false],
  ] as const)('%s → %s', (_, record, where, pids, expected) => {
    expect(holderIsDead(record, where, alive([...pids]))).toBe(expected);
  });
});
