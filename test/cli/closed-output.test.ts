import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT_OUTPUT_CLOSED, guardOutput, isClosedOutput, OUTPUT_CLOSED_EVENT } from '../../src/cli/closed-output.js';
import type { CliIo } from '../../src/cli/io.js';
import { interruptedExitCode, interruptOnSignals } from '../../src/cli/signals.js';

/** A stream that fails every write with `code`, as a pipe whose reader has gone does. */
function failing(code: string): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error(`write ${code}`), { code }));
    },
  });
}

describe('isClosedOutput', () => {
  it.each([
    ['EPIPE', true],
    ['ECONNRESET', true],
    ['ERR_STREAM_DESTROYED', true],
    ['ERR_STREAM_WRITE_AFTER_END', true],
    ['ENOSPC', false],
    [undefined, false],
  ])('%s → %s', (code, closed) => {
    expect(isClosedOutput(code === undefined ? new Error('x') : Object.assign(new Error('x'), { code }))).toBe(closed);
  });
});

describe('guardOutput', () => {
  it('a closed stdout: onClosed once, later stdout writes dropped, stderr still written', async () => {
    const stdout = failing('EPIPE');
    const written: string[] = [];
    const io: CliIo = { stdout: (text) => void stdout.write(text), stderr: (text) => void written.push(text), env: {}, cwd: '/', stderrIsTTY: false };
    let calls = 0;
    const guarded = guardOutput(io, { stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }) }, () => calls++);
    guarded.io.stdout('first\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect([calls, guarded.closed()]).toEqual([1, true]);
    guarded.io.stdout('second\n');
    guarded.io.stderr('still here\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect([calls, written]).toEqual([1, ['still here\n']]);
  });

  it('a write that throws a closed-pipe error synchronously counts as closed; any other throw is not swallowed', () => {
    const io: CliIo = {
      stdout: () => {
        throw Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' });
      },
      stderr: () => {
        throw new TypeError('a bug');
      },
      env: {},
      cwd: '/',
      stderrIsTTY: false,
    };
    let calls = 0;
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    const guarded = guardOutput(io, { stdout: quiet, stderr: quiet }, () => calls++);
    guarded.io.stdout('x');
    expect([calls, guarded.closed()]).toEqual([1, true]);
    expect(() => guarded.io.stderr('y')).toThrow('a bug');
  });
});

describe('interruptOnSignals and a closed output', () => {
  it('the output-closed event aborts with SIGPIPE, whose exit code is 141; disposed, it no longer listens', () => {
    const interrupt = interruptOnSignals();
    expect(process.listenerCount(OUTPUT_CLOSED_EVENT)).toBe(1);
    (process as NodeJS.EventEmitter).emit(OUTPUT_CLOSED_EVENT);
    expect([interrupt.signal.aborted, interrupt.signal.reason, interruptedExitCode(interrupt.signal)]).toEqual([true, 'SIGPIPE', EXIT_OUTPUT_CLOSED]);
    interrupt.dispose();
    expect(process.listenerCount(OUTPUT_CLOSED_EVENT)).toBe(0);
  });
});
