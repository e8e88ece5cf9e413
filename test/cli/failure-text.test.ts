import { describe, expect, it } from 'vitest';
import { failureText } from '../../src/cli/failure-text.js';
import { debugOn, unexpectedText } from '../../src/cli/unexpected-end.js';
import { JournalError } from '../../src/pipeline/journal-error.js';
import { BinaryNotFoundError } from '../../src/probe/binaries.js';
import { FileSystemError, fileSystemError } from '../../src/shared/file-system-error.js';
import { ProcessError } from '../../src/shared/spawn.js';
import { refusedConnection } from '../helpers/refused-connection.js';

describe('failureText', () => {
  it.each([
    [
      'a full disk: exit 2, one line and what to do',
      new FileSystemError({ code: 'ENOSPC', syscall: 'write', path: '/w/journal.json' }, { mount: '/w', freeBytes: 0, totalBytes: 1024 }),
      2,
      'seedance-preflight: no space left on the disk holding /w (writing /w/journal.json; file system /w: 0 B free of 1.0 KiB)\n  to do: free space on /w, or choose another --out/--work folder on a disk with room; then run again\n',
    ],
    ['a damaged journal: the job failed, exit 1', new JournalError('/w/journal.json', '/w/journal.json is damaged (it is empty): no task id can be read from it', 'move it aside'), 1, 'seedance-preflight: /w/journal.json is damaged (it is empty): no task id can be read from it\n  to do: move it aside\n'],
    ['a missing binary: exit 2, its message says the fix', new BinaryNotFoundError('ffmpeg', 'not found'), 2, "seedance-preflight: ffmpeg is not available: not found. Run 'npm ci' again, or set FFMPEG_PATH to an ffmpeg binary.\n"],
    [
      'a process error: exit 1, its first line only',
      new ProcessError({ command: '/bin/ffmpeg', args: [], exitCode: 1, signalName: null, stderrTail: 'line one\nline two', timedOut: false }),
      1,
      'seedance-preflight: ffmpeg exited with code 1: line two\n',
    ],
  ])('%s', (_name, error, exitCode, text) => {
    expect(failureText(error, false)).toEqual({ exitCode, text });
  });

  it('anything else is a bug: one line naming it, the stack only with SEEDANCE_DEBUG', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nmore");
    expect(failureText(bug, false)).toEqual({ exitCode: 1, text: "seedance-preflight: unexpected error: TypeError: Cannot read properties of undefined (reading 'x') (set SEEDANCE_DEBUG=1 for the stack)\n" });
    const debug = failureText(bug, true).text;
    expect(debug.startsWith("seedance-preflight: unexpected error: TypeError: Cannot read properties of undefined (reading 'x')\nTypeError: Cannot read properties")).toBe(true);
    expect(debug).toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it.each([
    ['a plain Error', new Error('boom'), 'seedance-preflight: unexpected error: boom (set SEEDANCE_DEBUG=1 for the stack)\n'],
    ['a thrown string', 'just text', 'seedance-preflight: unexpected error: just text (set SEEDANCE_DEBUG=1 for the stack)\n'],
    ['a stack overflow', new RangeError('Maximum call stack size exceeded'), 'seedance-preflight: unexpected error: RangeError: Maximum call stack size exceeded (set SEEDANCE_DEBUG=1 for the stack)\n'],
    ['a message of 600 characters', new Error('x'.repeat(600)), `seedance-preflight: unexpected error: ${'x'.repeat(500)}… (set SEEDANCE_DEBUG=1 for the stack)\n`],
  ])('unexpectedText: %s', (_name, error, text) => {
    expect(unexpectedText(error, false)).toBe(text);
  });

  it('a real refused connection reaching the command line (as main hands it over): a network sentence, exit 2, no file named', async () => {
    const error = await refusedConnection();
    const { port } = error as unknown as { port: number };
    expect(await fileSystemError(error)).toBeNull();
    expect(failureText((await fileSystemError(error)) ?? error, false)).toEqual({
      exitCode: 2,
      text: `seedance-preflight: a network connection failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})\n  to do: check that the server it names is running and reachable from here (network, proxy, firewall), then run again\n`,
    });
  });

  const TO_DO = '  to do: check that the server it names is running and reachable from here (network, proxy, firewall), then run again\n';
  it.each([
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:6379'), { code: 'ETIMEDOUT', syscall: 'connect' }), 'ETIMEDOUT: connect ETIMEDOUT 10.0.0.1:6379'],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }), 'ECONNRESET: read ECONNRESET'],
    ['ENOTFOUND', Object.assign(new Error('getaddrinfo ENOTFOUND redis.invalid'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' }), 'ENOTFOUND: getaddrinfo ENOTFOUND redis.invalid'],
    // undici (fetch) keeps the code in its cause; a URL's credentials are masked
    ['fetch failed, its cause ECONNREFUSED', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'],
    ['a URL with credentials in the message', Object.assign(new Error('connect ECONNREFUSED redis://u:REDIS-PW-9@127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED: connect ECONNREFUSED redis://***@127.0.0.1:1'],
  ])('network: %s', async (_name, error, said) => {
    expect(failureText((await fileSystemError(error)) ?? error, false)).toEqual({ exitCode: 2, text: `seedance-preflight: a network connection failed (${said})\n${TO_DO}` });
  });

  it('a file-system error still reads as one (a write on a handle, no path): exit 2, not a network sentence', async () => {
    const error = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', syscall: 'fsync' });
    expect(failureText((await fileSystemError(error)) ?? error, false)).toEqual({ exitCode: 2, text: 'seedance-preflight: input/output error writing a file: the disk or network file system failed\n  to do: check the disk (dmesg) and its connection, then run again\n' });
  });

  it.each([
    ['1', true],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('SEEDANCE_DEBUG=%s → %s', (value, on) => {
    expect(debugOn({ SEEDANCE_DEBUG: value })).toBe(on);
  });
});
