import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Text } from '../../src/pipeline/fingerprint.js';
import { describe, expect, it } from 'vitest';
import { emptyJournal, readJournal, writeJournal, type Journal } from '../../src/pipeline/journal.js';
import { runJob } from '../../src/pipeline/run-job.js';
import type { ApiClient } from '../../src/submit/client.js';
import { readJobJournal, sandboxJobOptions, writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

async function written(journal: Journal, env: NodeJS.ProcessEnv = {}): Promise<{ text: string; back: Journal }> {
  const dir = await mkdtemp(join(tmpdir(), 'sp-journal-redact-'));
  try {
    await writeJournal(dir, journal, env);
    return { text: await readFile(join(dir, 'journal.json'), 'utf8'), back: (await readJournal(dir))! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the user gave, with something that looks like a URL with credentials: read back as it was written. */
const PROMPT = 'a lighthouse at dusk; style notes at ftp://a:b@c/x';
const INPUTS = { request: { model: 'm', prompt: PROMPT, files: { 'still.png': 'sha256:00' } }, profile: 'p', fix: { fit: 'pad', audioFormat: 'mp3' } };

describe('writeJournal: what is read back and used stays as written; the rest is redacted', () => {
  it('request and inputs (journal and history) round-trip byte-exact; a failure message loses its URL credentials', async () => {
    const request = { model: 'm', prompt: PROMPT, callback_url: 'https://user:tok@hook.example/x' };
    const journal: Journal = {
      ...emptyJournal('/jobs/a'),
      fingerprint: 'f2',
      inputs: INPUTS,
      request,
      failure: { stage: 'wait', message: 'fetching http://u:p@h/ failed', hint: 'see http://u:p@h/help' },
      history: [{ fingerprint: 'f1', inputs: INPUTS, request, task: { id: 't1', status: 'failed', error: { code: 'x', message: 'at https://k:v@cdn.example/r.mp4' } } }],
    };
    const { text, back } = await written(journal);
    expect(back.request).toEqual(request);
    expect(back.inputs).toEqual(INPUTS);
    expect(back.history[0]!.request).toEqual(request);
    expect(back.history[0]!.inputs).toEqual(INPUTS);
    expect(back.failure).toEqual({ stage: 'wait', message: 'fetching http://***@h/ failed', hint: 'see http://***@h/help' });
    expect(back.history[0]!.task!.error).toEqual({ code: 'x', message: 'at https://***@cdn.example/r.mp4' });
    expect(text).not.toContain('u:p@');
    expect(text).not.toContain('k:v@');
    // the whole journal otherwise as given
    expect(back).toEqual({ ...journal, failure: back.failure, history: [{ ...journal.history[0]!, task: back.history[0]!.task }] });
  });
});

describe('writeJournal: the environment\'s secret values', () => {
  it('masked in every string but under request and inputs (what the user gave is read back as given)', async () => {
    const key = 'sk-journal-key-8c1d';
    const request = { model: 'm', prompt: `a poster reading ${key}` };
    const inputs = { ...INPUTS, request };
    const journal: Journal = { ...emptyJournal('/jobs/b'), fingerprint: 'f', inputs, request, failure: { stage: 'submit', message: `refused: bad key ${key}`, hint: 'check EVOLINK_API_KEY' } };
    const { text, back } = await written(journal, { EVOLINK_API_KEY: key });
    expect(back.failure).toEqual({ stage: 'submit', message: 'refused: bad key ***', hint: 'check EVOLINK_API_KEY' });
    expect(back.request).toEqual(request);
    expect(back.inputs).toEqual(inputs);
    expect(text.split(key).length - 1).toBe(2);
  });
});

describe('a prompt with "ftp://a:b@c/x", end to end against the sandbox', () => {
  const box = useSandbox('sp-journal-redact-run-', { taskDurationMs: 200 });

  it('resumed after a refused create, the create sends the prompt as written; one task; a further run sends nothing', async () => {
    const { sandbox, dir } = box;
    const job = await writeAssetFolder(join(dir, 'job'), 5);
    await writeFile(join(job, 'prompt.txt'), `${PROMPT}: image 1 over video 1, with audio 1.\n`);
    const base = sandboxJobOptions(sandbox);
    const sent: Record<string, unknown>[] = [];
    const client: ApiClient = { ...base.client, createTask: (request, options) => (sent.push(request as Record<string, unknown>), base.client.createTask(request, options)) };
    const before = sandbox.simulator.createdTasks().length;

    // the first create is refused (402): nothing exists at the provider, the journal keeps the uploaded request
    sandbox.simulator.failNext(402, 1, { only: 'create' });
    const first = await runJob({ ...base, client, job: { folder: job } });
    expect(first.error?.stage).toBe('submit');
    expect(sandbox.simulator.createdTasks().length).toBe(before);
    expect((await readJobJournal(job))!.request!.prompt).toBe(`${PROMPT}: image 1 over video 1, with audio 1.`);

    // the re-run resumes from the journal: the body it sends is the request as built, prompt and all
    const second = await runJob({ ...base, client, job: { folder: job } });
    expect(second.error).toBeNull();
    expect(sent.map((r) => r.prompt)).toEqual([`${PROMPT}: image 1 over video 1, with audio 1.`, `${PROMPT}: image 1 over video 1, with audio 1.`]);
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    const journal = (await readJobJournal(job))!;
    // the fingerprint's material holds a text with URL credentials as its hash: compared the same on every run, never on disk
    expect((journal.inputs!.request as { prompt: string }).prompt).toBe(`credentials:sha256:${sha256Text(`${PROMPT}: image 1 over video 1, with audio 1.`)}`);

    // and a third run finds the same inputs: nothing sent, the same task
    const counters = sandbox.simulator.counters();
    const third = await runJob({ ...base, client, job: { folder: job } });
    expect(third.error).toBeNull();
    expect(third.taskId).toBe(second.taskId);
    expect(third.notes).toEqual([]);
    expect(sent.length).toBe(2);
    expect(sandbox.simulator.counters()).toEqual(counters);
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
  });
});
