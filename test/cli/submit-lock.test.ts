import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockJob, LOCK_DIR } from '../../src/pipeline/job-lock.js';
import { jobWorkDir } from '../../src/pipeline/work-dir.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { putFixtures } from '../helpers/sandbox-media.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-cli-submit-lock-', { taskDurationMs: 300 });
const { run } = useSandboxCli(box);
let sandbox: Sandbox;
let dir: string;
let imageUrl: string;

beforeAll(async () => {
  ({ sandbox, dir } = box);
  [imageUrl] = (await putFixtures(sandbox, ['landscape-1280x720.jpg'])) as [string];
});

describe('submit --request holds the request file\'s lock, as run --request does', () => {
  it('refused with exit 75 naming the holder, nothing sent, while another process holds it; then it creates and releases', async () => {
    const file = join(dir, 'locked.json');
    await writeFile(file, JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 slowly zooms', image_urls: [imageUrl], duration: 5 }));
    const work = jobWorkDir({ requestFile: file });
    const held = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    const before = sandbox.simulator.createdTasks().length;
    try {
      const busy = await run(['submit', '--request', 'locked.json']);
      expect(busy.code).toBe(75);
      expect(busy.stdout).toBe('');
      expect(busy.stderr).toMatch(new RegExp(`^seedance-preflight: locked\\.json: busy: another process runs this job: pid ${process.pid} on ${hostname()} \\(seedance-preflight run\\), holding it since ${held.lock.holder.startedAt.replace(/\./g, '\\.')}, last heartbeat \\d+ s ago \\(lock ${join(work, LOCK_DIR).replace(/[.]/g, '\\.')}\\)\\n  to do: run it again once that process has ended`));
      const json = await run(['--json', 'submit', '--request', 'locked.json']);
      expect(json.code).toBe(75);
      const document = JSON.parse(json.stdout) as { ok: boolean; task: unknown; error: { kind: string }; busy: { holder: unknown } };
      expect([document.ok, document.task, document.error.kind, document.busy.holder]).toEqual([false, null, 'busy', held.lock.holder]);
      expect(sandbox.simulator.createdTasks().length).toBe(before);
    } finally {
      await held.lock.release();
    }
    const created = await run(['submit', '--request', 'locked.json']);
    expect(created.code, created.stderr).toBe(0);
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    // released: nothing of the lock is left in the request file's work folder
    expect(await readdir(work)).toEqual([]);
  });
});
