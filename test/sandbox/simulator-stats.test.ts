import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { STATS_PATH } from '../../src/sandbox/simulator.js';

let sandbox: Sandbox;
beforeAll(async () => {
  // long enough that three creates in a row are all still running when the third answers
  sandbox = await startSandbox({ taskDurationMs: 1500 });
});
afterAll(() => sandbox.close());

const create = async (prompt: string) => {
  const response = await fetch(`${sandbox.apiBaseUrl}/v1/videos/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'seedance-2.0-text-to-video', prompt, duration: 4 }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
};
const ended = async (id: string) => {
  for (;;) {
    const task = sandbox.simulator.createdTasks().find((t) => t.id === id)!;
    if (task.status === 'completed' || task.status === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
const getStats = (headers: Record<string, string>) => fetch(`${sandbox.apiBaseUrl}${STATS_PATH}`, { headers });

it('counts tasks in flight now and at most at once, lists every task, and serves the same over HTTP with the key', async () => {
  expect(sandbox.simulator.stats()).toEqual({ inFlight: 0, maxInFlight: 0, tasks: [] });
  const ids = [await create('one'), await create('two'), await create('three')];
  const during = sandbox.simulator.stats();
  expect([during.inFlight, during.maxInFlight]).toEqual([3, 3]);
  expect(during.tasks.map((t) => [t.id, t.prompt])).toEqual([[ids[0], 'one'], [ids[1], 'two'], [ids[2], 'three']]);
  for (const t of during.tasks) {
    expect(['pending', 'processing']).toContain(t.status);
    expect(Date.parse(t.createdAt)).toBe(sandbox.simulator.timeline(t.id)!.createdAt);
  }
  await Promise.all(ids.map(ended));
  const fourth = await create('four');
  const after = sandbox.simulator.stats();
  expect([after.inFlight, after.maxInFlight]).toEqual([1, 3]);
  expect(after.tasks.map((t) => [t.id, t.status === 'completed'])).toEqual([[ids[0], true], [ids[1], true], [ids[2], true], [fourth, false]]);

  const counters = sandbox.simulator.counters();
  const logged = sandbox.simulator.requestLog().length;
  const served = await getStats({ authorization: `Bearer ${sandbox.apiKey}` });
  expect(served.status).toBe(200);
  const body = (await served.json()) as ReturnType<typeof sandbox.simulator.stats>;
  expect([body.inFlight, body.maxInFlight, body.tasks.map((t) => [t.id, t.prompt])]).toEqual([1, 3, [[ids[0], 'one'], [ids[1], 'two'], [ids[2], 'three'], [fourth, 'four']]]);
  // a test's look inside is not API traffic: not counted, not logged
  expect(sandbox.simulator.counters()).toEqual(counters);
  expect(sandbox.simulator.requestLog()).toHaveLength(logged);
  await ended(fourth);
  expect([sandbox.simulator.stats().inFlight, sandbox.simulator.stats().maxInFlight]).toEqual([0, 3]);
});

it('the stats need the simulator\'s API key: 401 with the documented body without it', async () => {
  const response = await getStats({ authorization: 'Bearer sk-wrong' });
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
});
