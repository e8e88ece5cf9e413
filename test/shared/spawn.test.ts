import { describe, expect, it } from 'vitest';
import { ProcessError, runProcess } from '../../src/shared/spawn.js';

const node = process.execPath;

async function rejection(promise: Promise<unknown>): Promise<ProcessError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProcessError) return error;
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
    expect({ timedOut: error.timedOut, cancelled: error.cancelled }).toEqual({ timedOut: false, cancelled: false });
  });

  it('kills a process that outlives its timeout', async () => {
    const started = Date.now();
    const error = await rejection(runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 200 }));
    expect(error.timedOut).toBe(true);
    expect(error.message).toBe(`${node.split('/').pop()} timed out`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops on an AbortSignal and says it was cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(runProcess(node, ['-e', 'setTimeout(() => {}, 60000)'], { signal: controller.signal }));
    expect(error.cancelled).toBe(true);
    expect(error.message).toBe(`${node.split('/').pop()} was cancelled`);
  });

  it('does not start when the signal is already aborted', async () => {
    const error = await rejection(runProcess(node, ['-e', ''], { signal: AbortSignal.abort() }));
    expect({ cancelled: error.cancelled, exitCode: error.exitCode }).toEqual({ cancelled: true, exitCode: null });
  });

  it('reports a binary that does not exist', async () => {
    const error = await rejection(runProcess('/nonexistent/ffprobe', []));
    expect(error.exitCode).toBeNull();
    expect(error.message).toBe('ffprobe could not be started: spawn /nonexistent/ffprobe ENOENT');
  });
});
