import { describe, expect, it } from 'vitest';
import { followedEvents } from '../../src/cli/commands/batch-queue.js';
import type { EnqueuedJob } from '../../src/queue/enqueue.js';
import { queuedProgressEvent, type QueuedProgress } from '../../src/queue/job-data.js';
import { jobRelativeFile } from '../../src/queue/progress-publisher.js';
import type { ProgressEvent } from '../../src/cli/terminal/progress-event.js';

const job = { id: 'j1', folder: '/w/root/a', relativePath: 'a' } as EnqueuedJob;
const at = (stage: string, detail: string, event?: unknown): QueuedProgress => ({ stage, detail, taskId: null, ...(event !== undefined && { event: event as QueuedProgress['event'] }) });
const fixStage: ProgressEvent = { type: 'stage', key: 'root/a', stage: 'fix', detail: '2 of 3 files need fixing' };

describe("followedEvents: a worker's updates as the local batch's view takes them", () => {
  it.each<[string, QueuedProgress[], ProgressEvent[][]]>([
    ['a stage', [at('fix', '2 of 3 files need fixing')], [[fixStage]]],
    ['a stage told again is no new event', [at('fix', '2 of 3 files need fixing'), at('fix', '2 of 3 files need fixing')], [[fixStage], []]],
    [
      "an encode after its stage: the file named from the job's folder as here",
      [at('fix', '2 of 3 files need fixing'), at('fix', '2 of 3 files need fixing', { type: 'encode', file: 'sub/clip.mp4', fraction: 0.5 })],
      [[fixStage], [{ type: 'encode', key: 'root/a', file: 'root/a/sub/clip.mp4', fraction: 0.5 }]],
    ],
    [
      'an event whose stage was not seen (a late follower) comes after that stage',
      [at('upload', '3 files to seedance', { type: 'upload', file: '.seedance-preflight/fixed/clip.mp4', loaded: 10, bytes: 20 })],
      [[{ type: 'stage', key: 'root/a', stage: 'upload', detail: '3 files to seedance' }, { type: 'upload', key: 'root/a', file: 'root/a/.seedance-preflight/fixed/clip.mp4', loaded: 10, bytes: 20 }]],
    ],
    [
      "a task's poll",
      [at('wait', 'task t-1'), at('wait', 'task t-1', { type: 'task', id: 't-1', status: 'processing', progress: 40, etaSeconds: 12 })],
      [[{ type: 'stage', key: 'root/a', stage: 'wait', detail: 'task t-1' }], [{ type: 'task', key: 'root/a', id: 't-1', status: 'processing', progress: 40, etaSeconds: 12 }]],
    ],
    ['an event this version does not know is its stage', [at('fix', '2 of 3 files need fixing', { type: 'gpu', load: 1 })], [[fixStage]]],
    ['done: the result relative to here', [at('done', 'result /w/root/a/output/t.mp4')], [[{ type: 'stage', key: 'root/a', stage: 'done', detail: 'result root/a/output/t.mp4' }]]],
  ])('%s', (_name, updates, expected) => {
    const stages = new Map<string, string>();
    expect(updates.map((u) => followedEvents(job, u, '/w', stages))).toEqual(expected);
  });
});

describe('queuedProgressEvent: only the shapes this version knows', () => {
  it.each<[unknown, boolean]>([
    [{ type: 'encode', file: 'a.mp4', fraction: 0.5 }, true],
    [{ type: 'encode', file: 'a.mp4', fraction: Number.NaN }, false],
    [{ type: 'encode', file: 3, fraction: 0.5 }, false],
    [{ type: 'upload', file: 'a.mp4', loaded: 1, bytes: 2 }, true],
    [{ type: 'upload', file: 'a.mp4', loaded: -1, bytes: 2 }, false],
    [{ type: 'task', id: 't', status: 'pending', progress: null, etaSeconds: null }, true],
    [{ type: 'task', id: 't', status: 'pending', progress: '5', etaSeconds: null }, false],
    [{ type: 'task', id: 't', status: 'pending' }, false],
    [null, false],
    ['encode', false],
  ])('%j: %s', (event, known) => {
    expect(queuedProgressEvent(at('fix', '', event)) !== null).toBe(known);
  });
});

describe("jobRelativeFile: a worker's file as a follower is told it", () => {
  it.each([
    ['/w/root/a/clip.mp4', 'clip.mp4'],
    ['/w/root/a/.seedance-preflight/fixed/clip.mp4', '.seedance-preflight/fixed/clip.mp4'],
    // outside the job's folder (--allow-outside-paths): its name only, not the worker's paths
    ['/srv/shared/secret-place/clip.mp4', 'clip.mp4'],
    ['/w/root/a..b/clip.mp4', 'clip.mp4'],
    [`/w/root/a/${'x'.repeat(300)}.mp4`, `…${'x'.repeat(195)}.mp4`],
  ])('%s → %s', (path, shown) => {
    expect(jobRelativeFile('/w/root/a', path)).toBe(shown);
  });
});
