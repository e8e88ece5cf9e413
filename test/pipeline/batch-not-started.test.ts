import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { REPO, startCli, waitFor } from '../helpers/cli-process.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { displayPath } from '../../src/shared/display-path.js';

/**
 * Ctrl-C during a batch whose jobs take turns for their media work (--media-concurrency 1): the job fixing is stopped,
 * no other job starts after the signal (no stage of it is printed, nothing reaches the sandbox), and the summary counts
 * the jobs stopped and not started, none as failed. A re-run finishes every job with one task each.
 */
const JOBS = 5;
const STAGE_LINE = /^\[(.+?)\] (check|fix|upload|submit|wait|download): /;

const box = useSandbox('sp-batch-not-started-', { taskDurationMs: 200 });
let root: string;
const names = Array.from({ length: JOBS }, (_, i) => `job-${i + 1}`);

beforeAll(async () => {
  root = join(box.dir, 'root');
  // 12 s clips: each job's fix re-encodes for seconds, so the signal lands while the first job fixes
  await Promise.all(names.map((name, i) => writeAssetFolder(join(root, name), 40 + i, { seconds: 12 })));
}, 120_000);

function startBatch() {
  return startCli(['batch', root, '--media-concurrency', '1', '--api-concurrency', String(JOBS)], { ...box.sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') });
}

it('SIGINT while the first job fixes: exit 130, the other four not started, none failed; nothing of them reaches the sandbox; a re-run finishes all five', async () => {
  const child = startBatch();
  try {
    await waitFor(() => /^\[.+?\] fix: /m.test(child.stderr()), 'the first job fixing', { timeoutMs: 120_000, everyMs: 20, detail: child.stderr });
  } catch (error) {
    child.killHard();
    throw error;
  }
  process.kill(-child.pid, 'SIGINT');
  expect(await child.exited).toEqual({ code: 130, signal: null });

  // the one job that started: every stage line printed (before and after the signal) is its own
  const staged = new Set(child.stderr().split('\n').flatMap((line) => STAGE_LINE.exec(line)?.[1] ?? []));
  expect(staged.size, child.stderr()).toBe(1);
  // the batch runs in the repository: it names each job relative to it
  const shownRoot = displayPath(root, REPO);
  const first = [...staged][0]!.slice(shownRoot.length + 1);
  expect(names).toContain(first);
  expect(box.sandbox.simulator.requestLog()).toEqual([]);

  const column = (text: string) => text.padEnd(`${shownRoot}/job-1`.length);
  const rows = names.map((name) =>
    name === first
      ? `${column(`${shownRoot}/${name}`)}  stopped at fix  0      -     interrupted (SIGINT) (to do: run again to resume where it stopped)`
      : `${column(`${shownRoot}/${name}`)}  not started     0      -     not started: SIGINT came before its turn (to do: run again to start it)`,
  );
  expect(child.stdout()).toBe(`${column('job')}  outcome         fixed  task  result\n${rows.join('\n')}\n0 of 5 jobs done; interrupted: 5 of 5 jobs not finished (1 stopped, 4 not started); run again to resume.\n`);

  const again = startBatch();
  const ended = await again.exited;
  expect(ended, again.stderr()).toEqual({ code: 0, signal: null });
  expect(again.stdout().split('\n').at(-2)).toBe('5 of 5 jobs done.');
  expect(box.sandbox.simulator.createdTasks()).toHaveLength(JOBS);
}, 300_000);
