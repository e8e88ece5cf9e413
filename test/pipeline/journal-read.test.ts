import { execFileSync } from 'node:child_process';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyJournal, JournalError, JOURNAL_FILE, MAX_JOURNAL_BYTES, readJournal, writeJournal } from '../../src/pipeline/journal.js';
import { taskIdsIn, whyNotJson } from '../../src/pipeline/journal-error.js';
import { tempDir } from '../helpers/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-journal-read-'));
});
afterAll(() => cleanup());

let n = 0;
/** A fresh work folder holding `journal.json` as `write` makes it. */
async function workWith(write: (path: string) => Promise<void>): Promise<{ work: string; path: string }> {
  const work = join(dir, `w${n++}`);
  await mkdir(work);
  const path = join(work, JOURNAL_FILE);
  await write(path);
  return { work, path };
}

async function readError(work: string): Promise<JournalError> {
  const error = await readJournal(work).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(JournalError);
  return error as JournalError;
}

const TASK = 'task-unified-1774857405-abc123';
const OLD_TASK = 'task-unified-1774850000-old999';

describe('readJournal', () => {
  it('null when there is none; a journal written is read back', async () => {
    const { work } = await workWith(async () => {});
    expect(await readJournal(work)).toBeNull();
    await writeJournal(work, { ...emptyJournal('/jobs/a'), submit: { state: 'created', at: '2025-01-01T00:00:00.000Z', taskId: TASK } });
    expect((await readJournal(work))!.submit).toEqual({ state: 'created', at: '2025-01-01T00:00:00.000Z', taskId: TASK });
  });

  it('a journal cut short (a crash, a full disk): one line naming the byte and every task id in its text, and how to fetch the task', async () => {
    const whole = JSON.stringify({ version: 2, job: '/jobs/a', history: [{ submit: { state: 'created', taskId: OLD_TASK } }], submit: { state: 'created', taskId: TASK }, hashes: [] }, null, 2);
    const cut = whole.slice(0, whole.indexOf('"hashes"'));
    const { work, path } = await workWith((p) => writeFile(p, cut));
    const error = await readError(work);
    expect(error.kind).toBe('journal');
    expect(error.message).toBe(`${path} is damaged (not JSON: it ends mid-way, at byte ${Buffer.byteLength(cut)}): it may hold this job's task id; task ids in its text: ${OLD_TASK}, ${TASK}`);
    expect(error.hint).toBe(`move it aside (mv ${path} ${path}.damaged), then fetch that task's video without paying again: seedance-preflight wait ${TASK} --download FILE; run the job again only for a new task (without a journal it starts afresh and creates one)`);
    expect(error.taskIds).toEqual([OLD_TASK, TASK]);
  });

  it('garbage in the middle: the byte where it breaks; no text of the journal is quoted', async () => {
    const text = `{"version":2,"job":"/jobs/é","submit":{"taskId":"${TASK}"} SECRET-LOOKING-TEXT}`;
    const { work, path } = await workWith((p) => writeFile(p, text));
    const error = await readError(work);
    const at = Buffer.byteLength(text.slice(0, text.indexOf('SECRET')));
    expect(error.message).toBe(`${path} is damaged (not JSON at byte ${at} of ${Buffer.byteLength(text)}): it may hold this job's task id; task ids in its text: ${TASK}`);
    expect(error.message).not.toContain('SECRET');
  });

  it.each([
    ['empty', '', 'it is empty'],
    ['zero bytes (a crash on some file systems)', '\0'.repeat(4096), 'it holds only zero bytes (4096)'],
    ['JSON, an array', '[1,2]', 'JSON, but not a journal: it names no job'],
    ['JSON, null', 'null', 'JSON, but not a journal: it names no job'],
    ['JSON, no job', '{"version":2}', 'JSON, but not a journal: it names no job'],
  ])('%s: no task id, the way to find one', async (_name, text, why) => {
    const { work, path } = await workWith((p) => writeFile(p, text));
    const error = await readError(work);
    expect(error.message).toBe(`${path} is damaged (${why}): no task id can be read from it`);
    expect(error.hint).toBe(`if this job sent a create, find its task in your provider's task list and fetch its video with seedance-preflight wait TASK_ID --download FILE; then move it aside (mv ${path} ${path}.damaged) and run again (a new task is created)`);
  });

  it("another version's journal: said so, with its task ids kept", async () => {
    const { work, path } = await workWith((p) => writeFile(p, JSON.stringify({ version: 9, job: '/jobs/a', submit: { taskId: TASK } })));
    const error = await readError(work);
    expect(error.message).toBe(`${path} was written by another version of seedance-preflight (journal version 9; this one reads 1 and 2)`);
    expect(error.hint).toBe('run that job with the version of seedance-preflight that wrote it; or move the journal aside and run again (a new task is created)');
    expect(error.taskIds).toEqual([TASK]);
  });

  it.each([
    ['a folder', (p: string) => mkdir(p), 'a directory'],
    ['a FIFO (never blocks: opened non-blocking, refused once open)', async (p: string) => void execFileSync('mkfifo', [p]), 'a named pipe (FIFO)'],
    ['a symbolic link (even to a good journal)', async (p: string) => {
      await writeFile(`${p}.real`, JSON.stringify(emptyJournal('/jobs/a')));
      await symlink(`${p}.real`, p);
    }, 'a symbolic link'],
    ['a link to /dev/zero', (p: string) => symlink('/dev/zero', p), 'a symbolic link'],
    ['a sparse file past the bound', async (p: string) => {
      await writeFile(p, '');
      await truncate(p, MAX_JOURNAL_BYTES + 1);
    }, '16.0 MiB (a journal is a few kB; at most 16.0 MiB is read)'],
  ])('%s is not a journal: refused, nothing read', async (_name, make, what) => {
    const { work, path } = await workWith(make);
    const error = await readError(work);
    expect(error.message).toBe(`${path} is ${what}, not a journal seedance-preflight wrote`);
    expect(error.hint).toBe(`move it aside (mv ${path} ${path}.damaged): seedance-preflight writes its journal as a regular file of a few kB; then run again`);
  });
});

describe('taskIdsIn', () => {
  it.each([
    ['the provider form, in order, once each', `{"a":"${OLD_TASK}","b":"${TASK}","c":"${OLD_TASK}"}`, [OLD_TASK, TASK]],
    ['a taskId field of another form', '{"submit":{"taskId":"t-42"}}', ['t-42']],
    ['a task object id', '{"task": {"id": "abc-1", "status": "completed"}}', ['abc-1']],
    ['in a journal cut in the middle of an id: the part found', '{"taskId":"task-unified-17748', ['task-unified-17748']],
    ['none', '{"version":2}', []],
  ])('%s', (_name, text, ids) => {
    expect(taskIdsIn(text)).toEqual(ids);
  });
});

describe('whyNotJson', () => {
  const parse = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return error;
    }
    throw new Error('parsed');
  };
  it.each([
    ['{"a":1', 'not JSON: it ends mid-way, at byte 6'],
    ['{"a":1}xx', 'not JSON at byte 7 of 9'],
    ['{"é":1 x', 'not JSON at byte 8 of 9'],
    ['garbage', 'not JSON (7 bytes)'],
  ])('%j → %s', (text, why) => {
    expect(whyNotJson(text, parse(text))).toBe(why);
  });
});
