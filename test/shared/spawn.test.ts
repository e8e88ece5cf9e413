import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, isCancelled } from '../../src/shared/cancel.js';
import { ProcessError, runProcess } from '../../src/shared/spawn.js';

const node = process.execPath;

async function rejection<E extends Error = ProcessError>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E = ProcessError as never): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error('expected the process to fail');
}

describe('runProcess', () => {
  it('returns stdout and passes arguments untouched, without a shell', async () => {
    const result = await runProcess(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '$HOME', "a 'b' \"c\"", '; rm -rf /']);
    expect(JSON.parse(result.stdout)).toEqual(['$HOME', "a 'b' \"c\"", '; rm -rf /']);
    expect(result.exitCode).toBe(0);
  });

  it('fails with the exit code and the tail of stderr', async () => {
    const error = await rejection(runProcess(node, ['-e', 'console.error("x".repeat(10000)); console.error("the last line"); process.exit(3)']));
    expect(error.exitCode).toBe(3);
    expect(error.stderrTail.length).toBeLessThanOrEqual(4000);
    expect(error.stderrTail.endsWith('the last line\n')).toBe(true);
    expect(error.message).toBe(`${node.split('/').pop()} exited with code 3: the last line`);
    expect({ timedOut: error.timedOut, kind: error.kind, retryable: error.retryable }).toEqual({ timedOut: false, kind: 'process', retryable: false });
  });

  it('kills a process that outlives its timeout', async () => {
    const started = Date.now();
    const error = await rejection(runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 200 }));
    expect(error.timedOut).toBe(true);
    expect(error.message).toBe(`${node.split('/').pop()} timed out`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills a process its watchdog calls stalled, and asks the watchdog until then', async () => {
    let asked = 0;
    const error = await rejection(runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { isStalled: () => ++asked >= 3, stallCheckMs: 20 }));
    expect({ stalled: error.stalled, timedOut: error.timedOut, signalName: error.signalName, asked }).toEqual({ stalled: true, timedOut: false, signalName: 'SIGKILL', asked: 3 });
    expect(error.message).toBe(`${node.split('/').pop()} made no progress`);
  });

  it('never asks a watchdog again once the process has ended', async () => {
    let asked = 0;
    await runProcess(node, ['-e', ''], { isStalled: () => (++asked, false), stallCheckMs: 5 });
    const after = asked;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toBe(after);
  });

  it('stops on an AbortSignal: kills the process and rejects with CancelledError, the reason kept as its cause', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 100);
    const error = await rejection(runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal }), CancelledError);
    expect(isCancelled(error)).toBe(true);
    expect(error.message).toBe(`${node.split('/').pop()} was cancelled`);
    expect({ kind: error.kind, reason: error.reason, cause: error.cause, retryable: error.retryable }).toEqual({ kind: 'cancelled', reason, cause: reason, retryable: false });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does not start when the signal is already aborted', async () => {
    const marker = join(tmpdir(), `sp-spawn-${process.pid}-${Date.now()}`);
    const error = await rejection(runProcess(node, ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`], { signal: AbortSignal.abort('SIGINT') }), CancelledError);
    expect({ message: error.message, reason: error.reason, started: existsSync(marker) }).toEqual({ message: `${node.split('/').pop()} was cancelled`, reason: 'SIGINT', started: false });
  });

  it('reports a binary that does not exist', async () => {
    const error = await rejection(runProcess('/nonexistent/ffprobe', []));
    expect(error.exitCode).toBeNull();
    expect(error.message).toBe('ffprobe could not be started: spawn /nonexistent/ffprobe ENOENT');
  });
});
