import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUnderLock } from '../../src/cli/commands/submit-under-lock.js';
import type { CliIo } from '../../src/cli/io.js';
import { HOLDER_FILE, LOCK_DIR, lockJob } from '../../src/pipeline/job-lock.js';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { putFixtures } from '../helpers/sandbox-media.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-submit-under-lock-');

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: box.dir, stderrIsTTY: false }, out: () => stdout, err: () => stderr };
}

async function requestWithImage(): Promise<Record<string, unknown>> {
  const [imageUrl] = (await putFixtures(box.sandbox, ['landscape-1280x720.jpg'])) as [string];
  return { model: 'seedance-2.0-reference-to-video', prompt: 'image 1 slowly zooms', image_urls: [imageUrl], duration: 5 };
}

describe('submit: the create under the request file\'s lock', () => {
  it('a lock taken over by another process before the create: exit 75 in one line, nothing sent, the other holder\'s lock left alone', async () => {
    const work = join(box.dir, 'lost', '.seedance-preflight');
    const held = await lockJob(work, { command: 'seedance-preflight submit', staleMs: 30_000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    // another process judged it stale at the same moment and made its own
    await rm(join(work, LOCK_DIR), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const thief = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(thief.ok).toBe(true);
    if (!thief.ok) return;

    const request = await requestWithImage();
    const client = sandboxClient(box.sandbox);
    const before = box.sandbox.simulator.createdTasks().length;
    const text = capture();
    const code = await createUnderLock({ lock: held.lock, label: 'job.json', request, json: false, io: text.io }, async () => (await client.createTask(request), 0));
    expect(code).toBe(75);
    expect(text.out()).toBe('');
    expect(text.err()).toBe("seedance-preflight: job.json: nothing was sent: the request file's lock was lost right before the create (the job's lock was taken over by another process: it runs the job now)\n  to do: run it again once the other process has ended: it may be creating this task now\n");

    const json = capture();
    expect(await createUnderLock({ lock: held.lock, label: 'job.json', request, json: true, io: json.io }, async () => (await client.createTask(request), 0))).toBe(75);
    expect(json.err()).toBe('');
    expect(JSON.parse(json.out())).toEqual({
      ok: false,
      dryRun: false,
      request,
      task: null,
      download: null,
      error: { kind: 'busy', message: "nothing was sent: the request file's lock was lost right before the create (the job's lock was taken over by another process: it runs the job now)", hint: 'run it again once the other process has ended: it may be creating this task now' },
    });
    expect(box.sandbox.simulator.createdTasks().length).toBe(before);
    // the thief's lock and record are its own still
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(thief.lock.holder);
    expect(await thief.lock.verify()).toBe(true);
    await thief.lock.release();
  });

  it('a release that fails is a note on stderr: the create\'s exit code stands', async () => {
    const work = join(box.dir, 'unreleasable', '.seedance-preflight');
    const held = await lockJob(work, { command: 'seedance-preflight submit', staleMs: 30_000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    const request = await requestWithImage();
    const client = sandboxClient(box.sandbox);
    const before = box.sandbox.simulator.createdTasks().length;
    const text = capture();
    const code = await createUnderLock({ lock: held.lock, label: 'job.json', request, json: false, io: text.io }, async () => {
      await client.createTask(request);
      // something put a file in the lock folder meanwhile: its rmdir fails
      await writeFile(join(work, LOCK_DIR, 'stray'), 'x');
      return 0;
    });
    expect(code).toBe(0);
    expect(box.sandbox.simulator.createdTasks().length).toBe(before + 1);
    expect(text.err()).toBe(`seedance-preflight: note: job.json: the request file's lock could not be released (ENOTEMPTY: directory not empty, rmdir '${join(work, LOCK_DIR)}'); another process takes it over once its heartbeat is stale\n`);
    expect(await readdir(join(work, LOCK_DIR))).toEqual(['stray']);
    await rm(join(work, LOCK_DIR), { recursive: true });
  });
});
