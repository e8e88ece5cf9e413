import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { cli, useSandboxCli } from '../helpers/run-cli.js';
import { putFixtures, servedResult } from '../helpers/sandbox-media.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-cli-submit-', { taskDurationMs: 300 });
// its afterAll checks that the key is in no output of any run of this file
const { run, runs } = useSandboxCli(box);
let sandbox: Sandbox;
let dir: string;
let imageUrl: string;

beforeAll(async () => {
  ({ sandbox, dir } = box);
  [imageUrl] = await putFixtures(sandbox, ['landscape-1280x720.jpg']) as [string];
});
afterAll(() => {
  expect(runs.length).toBeGreaterThan(5);
});

async function requestFile(name: string, request: unknown): Promise<string> {
  await writeFile(join(dir, name), JSON.stringify(request));
  return name;
}

const goodRequest = () => ({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 slowly zooms', image_urls: [imageUrl], duration: 5 });

describe('submit', () => {
  it('creates, waits and downloads the byte-identical result (exit 0)', async () => {
    const file = await requestFile('good.json', goodRequest());
    const result = await run(['submit', '--request', file, '--download', 'out/video.mp4', '--poll-interval', '0.02']);
    expect(result.code).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!;
    const created = sandbox.simulator.timeline(task.id)!;
    expect(result.stdout).toBe(
      `created task ${task.id} (pending, about 1 s); follow it with: seedance-preflight wait ${task.id}\n` +
        `task ${task.id} completed\n` +
        `  seedance-2.0-reference-to-video · created ${new Date(Math.floor(created.createdAt / 1000) * 1000).toISOString()} · video 5 s\n` +
        `  result: ${sandbox.apiBaseUrl}/files/${task.id}.mp4\n` +
        `  downloaded: out/video.mp4 (${(await servedResult(sandbox, task.id)).length} bytes)\n`,
    );
    expect(result.stderr).toContain(`${task.id} processing `);
    expect((await readFile(join(dir, 'out/video.mp4'))).equals(await servedResult(sandbox, task.id))).toBe(true);
  });

  it('wait --download ABSOLUTE names the saved file from the folder the command ran in, in text and --json', async () => {
    const file = await requestFile('wait-shown.json', goodRequest());
    const created = await run(['--json', 'submit', '--request', file]);
    const taskId = (JSON.parse(created.stdout) as { task: { id: string } }).task.id;
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    const text = await cli(['wait', taskId, '--download', join(dir, 'saved/text.mp4'), '--poll-interval', '0.02'], { env: sandbox.env, cwd: join(dir, 'elsewhere') });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`  downloaded: ../saved/text.mp4 (${(await servedResult(sandbox, taskId)).length} bytes)\n`);
    const json = await cli(['--json', 'wait', taskId, '--download', join(dir, 'saved/json.mp4')], { env: sandbox.env, cwd: join(dir, 'elsewhere') });
    expect((JSON.parse(json.stdout) as { download: { path: string } }).download.path).toBe('../saved/json.mp4');
    expect(`${text.stdout}${text.stderr}${json.stdout}${json.stderr}`).not.toContain(sandbox.apiKey);
  });

  it('refuses a request that breaks a rule, with the violations, and sends nothing (exit 1)', async () => {
    const before = sandbox.simulator.counters().create;
    const file = await requestFile('bad.json', { ...goodRequest(), duration: 3, image_urls: ['hero.png'] });
    const result = await run(['submit', '--request', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('duration 3 is not a whole number of seconds from 4 to 15');
    expect(result.stdout).toContain(`    error   hero.png is a local file, and submit sends URLs only (rule request.media_url). To do: upload it first and put its URL in the request.\n`);
    expect(result.stdout).toContain(
      'not submitted: bad.json breaks 3 rules; nothing was sent and nothing billed. Upload its local files (seedance-preflight upload, or seedance-preflight run does every stage), fix the request and submit again.\n',
    );
    expect(sandbox.simulator.counters().create).toBe(before);
  });

  it('--json refusal: the check report in the shape of check --json, each violation with its rendered message', async () => {
    const file = await requestFile('bad-json.json', { ...goodRequest(), duration: 3 });
    const result = await run(['--json', 'submit', '--request', file]);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { ok: boolean; check: { ok: boolean; files: unknown[]; request: { ok: boolean; violations: Array<Record<string, unknown>> } } };
    expect(document.ok).toBe(false);
    expect(document.check.request.violations).toHaveLength(1);
    const [violation] = document.check.request.violations;
    expect(Object.keys(violation!)).toEqual(['rule', 'severity', 'subject', 'limit', 'actual', 'message', 'fix', 'fixable', 'source']);
    expect(violation).toMatchObject({
      rule: 'request.duration',
      actual: 3,
      message: `bad-json.json: duration 3 is not a whole number of seconds from 4 to 15; allowed: 4–15 s (rule request.duration). To do: set "duration" to an integer from 4 to 15.`,
    });
  });

  it('exits 2 with a clear message when EVOLINK_API_KEY is missing', async () => {
    const file = await requestFile('good2.json', goodRequest());
    const result = await run(['submit', '--request', file], { ...sandbox.env, EVOLINK_API_KEY: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('seedance-preflight: submit cannot start: 1 setting is missing: EVOLINK_API_KEY (your API key: https://evolink.ai/dashboard/keys; to try without one, run seedance-preflight sandbox and use the variables it prints)\n');
  });

  it('--dry-run --json prints the exact request and sends nothing, without a key', async () => {
    const before = sandbox.simulator.counters().create;
    const file = await requestFile('dry.json', goodRequest());
    const result = await run(['--json', 'submit', '--request', file, '--dry-run'], { ...sandbox.env, EVOLINK_API_KEY: undefined });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, dryRun: true, request: goodRequest(), task: null, download: null, error: null });
    expect(sandbox.simulator.counters().create).toBe(before);
  });

  it('a wrong key exits 2 and says to check the key', async () => {
    const file = await requestFile('good3.json', goodRequest());
    const result = await run(['submit', '--request', file], { ...sandbox.env, EVOLINK_API_KEY: 'sk-not-the-sandbox-key' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^seedance-preflight: create failed: HTTP 401 unauthorized: Invalid or expired token \(request id req-sandbox-\d+\)\n  to do: check EVOLINK_API_KEY: it is missing, wrong or expired \(keys: https:\/\/evolink\.ai\/dashboard\/keys\)\n$/);
    expect(result.stderr).not.toContain('sk-not-the-sandbox-key');
  });

  it('402 exits 1 and says to top up; --json carries status, code and hint', async () => {
    sandbox.simulator.failNext(402, 1);
    const file = await requestFile('good4.json', goodRequest());
    const result = await run(['--json', 'submit', '--request', file]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error).toEqual({ kind: 'api', message: 'Insufficient quota. Please top up your account.', hint: 'top up the account (https://evolink.ai/dashboard), then submit again', status: 402, code: 'insufficient_quota', type: 'insufficient_quota', requestId: expect.stringMatching(/^req-sandbox-\d+$/) });
  });

  it('a connection dropped after the body was sent is reported once, with what to do, and not retried', async () => {
    const before = sandbox.simulator.counters().create;
    sandbox.simulator.dropNextCreateAfterBody(1);
    const file = await requestFile('good5.json', goodRequest());
    const result = await run(['submit', '--request', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("a task may have been created and billed\n  to do: do not submit again yet: look the task up first in your dashboard's task list; submit again only if no task was created; seedance-preflight status TASK_ID shows a task once you know its id\n");
    expect(result.stderr).toContain('  what was sent: the request in good5.json\n');
    expect(sandbox.simulator.counters().create - before).toBe(1);
  });
});

describe('status and wait', () => {
  it('status --json shows a completed task; wait --download on a failed task exits 1 with its error', async () => {
    const done = sandbox.simulator.createdTasks().find((t) => t.status === 'completed')!;
    const status = await run(['--json', 'status', done.id]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({ ok: true, task: done, download: null, error: null });

    sandbox.simulator.failNextTasks(1, { code: 'generation_timeout', message: 'Generation took too long' });
    const file = await requestFile('fails.json', goodRequest());
    const submitted = await run(['submit', '--request', file]);
    const id = submitted.stdout.match(/created task (\S+)/)![1]!;
    const waited = await run(['wait', id, '--download', 'never.mp4', '--poll-interval', '0.02']);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toContain(`task ${id} failed\n`);
    expect(waited.stdout).toContain('  error: generation_timeout: Generation took too long\n  to do: the generation failed at the provider; submit again later\n');
  });

  it('wait --timeout gives up with the last status and how to resume (exit 1)', async () => {
    const file = await requestFile('slow.json', goodRequest());
    const id = (await run(['submit', '--request', file])).stdout.match(/created task (\S+)/)![1]!;
    const waited = await run(['wait', id, '--timeout', '0.05', '--poll-interval', '0.02']);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(new RegExp(`seedance-preflight: task ${id} did not finish within 0.05 s \\(last status \\w+ \\d+%\\)\\n  to do: the task continues at the provider: wait for it again to get its result; run seedance-preflight wait ${id} to keep waiting\\n$`));
  });

  it('status of an unknown task exits 1 with the API error', async () => {
    const result = await run(['status', 'task-unified-1-unknown']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^seedance-preflight: query failed: HTTP 404 task_not_found: Task not found: task-unified-1-unknown \(request id req-sandbox-\d+\)\n/);
  });
});
