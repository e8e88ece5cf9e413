import { copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, type JobStage, type RunJobOptions } from '../../src/pipeline/run-job.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { TEXT_MODEL } from '../../src/spec/profile.js';
import { fixture } from '../helpers/fixtures.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { bucketKeys, readJobJournal, sandboxJobOptions, sandboxUpload, startSwitchableRelay, writeAssetFolder, type SwitchableRelay } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-generations-', { taskDurationMs: 300 });
let sandbox: Sandbox;
let dir: string;
let relay: SwitchableRelay;

beforeAll(async () => {
  ({ sandbox, dir } = box);
  // the store is reached through a relay that counts the bytes sent to it
  relay = await startSwitchableRelay(sandbox.s3.endpoint);
});
afterAll(() => relay.close());

/** runJob against the sandbox, recording the stages and notes it reported. */
async function run(job: RunJobOptions['job'], extra: Partial<RunJobOptions> = {}) {
  const stages: (JobStage | 'done')[] = [];
  const notes: string[] = [];
  const result = await runJob({ ...sandboxJobOptions(sandbox), upload: sandboxUpload(sandbox, { endpoint: relay.endpoint }), job, onStage: (s) => stages.push(s), onNote: (n) => notes.push(n), ...extra });
  return { result, stages, notes };
}

const tasks = () => sandbox.simulator.createdTasks();
const exists = (path: string) => stat(path).then(() => true, () => false);

describe('the journal is tied to what it built', () => {
  let job: string;
  let firstTask: string;

  beforeAll(async () => {
    job = await writeAssetFolder(join(dir, 'iterate'), 71);
    const first = await run({ folder: job });
    expect(first.result.error).toBeNull();
    firstTask = first.result.taskId!;
  });

  it('same fingerprint: resumed, not one API request, 0 bytes to the store (a note added to the folder is no media)', async () => {
    await writeFile(join(job, 'notes.txt'), 'try a warmer light next time\n');
    const counters = sandbox.simulator.counters();
    const bytes = relay.bytesIn;
    const { result, stages, notes } = await run({ folder: job });
    expect(result.ok).toBe(true);
    expect(result.taskId).toBe(firstTask);
    expect(stages).toEqual(['done']);
    expect(notes).toEqual([]);
    expect(sandbox.simulator.counters()).toEqual(counters);
    expect(relay.bytesIn - bytes).toBe(0);
  });

  it('edit the prompt: exactly one new task, said plainly; the old result stays on disk under its task id', async () => {
    await writeFile(join(job, 'prompt.txt'), 'Job 71, second take: image 1 over video 1, with audio 1.\n');
    const before = tasks().length;
    const { result, notes } = await run({ folder: job });
    expect(result.error).toBeNull();
    expect(tasks().length).toBe(before + 1);
    const task = tasks().at(-1)!;
    expect(task.id).not.toBe(firstTask);
    expect(result.taskId).toBe(task.id);
    expect(sandbox.simulator.timeline(task.id)).not.toBeNull();
    expect(notes).toEqual([`the request changed since task ${firstTask} (prompt): creating a new task`]);
    expect(result.previousResults).toEqual([{ taskId: firstTask, path: join(job, 'output', `${firstTask}.mp4`) }]);
    expect(await exists(join(job, 'output', `${firstTask}.mp4`))).toBe(true);
    expect(result.result!.path).toBe(join(job, 'output', `${task.id}.mp4`));
    const journal = (await readJobJournal(job))!;
    expect(journal.history.map((g) => g.submit?.taskId)).toEqual([firstTask]);
    expect(journal.submit?.taskId).toBe(task.id);
    firstTask = task.id;
  });

  it('swap one media file: a new generation, naming the file; nothing re-sent for the unchanged ones', async () => {
    await writeAssetFolder(join(dir, 'donor'), 72);
    await copyFile(join(dir, 'donor/still.png'), join(job, 'still.png'));
    const before = tasks().length;
    const { result, notes, stages } = await run({ folder: job });
    expect(result.error).toBeNull();
    expect(tasks().length).toBe(before + 1);
    expect(notes).toEqual([`the request changed since task ${firstTask} (still.png): creating a new task`]);
    expect(stages).toEqual(['check', 'fix', 'upload', 'submit', 'wait', 'download', 'done']);
    // the clip and the music are the same bytes: already in the store
    expect(result.uploads.map((u) => [u.path.split('/').at(-1), u.uploaded])).toEqual([['still.png', true], ['clip.mp4', false], ['music.mp3', false]]);
  });

  it('a request changed while its task was still running: that task is waited for and kept, then one new task', async () => {
    const slow = await writeAssetFolder(join(dir, 'in-flight'), 73);
    const before = tasks().length;
    // the wait gives up first: the journal holds a created task, not yet done
    const first = await run({ folder: slow }, { waitTimeoutMs: 1 });
    expect(first.result.error?.stage).toBe('wait');
    const pending = first.result.taskId!;
    await writeFile(join(slow, 'prompt.txt'), 'Job 73, changed while generating.\n');
    const { result, notes, stages } = await run({ folder: slow });
    expect(result.error).toBeNull();
    expect(tasks().length).toBe(before + 2);
    expect(notes).toEqual([
      `the request changed since task ${pending} (prompt): fetching its result first (it is paid for), then creating a new task`,
      `the request changed since task ${pending} (prompt): creating a new task`,
    ]);
    expect(stages).toEqual(['wait', 'download', 'check', 'fix', 'upload', 'submit', 'wait', 'download', 'done']);
    expect(result.previousResults).toEqual([{ taskId: pending, path: join(slow, 'output', `${pending}.mp4`) }]);
    expect(await exists(join(slow, 'output', `${pending}.mp4`))).toBe(true);
    expect(result.taskId).not.toBe(pending);
  });

  it('a shared work folder: two jobs, two tasks, each its own journal and result', async () => {
    const [a, b] = await Promise.all([writeAssetFolder(join(dir, 'shared-a'), 74), writeAssetFolder(join(dir, 'shared-b'), 75)]);
    const work = join(dir, 'shared-work');
    const before = tasks().length;
    const ra = await run({ folder: a }, { workDir: work });
    const rb = await run({ folder: b }, { workDir: work });
    expect([ra.result.error, rb.result.error]).toEqual([null, null]);
    expect(tasks().length).toBe(before + 2);
    expect(ra.result.taskId).not.toBe(rb.result.taskId);
    expect(ra.result.result!.path).toBe(join(a, 'output', `${ra.result.taskId}.mp4`));
    expect(rb.result.result!.path).toBe(join(b, 'output', `${rb.result.taskId}.mp4`));
    // re-runs: each finds its own journal
    const again = await run({ folder: a }, { workDir: work });
    expect([again.result.taskId, again.stages]).toEqual([ra.result.taskId, ['done']]);
    expect(tasks().length).toBe(before + 2);
  });

  it('a journal written for another job (a copied folder) is never used', async () => {
    const { cp } = await import('node:fs/promises');
    const copy = join(dir, 'copied');
    await cp(job, copy, { recursive: true });
    const creates = sandbox.simulator.counters().create;
    const { result } = await run({ folder: copy });
    expect(result.error).toEqual({
      stage: 'check',
      message: `${join(copy, '.seedance-preflight/journal.json')} belongs to another job (${job}), not to ${copy}: it is not used`,
      hint: `if this folder was copied or moved from there, delete ${join(copy, '.seedance-preflight')} to start this job afresh (a new task will be created)`,
    });
    expect(sandbox.simulator.counters().create).toBe(creates);
  });
});

describe('resolving a create whose answer never arrived', () => {
  async function lostCreate(name: string, seed: number) {
    const job = await writeAssetFolder(join(dir, name), seed);
    sandbox.simulator.dropNextCreateAfterBody(1);
    const known = new Set(tasks().map((t) => t.id));
    const first = await run({ folder: job });
    expect(first.result.error?.stage).toBe('submit');
    const orphan = tasks().find((t) => !known.has(t.id))!;
    return { job, orphan: orphan.id };
  }

  it('--adopt-task: checks the task, waits and downloads it; no create is sent', async () => {
    const { job, orphan } = await lostCreate('adopt', 76);
    const creates = sandbox.simulator.counters().create;
    const { result, notes, stages } = await run({ folder: job }, { adoptTask: orphan });
    expect(result.error).toBeNull();
    expect(result.taskId).toBe(orphan);
    expect(result.result!.path).toBe(join(job, 'output', `${orphan}.mp4`));
    expect(notes).toEqual([`adopted task ${orphan}: waiting for it instead of creating one`]);
    expect(stages).toEqual(['submit', 'wait', 'download', 'done']);
    expect(sandbox.simulator.counters().create).toBe(creates);
    expect((await readJobJournal(job))!.submit).toEqual({ state: 'created', at: expect.any(String), taskId: orphan, adopted: true });
    // after that, a plain re-run is a resume
    expect((await run({ folder: job })).stages).toEqual(['done']);
  });

  it('--adopt-task of a task that does not exist, or of another model: refused, nothing created', async () => {
    const { job } = await lostCreate('adopt-wrong', 77);
    // a text-to-video task is not this reference-to-video job's
    const other = await sandboxClient(sandbox).createTask({ model: TEXT_MODEL, prompt: 'a lighthouse at dusk' });
    const creates = sandbox.simulator.counters().create;
    const missing = await run({ folder: job }, { adoptTask: 'task-unified-0000000000-nothere' });
    expect(missing.result.error?.message).toMatch(/^--adopt-task task-unified-0000000000-nothere: the task cannot be found \(HTTP 404 /);
    const wrong = await run({ folder: job }, { adoptTask: other.id });
    expect(wrong.result.error).toEqual({
      stage: 'submit',
      message: `--adopt-task refused: task ${other.id}: model ${TEXT_MODEL}, the job's request: seedance-2.0-reference-to-video`,
      hint: "give the id of the task this job created, as your provider's task list shows it",
    });
    expect(sandbox.simulator.counters().create).toBe(creates);
    expect((await readJobJournal(job))!.submit?.state).toBe('unknown');
  });

  it('--restart: a new task on purpose, saying that a paid task may exist', async () => {
    const { job } = await lostCreate('restart', 78);
    const journal = (await readJobJournal(job))!;
    const before = tasks().length;
    const { result, notes } = await run({ folder: job }, { restart: true });
    expect(result.error).toBeNull();
    expect(tasks().length).toBe(before + 1);
    expect(notes).toEqual([`--restart: creating a new task; the create sent at ${journal.submit!.at} got no answer, so a paid task may exist at the provider (check its task list)`]);
  });
});

describe('local paths stay inside the job', () => {
  async function requestJob(name: string, imageRef: (job: string) => Promise<string>) {
    const job = join(dir, name);
    await mkdir(job, { recursive: true });
    const ref = await imageRef(job);
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 turns', image_urls: [ref], duration: 5 }));
    return job;
  }
  it.each([
    ['a "../" path', async (job: string) => {
      await copyFile(fixture('landscape-1280x720.jpg'), join(job, '..', 'secret-photo.jpg'));
      return '../secret-photo.jpg';
    }, (job: string) => join(job, '..', 'secret-photo.jpg')],
    ['an absolute path', async () => fixture('landscape-1280x720.jpg'), () => fixture('landscape-1280x720.jpg')],
  ])('%s outside the job: a clear error before anything is uploaded or created', async (what, makeRef, resolved) => {
    const job = await requestJob(`outside-${what.replace(/\W+/g, '-')}`, makeRef);
    const keys = await bucketKeys(sandbox);
    const counters = sandbox.simulator.counters();
    const ref = JSON.parse(await readFile(join(job, 'request.json'), 'utf8')).image_urls[0];
    const { result, stages } = await run({ folder: job });
    expect(result.error).toEqual({
      stage: 'check',
      message: `${join(job, 'request.json')}: image_urls[0] "${ref}" is outside the job's folder ${job} (it resolves to ${resolved(job)}); a job sends only media inside its own folder`,
      hint: `move the file into ${job}, or pass --allow-outside-paths if this request deliberately names media kept elsewhere`,
    });
    expect(stages).toEqual([]);
    expect(await bucketKeys(sandbox)).toEqual(keys);
    expect(sandbox.simulator.counters()).toEqual(counters);
  });

  it('a symlink inside the folder that points outside is outside too; --allow-outside-paths opts out', async () => {
    const job = join(dir, 'symlinked');
    await mkdir(job);
    await symlink(fixture('landscape-1280x720.jpg'), join(job, 'photo.jpg'));
    await writeFile(join(job, 'prompt.txt'), 'image 1 turns\n');
    const refused = await run({ folder: job }, { dryRun: true });
    expect(refused.result.error?.message).toBe(`${job}: photo.jpg "photo.jpg" is outside the job's folder ${job} (it resolves to ${fixture('landscape-1280x720.jpg')}); a job sends only media inside its own folder`);
    const allowed = await run({ folder: job }, { dryRun: true, allowOutsidePaths: true });
    expect(allowed.result.error).toBeNull();
    expect(allowed.result.ok).toBe(true);
  });
});
