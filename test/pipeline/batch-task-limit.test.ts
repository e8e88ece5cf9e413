import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { useSandbox } from '../helpers/use-sandbox.js';

// tasks that run long enough for all three jobs to reach their create while the first two still run
const box = useSandbox('sp-batch-task-limit-', { taskDurationMs: 1500 });

it('batch --api-concurrency 2 with three jobs: the simulator never sees more than 2 tasks in flight; every job gets its task', async () => {
  const root = join(box.dir, 'root');
  // one conforming image each: fixing copies it, so the jobs reach their create together
  for (const name of ['a', 'b', 'c']) {
    await mkdir(join(root, name), { recursive: true });
    await copyFile(fixture('landscape-1280x720.jpg'), join(root, name, 'a.jpg'));
    await writeFile(join(root, name, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: `image 1 turns (${name})`, image_urls: ['a.jpg'], duration: 4 }));
  }
  const outcome = await cli(['batch', root, '--api-concurrency', '2', '--json'], { env: { ...box.sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') } });
  expect(outcome.code, outcome.stderr).toBe(0);
  const stats = box.sandbox.simulator.stats();
  expect([stats.tasks.length, stats.inFlight, stats.maxInFlight]).toEqual([3, 0, 2]);
  expect(stats.tasks.map((t) => t.prompt).sort()).toEqual(['image 1 turns (a)', 'image 1 turns (b)', 'image 1 turns (c)']);
});
