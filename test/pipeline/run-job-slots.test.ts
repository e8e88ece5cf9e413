import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob, type JobStage } from '../../src/pipeline/run-job.js';
import { localTaskSlots, type TaskSlots } from '../../src/pipeline/task-slots.js';
import { fixture } from '../helpers/fixtures.js';
import { readJobJournal, sandboxJobOptions } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-run-job-slots-', { taskDurationMs: 300 });

/** A request-file folder with one conforming image: fixing copies it. */
async function jobFolder(name: string): Promise<string> {
  const folder = join(box.dir, name);
  await mkdir(folder, { recursive: true });
  await copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'a.jpg'));
  await writeFile(join(folder, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: `image 1 turns (${name})`, image_urls: ['a.jpg'], duration: 4 }));
  return folder;
}

/** Whether a slot is free now: an acquire that is granted before every pending callback has run. */
async function freeNow(slots: TaskSlots, key: string): Promise<boolean> {
  let granted = false;
  void slots.acquire(key).then(() => void (granted = true));
  await new Promise((resolve) => setImmediate(resolve));
  return granted;
}

describe('runJob with task slots', () => {
  it('a job resumed with its task created takes a slot before waiting; it queries nothing until one is free, and frees it when the task ended', async () => {
    const folder = await jobFolder('resumed');
    const interrupt = new AbortController();
    const first = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, signal: interrupt.signal, onStage: (stage) => stage === 'wait' && interrupt.abort('SIGINT') });
    expect(first.cancelled).toBe(true);
    expect((await readJobJournal(folder))!.submit?.state).toBe('created');

    const slots = localTaskSlots(1);
    await slots.acquire('another job');
    const stages: (JobStage | 'done')[] = [];
    const queries = box.sandbox.simulator.counters().query;
    const resumed = runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots, onStage: (stage) => stages.push(stage) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stages).toEqual([]);
    expect(box.sandbox.simulator.counters().query).toBe(queries);
    await slots.release('another job');
    const result = await resumed;
    expect(result.error).toBeNull();
    expect(stages).toEqual(['wait', 'download', 'done']);
    expect(await freeNow(slots, 'next job')).toBe(true);
  });

  it('a wait that fails frees the slot; so does a create refused', async () => {
    const slots = localTaskSlots(1);
    const waitFails = await jobFolder('wait-fails');
    const failed = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder: waitFails }, taskSlots: slots, onStage: (stage) => stage === 'wait' && box.sandbox.simulator.failNext(503, 8, { only: 'query' }) });
    expect(failed.error?.stage).toBe('wait');
    expect(await freeNow(slots, 'probe-1')).toBe(true);
    await slots.release('probe-1');

    const refused = await jobFolder('refused');
    box.sandbox.simulator.failNext(503, 4, { only: 'create' });
    const refusedResult = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder: refused }, taskSlots: slots });
    expect(refusedResult.error?.stage).toBe('submit');
    expect(await freeNow(slots, 'probe-2')).toBe(true);
  });

  it('a job cancelled while it waits for a slot stops before its create: nothing is sent', async () => {
    const folder = await jobFolder('cancelled-waiting');
    const slots = localTaskSlots(1);
    await slots.acquire('another job');
    const controller = new AbortController();
    const creates = box.sandbox.simulator.counters().create;
    const running = runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots, signal: controller.signal, onStage: (stage) => stage === 'upload' && setTimeout(() => controller.abort('SIGTERM'), 200) });
    const result = await running;
    expect(result.cancelled).toBe(true);
    expect(result.error?.message).toBe('interrupted (SIGTERM)');
    expect(box.sandbox.simulator.counters().create).toBe(creates);
    expect((await readJobJournal(folder))!.submit).toBeUndefined();
  });

  it('a job cancelled while its task runs keeps its slot (the task still counts at the provider); a job stopped before its create does not', async () => {
    const folder = await jobFolder('cancelled-in-flight');
    const slots = localTaskSlots(1);
    const interrupt = new AbortController();
    const result = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots, signal: interrupt.signal, onStage: (stage) => stage === 'wait' && interrupt.abort('SIGTERM') });
    expect(result.cancelled).toBe(true);
    expect(result.state).toBe('created');
    let granted = false;
    const next = slots.acquire('next job').then(() => void (granted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toBe(false);
    // its next run holds the same key: it waits at once, and frees the slot when the task ended
    const resumed = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots });
    expect(resumed.error).toBeNull();
    await next;
    expect(granted).toBe(true);
  });

  it("a job that ends with no task in flight gives back a slot an earlier run took under its name (a worker that died after its wait)", async () => {
    const folder = await jobFolder('ended-elsewhere');
    // the earlier run's task ended and was recorded; it died before its download
    const interrupt = new AbortController();
    const first = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, signal: interrupt.signal, onStage: (stage) => stage === 'download' && interrupt.abort('SIGKILL') });
    expect(first.cancelled).toBe(true);
    expect((await readJobJournal(folder))!.result).toBeUndefined();
    const slots = localTaskSlots(1);
    await slots.acquire('jobs/ended-elsewhere');
    let granted = false;
    const next = slots.acquire('another job').then(() => void (granted = true));
    const again = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots, jobName: 'jobs/ended-elsewhere' });
    expect(again.ok).toBe(true);
    expect(again.resumed).toEqual(['check', 'fix', 'upload', 'submit', 'wait']);
    await next;
    expect(granted).toBe(true);
  });

  it('a finished job re-run without its lock (the read-only pass) releases no slot: a locked run of the same job may hold it under that key', async () => {
    const folder = await jobFolder('finished-read-only');
    expect((await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder } })).error).toBeNull();
    const slots = localTaskSlots(1);
    // a locked run of this job (in another batch process of the fleet, say) holds the slot under the job's key
    await slots.acquire('jobs/finished-read-only');
    let granted = false;
    const next = slots.acquire('another job').then(() => void (granted = true));
    const queries = box.sandbox.simulator.counters().query;
    const again = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, taskSlots: slots, jobName: 'jobs/finished-read-only' });
    expect([again.ok, again.error, again.state]).toEqual([true, null, 'downloaded']);
    expect(again.resumed).toEqual(['check', 'fix', 'upload', 'submit', 'wait', 'download']);
    expect(box.sandbox.simulator.counters().query).toBe(queries);
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toBe(false);
    // the locked run ends: the slot goes to the next in line
    await slots.release('jobs/finished-read-only');
    await next;
    expect(granted).toBe(true);
  });
});
