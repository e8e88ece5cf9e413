import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type RunBatchOptions } from '../../src/pipeline/run-batch.js';
import type { RunJobResult } from '../../src/pipeline/run-job.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { servedResult } from '../helpers/sandbox-media.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { bucketKeys, readJobJournal, sandboxJobOptions, sandboxUpload, startSwitchableRelay, writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-run-batch-', { taskDurationMs: 300 });
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  ({ sandbox, dir } = box);
});

const byName = (results: RunJobResult[]) => Object.fromEntries(results.map((r) => [basename(r.job), r]));

async function batch(root: string, extra: Partial<RunBatchOptions> = {}): Promise<RunJobResult[]> {
  return runBatch({ ...sandboxJobOptions(sandbox), root, ...extra });
}

describe('runBatch: two jobs sharing the same media', () => {
  it('uploads each shared file once; both jobs finish with their own task', async () => {
    const root = join(dir, 'shared');
    // the same seed: byte-identical files in both folders
    await Promise.all([writeAssetFolder(join(root, 'a'), 5), writeAssetFolder(join(root, 'b'), 5)]);
    const keysBefore = await bucketKeys(sandbox);
    const tasksBefore = sandbox.simulator.createdTasks().length;
    const results = await batch(root);
    expect(results.map((r) => [basename(r.job), r.ok, r.error])).toEqual([['a', true, null], ['b', true, null]]);
    const [a, b] = results as [RunJobResult, RunJobResult];
    expect(a.uploads!.map((u) => u.key)).toEqual(b.uploads!.map((u) => u.key));
    // each key was sent by exactly one of the two jobs
    expect(a.uploads!.map((u, i) => Number(u.uploaded) + Number(b.uploads![i]!.uploaded))).toEqual([1, 1, 1]);
    expect((await bucketKeys(sandbox)).filter((k) => !keysBefore.includes(k))).toEqual([...a.uploads!.map((u) => u.key)].sort());
    expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 2);
    expect(a.taskId).not.toBe(b.taskId);
    for (const r of results) expect((await readFile(r.result!.path)).equals(await servedResult(sandbox, r.taskId!))).toBe(true);
  });
});

describe('runBatch: a fault in one job', () => {
  it('the S3 store going down during one job\'s upload fails that job at upload; the rest finish; a re-run completes it', async () => {
    const root = join(dir, 's3-down');
    await Promise.all([1, 2, 3, 4].map((n) => writeAssetFolder(join(root, `job-${n}`), 20 + n)));
    const relay = await startSwitchableRelay(sandbox.s3.endpoint);
    // the SDK goes through the relay; the URLs the simulator fetches go to the store directly
    const upload = sandboxUpload(sandbox, { endpoint: relay.endpoint, publicBaseUrl: `${sandbox.s3.endpoint}/${sandbox.bucket}` });
    try {
      const tasksBefore = sandbox.simulator.createdTasks().length;
      const results = byName(
        await batch(root, {
          upload,
          mediaConcurrency: 1,
          // the store is down exactly while job-2 uploads
          onStage: (job, stage) => stage === 'upload' && (relay.down = basename(job) === 'job-2'),
        }),
      );
      expect(relay.refused).toBeGreaterThan(0);
      expect(Object.entries(results).map(([name, r]) => [name, r.ok, r.error?.stage ?? null])).toEqual([
        ['job-1', true, null],
        ['job-2', false, 'upload'],
        ['job-3', true, null],
        ['job-4', true, null],
      ]);
      const fixed = join(root, 'job-2/.seedance-preflight/fixed/');
      expect(results['job-2']!.error).toEqual({
        stage: 'upload',
        // the file whose HEAD failed first is reported (which one varies); see the report: another file's abort can
        // still be reported as "refused the request (unknown error): Request aborted" (src/upload/ensure-object.ts)
        message: expect.stringMatching(new RegExp(`^${fixed}(still\\.png|clip\\.mp4|music\\.mp3): could not check whether the bucket already holds it: (the connection to ${relay.endpoint} failed \\(ECONNRESET after 4 attempts\\): check the network and run again; nothing already uploaded is sent twice|${relay.endpoint} refused the request \\(unknown error\\): Request aborted)$`)),
        hint: 'check the S3 settings (seedance-preflight doctor) and run again',
      });
      expect(results['job-2']!.taskId).toBeNull();
      expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 3);
      expect((await readJobJournal(join(root, 'job-2')))?.submit).toBeUndefined();

      relay.down = false;
      const again = byName(await batch(root, { upload }));
      expect(Object.values(again).map((r) => r.ok)).toEqual([true, true, true, true]);
      expect(again['job-2']!.resumed).toEqual(['check', 'fix']);
      for (const name of ['job-1', 'job-3', 'job-4']) {
        expect(again[name]!.taskId).toBe(results[name]!.taskId);
        expect(new Set(again[name]!.resumed)).toEqual(new Set(['check', 'fix', 'upload', 'submit', 'wait', 'download']));
      }
      expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 4);
    } finally {
      await relay.close();
    }
  });

  it('the API down (503) during one create and one wait: those jobs fail at submit and wait; a re-run creates the missing task and resumes the wait', async () => {
    const root = join(dir, 'api-down');
    await Promise.all([1, 2, 3, 4].map((n) => writeAssetFolder(join(root, `job-${n}`), 30 + n)));
    const tasksBefore = sandbox.simulator.createdTasks().length;
    const client = sandboxClient(sandbox, { poll: { initialDelayMs: 50, maxDelayMs: 100 } });
    const results = byName(
      await batch(root, {
        client,
        apiConcurrency: 1,
        onStage: (job, stage) => {
          // every attempt of job-2's wait and job-3's create (8 and 4 with the default policies) is answered 503
          if (basename(job) === 'job-2' && stage === 'wait') sandbox.simulator.failNext(503, 8, { only: 'query' });
          if (basename(job) === 'job-3' && stage === 'submit') sandbox.simulator.failNext(503, 4, { only: 'create' });
        },
      }),
    );
    expect(Object.entries(results).map(([name, r]) => [name, r.ok, r.error?.stage ?? null])).toEqual([
      ['job-1', true, null],
      ['job-2', false, 'wait'],
      ['job-3', false, 'submit'],
      ['job-4', true, null],
    ]);
    const waitTask = results['job-2']!.taskId!;
    expect(results['job-2']!.error!.hint).toBe(`the task goes on at the provider: run again to resume waiting on ${waitTask}`);
    expect(results['job-2']!.error!.message).toMatch(new RegExp(`^querying task ${waitTask}: HTTP 503 service_unavailable: Service temporarily unavailable \\(request id req-sandbox-\\d+\\)$`));
    expect(results['job-3']!.error!.message).toMatch(/^HTTP 503 service_unavailable: Service temporarily unavailable \(request id req-sandbox-\d+\)$/);
    expect(results['job-3']!.error!.hint).toBe('the service is unavailable; try again in a few minutes');
    expect(results['job-3']!.taskId).toBeNull();
    // an answered refusal created nothing, so the journal lets the next run create it
    expect((await readJobJournal(join(root, 'job-3')))?.submit).toBeUndefined();
    expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 3);

    const again = byName(await batch(root, { client }));
    expect(Object.values(again).map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(again['job-2']!.taskId).toBe(waitTask);
    expect(again['job-2']!.resumed).toEqual(['check', 'fix', 'upload', 'submit']);
    expect(again['job-3']!.resumed).toEqual(['check', 'fix', 'upload']);
    expect(sandbox.simulator.createdTasks().length).toBe(tasksBefore + 4);
    for (const r of Object.values(again)) expect((await readFile(r.result!.path)).equals(await servedResult(sandbox, r.taskId!))).toBe(true);
  });
});
