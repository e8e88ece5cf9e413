import { describe, expect, it } from 'vitest';
import { JOB_FORMAT, queuedJobId, unreadableJobData } from '../../src/queue/job-data.js';
import { folderRetryDelay } from '../../src/queue/run-queued-job.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';

const FINGERPRINT = 'a'.repeat(64);
const GOOD = { format: JOB_FORMAT, toolVersion: '1.2.3', root: '/mnt/jobs', relativePath: 'job-1', fingerprint: FINGERPRINT, settings: { fit: 'pad', audioFormat: 'mp3', profile: SEED_PROFILE, allowOutsidePaths: false } };

describe('queuedJobId', () => {
  it('is the same for the same folder and fingerprint, and differs when either does', () => {
    const id = queuedJobId('job-1', FINGERPRINT);
    expect(id).toBe(queuedJobId('job-1', FINGERPRINT));
    expect(id).toMatch(/^j[0-9a-f]{32}$/);
    expect(queuedJobId('job-2', FINGERPRINT)).not.toBe(id);
    expect(queuedJobId('job-1', 'b'.repeat(64))).not.toBe(id);
    // the separator keeps "a" + "bc" apart from "ab" + "c"
    expect(queuedJobId('a', `bc${FINGERPRINT}`)).not.toBe(queuedJobId('ab', `c${FINGERPRINT}`));
  });
});

describe('unreadableJobData', () => {
  const other = (format: unknown, version: unknown) =>
    `this job was enqueued by ${version === undefined ? 'an unknown program' : `seedance-preflight ${String(version)}`} (job format ${String(format ?? 'none')}); this worker is seedance-preflight 1.2.3 (job format 1): enqueue the folder again with seedance-preflight 1.2.3, or run a worker of the version that enqueued it`;
  it.each([
    ['data of this version and format', GOOD, null],
    ['another tool version', { ...GOOD, toolVersion: '1.2.2' }, other(1, '1.2.2')],
    ['another format', { ...GOOD, format: 2 }, other(2, '1.2.3')],
    ['no data at all', null, other(undefined, undefined)],
    ['data of another program', { url: 'https://example.com' }, other(undefined, undefined)],
    ['a job of ours without its folder', { ...GOOD, relativePath: undefined }, "this job's data lacks root, relativePath, fingerprint or settings: it was not enqueued by seedance-preflight batch --queue"],
  ])('%s', (_name, data, problem) => {
    expect(unreadableJobData(data, '1.2.3')).toBe(problem);
  });
});

describe('folderRetryDelay: a job whose folder is taken tries again later each time, up to a minute', () => {
  it.each([
    [0, 2000],
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [6, 60_000],
    [1000, 60_000],
  ])('started %i times → %i ms', (attempts, ms) => {
    expect(folderRetryDelay(2000, attempts)).toBe(ms);
  });
});
