import { describe, expect, it } from 'vitest';
import { formatClean, formatDrain, formatRetry } from '../../src/cli/output/queue-admin-text.js';
import { formatQueueStatus, formatQueueStatusJson, holderText } from '../../src/cli/output/queue-status-text.js';
import type { JobHolder, QueueStatus, QueuedJobStatus, WorkerStatus } from '../../src/queue/queue-status.js';

const holder = (over: Partial<JobHolder>): JobHolder => ({ workerId: 'host-a-12-abcdef', state: 'alive', lastBeatAgeMs: 800, lockExpiresInMs: 5000, ...over });

describe('holderText: an active job\'s worker', () => {
  it.each([
    [holder({}), 1, 'host-a-12-abcdef'],
    [holder({ state: 'gone', lastBeatAgeMs: 7400, lockExpiresInMs: 23_100 }), 1, 'worker host-a-12-abcdef gone (last seen 7 s ago): will be taken again when its lock expires (in 23 s)'],
    [holder({ state: 'gone', lastBeatAgeMs: 40_000, lockExpiresInMs: null }), 1, 'worker host-a-12-abcdef gone (last seen 40 s ago): its lock expired; a running worker takes it again at its next stalled check'],
    [holder({ state: 'gone', lastBeatAgeMs: 300_000, lockExpiresInMs: null }), 0, 'worker host-a-12-abcdef gone (last seen 5 min ago): its lock expired; taken again once a worker runs (none is alive)'],
    [holder({ state: 'no-heartbeat', lastBeatAgeMs: null, lockExpiresInMs: 12_000 }), 1, 'worker host-a-12-abcdef has no heartbeat (a worker of an older version, or one that exited)'],
    [holder({ workerId: null, state: 'no-heartbeat', lastBeatAgeMs: null, lockExpiresInMs: null }), 2, 'worker (unnamed worker) has no heartbeat (a worker of an older version, or one that exited): its lock expired; a running worker takes it again at its next stalled check'],
  ])('%j with %d alive', (h, alive, text) => {
    expect(holderText(h, alive)).toBe(text);
  });
});

const NOW = Date.UTC(2026, 11, 7, 3, 0, 0);
const job = (over: Partial<QueuedJobStatus>): QueuedJobStatus => ({ id: 'j1', root: '/jobs', relativePath: 'a', state: 'waiting', stage: null, taskId: null, failedReason: null, worker: null, ...over });
const worker = (over: Partial<WorkerStatus>): WorkerStatus => ({ id: 'host-a-12-abcdef', host: 'host-a', pid: 12, startedAt: NOW - 600_000, beatAt: NOW - 1000, lastBeatAgeMs: 1000, lockDurationMs: 30_000, beatEveryMs: 5000, state: 'alive', jobs: [], ...over });

describe('formatQueueStatus', () => {
  const status: QueueStatus = {
    queueName: 'nightly',
    now: NOW,
    counts: { waiting: 1, active: 2, done: 1, failed: 0 },
    workers: [
      worker({ jobs: ['j2'] }),
      worker({ id: 'host-b-345-bcdef0', host: 'host-b', pid: 345, startedAt: NOW - 90_000, beatAt: NOW - 16_000, lastBeatAgeMs: 16_000, state: 'gone', jobs: ['j3'] }),
    ],
    jobs: [
      job({ id: 'j1', relativePath: 'shot-1' }),
      job({ id: 'j2', relativePath: 'shot-2', state: 'active', stage: 'fix', worker: holder({}) }),
      job({ id: 'j3', relativePath: 'shot-10', state: 'active', stage: 'wait', taskId: 'task-9', worker: holder({ workerId: 'host-b-345-bcdef0', state: 'gone', lastBeatAgeMs: 16_000, lockExpiresInMs: 14_000 }) }),
      job({ id: 'j4', relativePath: 'shot-11', state: 'done', stage: 'done', taskId: 'task-8' }),
    ],
  };

  it('jobs with their worker, then the workers with their heartbeats', () => {
    expect(formatQueueStatus(status, 'redis://127.0.0.1:6379/0')).toBe(
      [
        'queue nightly at redis://127.0.0.1:6379/0: 1 waiting, 2 active, 1 done, 0 failed',
        'job      state    stage  task    worker',
        'shot-1   waiting  -      -       -',
        'shot-2   active   fix    -       host-a-12-abcdef',
        'shot-10  active   wait   task-9  worker host-b-345-bcdef0 gone (last seen 16 s ago): will be taken again when its lock expires (in 14 s)',
        'shot-11  done     done   task-8  -',
        'workers: 1 alive, 1 gone',
        'worker             host    pid  jobs  up     last heartbeat',
        'host-a-12-abcdef   host-a  12   1     9 min  1 s ago',
        'host-b-345-bcdef0  host-b  345  1     74 s   16 s ago: gone',
        '',
      ].join('\n'),
    );
  });

  it('no worker column without an active job, no workers part without a heartbeat: the table as before', () => {
    expect(formatQueueStatus({ ...status, counts: { waiting: 1, active: 0, done: 0, failed: 0 }, workers: [], jobs: [job({ relativePath: 'shot-1' })] }, 'here')).toBe(
      ['queue nightly at here: 1 waiting, 0 active, 0 done, 0 failed', 'job     state    stage  task', 'shot-1  waiting  -      -', ''].join('\n'),
    );
  });

  it('--json: times as ISO dates, ages in ms, each active job\'s holder', () => {
    const json = JSON.parse(formatQueueStatusJson(status)) as Record<string, unknown>;
    expect(json.now).toBe('2026-12-07T03:00:00.000Z');
    expect((json.workers as unknown[])[1]).toEqual({ id: 'host-b-345-bcdef0', host: 'host-b', pid: 345, state: 'gone', jobs: ['j3'], startedAt: '2026-12-07T02:58:30.000Z', lastBeatAt: '2026-12-07T02:59:44.000Z', lastBeatAgeMs: 16_000, lockDurationMs: 30_000, beatEveryMs: 5000 });
    expect((json.jobs as QueuedJobStatus[])[2]!.worker).toEqual({ workerId: 'host-b-345-bcdef0', state: 'gone', lastBeatAgeMs: 16_000, lockExpiresInMs: 14_000 });
    expect(Object.keys(json)).toEqual(['queue', 'now', 'counts', 'workers', 'jobs']);
  });
});

describe('the admin commands\' sentences', () => {
  const head = 'queue nightly at redis://h:6379/0';
  it.each([
    [formatRetry({ retried: [{ id: 'j1', relativePath: 'a' }], skipped: [] }, head), `${head}: 1 failed job put back to wait: j1 (a)\n`],
    [formatRetry({ retried: [], skipped: [{ id: 'j2', relativePath: null }] }, head), `${head}: 0 failed jobs put back to wait; 1 job no longer failed, left as it is: j2\n`],
    [formatRetry({ retried: [{ id: 'j1', relativePath: 'a' }], skipped: [{ id: 'j2', relativePath: 'b' }, { id: 'j3', relativePath: 'c' }] }, head), `${head}: 1 failed job put back to wait: j1 (a); 2 jobs no longer failed, left as they are: j2 (b), j3 (c)\n`],
    [formatClean({ done: ['j1'], failed: [], keptDone: 1, keptFailed: 0 }, '12h', head), `${head}: removed 1 finished job older than 12h (1 done, 0 failed); 1 younger kept\n`],
    [formatDrain({ removed: [{ id: 'j1', relativePath: 'a' }], active: 2, waitingLeft: 0 }, head), `${head}: removed 1 waiting job (j1 (a)); 2 active jobs left running\n`],
    [formatDrain({ removed: [], active: 0, waitingLeft: 1 }, head), `${head}: removed 0 waiting jobs; 0 active jobs left running; 1 job enqueued meanwhile still waits (run queue drain again)\n`],
    [formatDrain({ removed: [], active: 1, waitingLeft: 3 }, head), `${head}: removed 0 waiting jobs; 1 active job left running; 3 jobs enqueued meanwhile still wait (run queue drain again)\n`],
  ])('%#', (text, expected) => {
    expect(text).toBe(expected);
  });
});
