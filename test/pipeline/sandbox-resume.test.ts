import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, REPO, startCli, waitFor } from '../helpers/cli-process.js';
import { displayPath } from '../../src/shared/display-path.js';
import { tempDir } from '../helpers/fixtures.js';
import { copyDemo, persistedTasks, readJobJournal, sandboxLine } from '../helpers/sandbox-job.js';

/**
 * The trial: `batch ROOT --sandbox` (the built command line, as users run it) stopped by Ctrl-C (SIGINT to its
 * process group, as a terminal sends it) at each stage, then run again with --sandbox. Each run starts its own
 * in-process sandbox; the sandbox folder keeps the store's objects and the simulator's tasks between them. Every job
 * ends done, with exactly one task each, counted in the simulator's persisted task file.
 */
const JOBS = 3;
const jobs = Array.from({ length: JOBS }, (_, i) => `job-${i + 1}`);
const STAGES = ['fix', 'upload', 'submit', 'wait'] as const;

let temp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await tempDir('sp-sandbox-resume-');
  if (!existsSync(BUILT_BIN[0]!)) throw new Error('the built command line is missing: run npm run build first');
});
afterAll(() => temp?.cleanup());

/** A batch root of demo copies, each asking with its own prompt, so each task in the simulator names its job. */
async function demoRoot(root: string): Promise<void> {
  await Promise.all(
    jobs.map(async (name) => {
      const job = await copyDemo(join(root, name));
      const request = JSON.parse(await readFile(join(job, 'request.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(job, 'request.json'), JSON.stringify({ ...request, prompt: `${String(request.prompt)} (${name})` }));
    }),
  );
}

describe.each(STAGES)('batch --sandbox stopped by Ctrl-C at %s, run again with --sandbox', (stage) => {
  it('ends with every job done and exactly one task per job in the persisted simulator state', { timeout: 240_000 }, async () => {
    const base = join(temp.dir, stage);
    const root = join(base, 'root');
    await demoRoot(root);
    const env = { SEEDANCE_SANDBOX_DIR: join(base, 'sandbox'), SEEDANCE_PREFLIGHT_CACHE_DIR: join(base, 'cache'), EVOLINK_API_KEY: undefined, EVOLINK_BASE_URL: undefined, SEEDANCE_S3_BUCKET: undefined, SEEDANCE_S3_ENDPOINT: undefined };

    const first = startCli(['batch', root, '--sandbox'], env, { bin: BUILT_BIN });
    try {
      await waitFor(() => first.stderr().includes(`] ${stage}: `), `the first "${stage}:" line`, { timeoutMs: 120_000, detail: first.stderr });
    } catch (error) {
      first.killHard();
      throw error;
    }
    process.kill(-first.pid, 'SIGINT');
    const stopped = await first.exited;
    expect(stopped, first.stderr()).toEqual({ code: 130, signal: null });
    expect(first.stdout()).toMatch(/interrupted: \d+ of 3 jobs not finished/);

    const again = startCli(['batch', root, '--sandbox'], env, { bin: BUILT_BIN });
    const ended = await again.exited;
    expect(ended, again.stderr()).toEqual({ code: 0, signal: null });
    expect(again.stdout()).toContain('3 of 3 jobs done.');
    // the same folder, the same ports: the sandbox of the second run is the first one's, restarted
    expect(sandboxLine(again.stderr())).toBe(sandboxLine(first.stderr()));
    // named as from the folder the CLI ran in (REPO): relative when the two share a folder, wherever the clone is
    expect(sandboxLine(again.stderr())).toContain(`objects and tasks kept in ${displayPath(join(base, 'sandbox'), REPO)})`);
    expect(again.stderr()).not.toContain('task_not_found');

    const tasks = await persistedTasks(join(base, 'sandbox'));
    expect(tasks.map((t) => t.final?.status)).toEqual(['completed', 'completed', 'completed']);
    const journals = await Promise.all(jobs.map((name) => readJobJournal(join(root, name))));
    for (const [i, name] of jobs.entries()) {
      const mine = tasks.filter((t) => String(t.request.prompt).endsWith(`(${name})`));
      expect(mine.map((t) => t.id)).toEqual([journals[i]!.submit!.taskId]);
      expect(journals[i]!.history).toEqual([]);
      expect(existsSync(journals[i]!.result!.path)).toBe(true);
    }
  });
});
