import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { sandboxClient } from '../helpers/sandbox-client.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const box = useSandbox('sp-cli-wait-', { taskDurationMs: 60_000 });

it('Ctrl-C during wait --json stops at once with a cancelled error saying how to resume (exit 1); the task goes on', async () => {
  const { sandbox } = box;
  const task = await sandboxClient(sandbox).createTask({ model: 'seedance-2.0-text-to-video', prompt: 'A glass frog on a leaf' });
  // a real process: the signal must reach the CLI as it does from a terminal
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', '--json', 'wait', task.id, '--poll-interval', '0.05'], { cwd: REPO, env: { ...process.env, ...sandbox.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // interrupt once the CLI has polled the task at least once
  const polled = () => sandbox.simulator.requestLog().some((entry) => entry.kind === 'query' && entry.path.endsWith(task.id));
  for (let i = 0; i < 400 && !polled(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(polled()).toBe(true);
  const interruptedAt = Date.now();
  child.kill('SIGINT');
  expect(await exited).toBe(1);
  expect(Date.now() - interruptedAt).toBeLessThan(5000);
  expect(JSON.parse(stdout)).toEqual({
    ok: false,
    task: null,
    download: null,
    error: { kind: 'cancelled', message: `stopped waiting (SIGINT); the task goes on at the provider: seedance-preflight wait ${task.id} resumes`, hint: `run seedance-preflight wait ${task.id}` },
  });
  expect((await sandboxClient(sandbox).getTask(task.id)).status).not.toBe('failed');
});
