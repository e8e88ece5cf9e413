import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateGuard } from '../../src/pipeline/create-guard.js';
import { runJob, type RunJobOptions } from '../../src/pipeline/run-job.js';
import { CLAIM_PREFIX, redisCreateGuard } from '../../src/queue/create-claim.js';
import { fixture } from '../helpers/fixtures.js';
import { REDIS_REQUIRED, redisMissing, testRedis, uniqueName } from '../helpers/redis.js';
import { readJobJournal, sandboxJobOptions } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const missing = await redisMissing();
if (missing && !REDIS_REQUIRED) console.warn(`test/queue/run-job-claim.test.ts skipped: ${missing}`);

it.runIf(missing && REDIS_REQUIRED)(`Redis is required (SEEDANCE_TEST_REQUIRE_REDIS=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_REDIS=1 and ${missing}`);
});

const AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.skipIf(missing)('runJob with the Redis create claim: one task per job, whoever runs it', () => {
  const box = useSandbox('sp-run-job-claim-', { taskDurationMs: 300 });
  let redis: Redis;
  const claimKeys = new Set<string>();
  /** The real guard, remembering the keys it touched so the test removes them. */
  const guard = (worker: string): CreateGuard => {
    const real = redisCreateGuard(redis, worker);
    return {
      claim: (key) => (claimKeys.add(key), real.claim(key)),
      settle: (key, taskId) => (claimKeys.add(key), real.settle(key, taskId)),
      release: (key) => real.release(key),
    };
  };
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    if (claimKeys.size) await redis.del(...[...claimKeys].map((k) => CLAIM_PREFIX + k));
    await redis.quit();
  });

  /** A request-file folder with one conforming image: fixing copies it, so the test spends its time on the create. */
  async function jobFolder(name: string): Promise<string> {
    const folder = join(box.dir, name);
    await mkdir(folder, { recursive: true });
    await copyFile(fixture('landscape-1280x720.jpg'), join(folder, 'a.jpg'));
    await writeFile(join(folder, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: `image 1 turns (${name})`, image_urls: ['a.jpg'], duration: 4 }));
    return folder;
  }
  const run = (folder: string, worker: string, jobName: string, extra: Partial<RunJobOptions> = {}) =>
    runJob({ ...sandboxJobOptions(box.sandbox), job: { folder }, createGuard: guard(worker), jobName, ...extra });
  const claimOf = async (key: string) => JSON.parse((await redis.get(CLAIM_PREFIX + key)) ?? 'null');
  const lastKey = () => [...claimKeys].at(-1)!;

  it('the claim is taken before the create, recorded in the journal, and settled with the task id', async () => {
    const folder = await jobFolder('claimed');
    const sim = box.sandbox.simulator;
    const before = sim.createdTasks().length;
    const result = await run(folder, 'worker-1', uniqueName('claimed'));
    expect(result.error).toBeNull();
    expect(sim.createdTasks().length).toBe(before + 1);
    const taskId = sim.createdTasks().at(-1)!.id;
    expect(result.taskId).toBe(taskId);
    const journal = (await readJobJournal(folder))!;
    expect(journal.submit).toEqual({ state: 'created', at: expect.stringMatching(AT), taskId, claim: { worker: 'worker-1', at: expect.stringMatching(AT) } });
    expect(await claimOf(lastKey())).toEqual({ worker: 'worker-1', at: journal.submit!.claim!.at, taskId });
  });

  it('a claim another worker settled: the job adopts its task, sends no create, and says who created it', async () => {
    const folder = await jobFolder('adopts');
    const jobName = uniqueName('adopts');
    const sim = box.sandbox.simulator;
    // worker-1 creates the task and dies before writing the journal: only the claim knows the task
    const first = await run(folder, 'worker-1', jobName);
    const taskId = first.taskId!;
    const claim = await claimOf(lastKey());
    await writeFile(join(folder, '.seedance-preflight/journal.json'), JSON.stringify({ ...(await readJobJournal(folder))!, submit: undefined, task: undefined, result: undefined }));
    const creates = sim.counters().create;
    const second = await run(folder, 'worker-2', jobName);
    expect(second.error).toBeNull();
    expect(second.taskId).toBe(taskId);
    expect(second.notes).toEqual([`task ${taskId} was created by worker worker-1 (claim taken at ${claim.at}): waiting for it instead of creating one`]);
    expect(sim.counters().create).toBe(creates);
    expect((await readJobJournal(folder))!.submit).toEqual({ state: 'created', at: claim.at, taskId, adopted: true, claim: { worker: 'worker-1', at: claim.at } });
  });

  it('a create sent by a worker that died before its answer: the next worker stops as a local run does, naming that worker', async () => {
    const folder = await jobFolder('lost-answer');
    const jobName = uniqueName('lost-answer');
    const sim = box.sandbox.simulator;
    sim.dropNextCreateAfterBody(1);
    const first = await run(folder, 'worker-1', jobName);
    expect(first.error?.stage).toBe('submit');
    const claim = await claimOf(lastKey());
    expect(claim).toEqual({ worker: 'worker-1', at: expect.stringMatching(AT) });
    expect((await readJobJournal(folder))!.submit).toEqual({ state: 'unknown', at: expect.stringMatching(AT), claim });
    const creates = sim.counters().create;
    const journalPath = join(folder, '.seedance-preflight/journal.json');
    const expected = {
      stage: 'submit',
      message: `a create request for this job was sent at ${claim.at} by worker worker-1, but its answer never arrived: a task may exist and be billed`,
      hint: `look the task up in your provider's task list: run again with --adopt-task TASK_ID to wait for it, or with --restart if none was created (seedance-preflight never re-sends a create silently; journal ${journalPath})`,
    };
    expect((await run(folder, 'worker-2', jobName)).error).toEqual(expected);
    // another worker whose journal was written over by a stale writer (no "sending" in it) is stopped by the claim alone
    await writeFile(journalPath, JSON.stringify({ ...(await readJobJournal(folder))!, submit: undefined }));
    expect((await run(folder, 'worker-3', jobName)).error).toEqual(expected);
    expect(sim.counters().create).toBe(creates);
  });

  it('a worker killed after settling the claim but before recording the task: the next worker adopts it from the claim', async () => {
    const folder = await jobFolder('settled-not-recorded');
    const jobName = uniqueName('settled');
    const sim = box.sandbox.simulator;
    sim.dropNextCreateAfterBody(1);
    await run(folder, 'worker-1', jobName);
    const taskId = sim.createdTasks().at(-1)!.id;
    // what worker-1 did had it got the answer and died right after settling
    await redisCreateGuard(redis, 'worker-1').settle(lastKey(), taskId);
    const creates = sim.counters().create;
    const again = await run(folder, 'worker-2', jobName);
    expect(again.error).toBeNull();
    expect(again.taskId).toBe(taskId);
    expect(again.notes).toEqual([`task ${taskId} was created by worker worker-1 (claim taken at ${(await claimOf(lastKey())).at}): waiting for it instead of creating one`]);
    expect(sim.counters().create).toBe(creates);
  });

  it('a create refused with an answer gives the claim back: a later run creates the one task', async () => {
    const folder = await jobFolder('refused');
    const jobName = uniqueName('refused');
    const sim = box.sandbox.simulator;
    const tasks = sim.createdTasks().length;
    sim.failNext(503, 4, { only: 'create' });
    const first = await run(folder, 'worker-1', jobName);
    expect(first.error?.stage).toBe('submit');
    expect(await redis.exists(CLAIM_PREFIX + lastKey())).toBe(0);
    const again = await run(folder, 'worker-2', jobName);
    expect(again.error).toBeNull();
    expect(sim.createdTasks().length).toBe(tasks + 1);
    expect(await claimOf(lastKey())).toEqual({ worker: 'worker-2', at: expect.stringMatching(AT), taskId: again.taskId });
  });

  it('two workers running the same job folder at once create one task; the journal ends holding it', async () => {
    const folder = await jobFolder('together');
    const jobName = uniqueName('together');
    const sim = box.sandbox.simulator;
    // both start from an uploaded job (a first try's create refused): they meet at the claim, not in the fix
    // (two workers fixing one folder at once can fail one of them: fixTargets sweeps the folder's temporaries)
    sim.failNext(503, 4, { only: 'create' });
    expect((await run(folder, 'worker-0', jobName)).error?.stage).toBe('submit');
    const tasks = sim.createdTasks().length;
    const results = await Promise.all([run(folder, 'worker-1', jobName), run(folder, 'worker-2', jobName)]);
    expect(sim.createdTasks().length).toBe(tasks + 1);
    const taskId = sim.createdTasks().at(-1)!.id;
    const claim = await claimOf(lastKey());
    expect(claim).toEqual({ worker: expect.stringMatching(/^worker-[12]$/), at: expect.stringMatching(AT), taskId });
    const winner = results[claim.worker === 'worker-1' ? 0 : 1]!;
    const other = results[claim.worker === 'worker-1' ? 1 : 0]!;
    expect([winner.ok, winner.taskId]).toEqual([true, taskId]);
    // the other worker found the job's lock held (one process per job) and touched nothing; without the lock (another
    // mount of the folder), it adopted the task, or (when it looked before the create answered) stopped naming the winner
    if (other.busy) expect(other.error?.message).toMatch(/^busy: another process runs this job: /);
    else if (other.ok) expect(other.taskId).toBe(taskId);
    else expect(other.error?.message).toBe(`a create request for this job was sent at ${claim.at} by worker ${claim.worker}, but its answer never arrived: a task may exist and be billed`);
    expect((await readJobJournal(folder))!.submit?.taskId).toBe(taskId);
  });
});
