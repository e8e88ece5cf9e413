import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob, type RunJobOptions } from '../../src/pipeline/run-job.js';
import { TEXT_MODEL } from '../../src/spec/profile.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { readJobJournal, sandboxJobOptions, writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-adopt-', { taskDurationMs: 300 });
const REF = 'seedance-2.0-reference-to-video';
const HINT = "give the id of the task this job created, as your provider's task list shows it";

async function run(job: string, extra: Partial<RunJobOptions> = {}) {
  const notes: string[] = [];
  const stages: string[] = [];
  const result = await runJob({ ...sandboxJobOptions(box.sandbox), job: { folder: job }, onNote: (n) => notes.push(n), onStage: (s, d) => stages.push(`${s}: ${d}`), ...extra });
  return { result, notes, stages };
}

/** A job whose create was received (and made a task) but whose answer never arrived. */
async function lostCreate(name: string, seed: number): Promise<{ job: string; orphan: string }> {
  const job = await writeAssetFolder(join(box.dir, name), seed);
  const known = new Set(box.sandbox.simulator.createdTasks().map((t) => t.id));
  box.sandbox.simulator.dropNextCreateAfterBody(1);
  const first = await run(job);
  expect(first.result.error?.stage).toBe('submit');
  expect((await readJobJournal(job))!.submit?.state).toBe('unknown');
  return { job, orphan: box.sandbox.simulator.createdTasks().find((t) => !known.has(t.id))!.id };
}

const journalText = (job: string) => readFile(join(job, '.seedance-preflight', 'journal.json'), 'utf8');
/** The task ids the API was asked about since `from` (queries of the log). */
const queriedSince = (from: number) => [...new Set(box.sandbox.simulator.requestLog().slice(from).filter((e) => e.kind === 'query').map((e) => e.path.split('/').at(-1)))];

describe('--adopt-task proves what the task detail can', () => {
  it('another model and duration: refused with both sides, nothing written; then the right task is adopted, and only it is waited on', async () => {
    const { job, orphan } = await lostCreate('wrong-model', 81);
    const other = await sandboxClient(box.sandbox).createTask({ model: TEXT_MODEL, prompt: 'a lighthouse at dusk', duration: 10 });
    const before = await journalText(job);
    const creates = box.sandbox.simulator.counters().create;

    const wrong = await run(job, { adoptTask: other.id });
    expect(wrong.result.error).toEqual({
      stage: 'submit',
      message: `--adopt-task refused: task ${other.id}: model ${TEXT_MODEL}, the job's request: ${REF}; duration 10 s, the job's request: 5 s (the default; the request names none)`,
      hint: HINT,
    });
    expect(await journalText(job)).toBe(before);

    const from = box.sandbox.simulator.requestLog().length;
    const right = await run(job, { adoptTask: orphan });
    expect(right.result.error).toBeNull();
    expect(right.result.taskId).toBe(orphan);
    expect(right.notes).toEqual([`adopted task ${orphan}: waiting for it instead of creating one`]);
    expect(queriedSince(from)).toEqual([orphan]);
    expect(box.sandbox.simulator.counters().create).toBe(creates);
    expect((await stat(join(job, 'output', `${orphan}.mp4`))).size).toBeGreaterThan(0);
  });

  it('a task created long before the create was sent is refused, naming both times', async () => {
    const { job, orphan } = await lostCreate('too-early', 82);
    // as if this job's create had been sent an hour after the task was made (another job's task of the same kind)
    const journal = JSON.parse(await journalText(job));
    const task = await sandboxClient(box.sandbox).getTask(orphan);
    const sentAt = new Date((task.created! + 3600) * 1000).toISOString();
    journal.submit.at = sentAt;
    await writeFile(join(job, '.seedance-preflight', 'journal.json'), JSON.stringify(journal, null, 2));
    const { result } = await run(job, { adoptTask: orphan });
    expect(result.error).toEqual({
      stage: 'submit',
      message: `--adopt-task refused: task ${orphan}: created ${new Date(task.created! * 1000).toISOString()}, the job's create was sent ${sentAt} (its task is created from 60 s before to 10 min after)`,
      hint: HINT,
    });
    expect((await readJobJournal(job))!.submit).toEqual({ state: 'unknown', at: sentAt });
  });

  it('a wrong task that nothing in its detail tells apart, once adopted, does not block adopting the right one', async () => {
    const { job, orphan } = await lostCreate('wrong-twin', 83);
    // another job's task of the same model and duration, made just after this job's lost create
    const request = (await readJobJournal(job))!.request!;
    const twin = await sandboxClient(box.sandbox).createTask({ ...request, prompt: 'another job, same kind' });
    const first = await run(job, { adoptTask: twin.id });
    expect(first.result.taskId).toBe(twin.id);
    expect(first.result.error).toBeNull();

    const from = box.sandbox.simulator.requestLog().length;
    const creates = box.sandbox.simulator.counters().create;
    const second = await run(job, { adoptTask: orphan });
    expect(second.result.error).toBeNull();
    expect(second.result.taskId).toBe(orphan);
    expect(second.stages[0]).toBe(`submit: adopting task ${orphan} in place of task ${twin.id} (adopted earlier)`);
    expect(second.result.result).toEqual({ path: join(job, 'output', `${orphan}.mp4`), bytes: expect.any(Number) });
    expect(second.result.previousResults).toEqual([{ taskId: twin.id, path: join(job, 'output', `${twin.id}.mp4`) }]);
    expect(queriedSince(from)).toEqual([orphan]);
    expect(box.sandbox.simulator.counters().create).toBe(creates);
    const journal = (await readJobJournal(job))!;
    expect(journal.submit).toEqual({ state: 'created', at: expect.any(String), taskId: orphan, adopted: true });
    expect(journal.task?.id).toBe(orphan);
    // the wrong task ran and its result was downloaded (paid for): it stays recorded, in history, its file on disk
    expect(journal.history.map((g) => [g.submit?.taskId, g.task?.status, g.result?.path])).toEqual([[twin.id, 'completed', join(job, 'output', `${twin.id}.mp4`)]]);
    expect(journal.history[0]!.result!.bytes).toBe((await stat(join(job, 'output', `${twin.id}.mp4`))).size);
    expect(journal.result!.path).toBe(join(job, 'output', `${orphan}.mp4`));
    // and from then on, a plain re-run resumes the right task
    expect((await run(job)).result.taskId).toBe(orphan);
    expect((await readJobJournal(job))!.history.map((g) => g.submit?.taskId)).toEqual([twin.id]);
  });
});
