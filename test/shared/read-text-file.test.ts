import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreflightError } from '../../src/shared/errors.js';
import { formatBytes, InputFileError, readTextFile } from '../../src/shared/read-text-file.js';
import { tempDir } from '../helpers/fixtures.js';

let dir: string;
let job: string;
let outside: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-read-text-'));
  job = join(dir, 'job');
  outside = join(dir, 'outside');
  await mkdir(job);
  await mkdir(outside);
  await writeFile(join(job, 'prompt.txt'), 'a cat on a wall\n');
  await writeFile(join(outside, 'secret.txt'), 'CANARY-SECRET\n');
  await symlink(join(outside, 'secret.txt'), join(job, 'linked-out.txt'));
  await symlink('prompt.txt', join(job, 'linked-in.txt'));
  await symlink('/proc/self/environ', join(job, 'environ.txt'));
  await symlink('/dev/zero', join(job, 'zero.txt'));
  execFileSync('mkfifo', [join(job, 'fifo.txt')]);
  await mkdir(join(job, 'folder.txt'));
  await writeFile(join(job, 'big.txt'), 'x'.repeat(1025));
  await writeFile(join(job, 'exact.txt'), 'y'.repeat(1024));
  await symlink('loop-b.txt', join(job, 'loop-a.txt'));
  await symlink('loop-a.txt', join(job, 'loop-b.txt'));
});
afterAll(() => cleanup());

const read = (name: string, options: { jobDir?: string | null; maxBytes?: number } = {}) =>
  readTextFile(join(job, name), { what: 'prompt file', maxBytes: options.maxBytes ?? 1024, ...(options.jobDir !== null && { jobDir: options.jobDir ?? job }) });

async function refusal(promise: Promise<unknown>): Promise<InputFileError> {
  const error = await promise.then(
    () => {
      throw new Error('read, but should have been refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputFileError);
  return error as InputFileError;
}

describe('readTextFile: regular files inside the job, within the bound', () => {
  it('reads a regular file, and a link to one inside the job', async () => {
    expect(await read('prompt.txt')).toBe('a cat on a wall\n');
    expect(await read('linked-in.txt')).toBe('a cat on a wall\n');
  });

  it('reads exactly the bound, refuses one byte more, stating the bound', async () => {
    expect(await read('exact.txt')).toBe('y'.repeat(1024));
    const error = await refusal(read('big.txt'));
    expect(error.problem).toBe('too-large');
    expect(error.message).toBe(`prompt file ${join(job, 'big.txt')} is 1,025 bytes, over the 1 KiB a prompt file may hold; shorten it`);
  });

  it.each([
    ['environ.txt', () => `/proc/${process.pid}/environ`],
    ['zero.txt', () => '/dev/zero'],
  ])('%s is a kernel pseudo-file: refused before it is opened, even where files outside the job are allowed', async (name, resolved) => {
    const error = await refusal(read(name, { jobDir: null }));
    expect(error.problem).toBe('not-regular');
    expect(error.message).toBe(`prompt file ${join(job, name)} resolves to ${resolved()}, a kernel file (/proc, /sys, /dev), not a text file; give a regular file you wrote`);
    expect(error.message).not.toContain('CANARY');
  });

  it.each([
    ['linked-out.txt', () => join(outside, 'secret.txt')],
    ['environ.txt', () => `/proc/${process.pid}/environ`],
    ['zero.txt', () => '/dev/zero'],
  ])('%s resolves outside the job: refused before it is opened', async (name, resolved) => {
    const error = await refusal(read(name));
    expect(error).toBeInstanceOf(PreflightError);
    expect(error.kind).toBe('input-file');
    expect(error.problem).toBe('outside');
    expect(error.message).toBe(`prompt file ${join(job, name)} resolves to ${resolved()}, outside the job's folder ${job}; a job reads files only from inside its own folder: move the file into it`);
    expect(error.message).not.toContain('CANARY');
  });

  it.each([
    ['fifo.txt', 'a named pipe (FIFO)', job],
    ['folder.txt', 'a directory', job],
  ] as const)('%s is %s: refused without blocking or reading', async (name, type, jobDir) => {
    const error = await refusal(read(name, { jobDir }));
    expect(error.problem).toBe('not-regular');
    expect(error.message).toBe(`prompt file ${join(job, name)} is ${type}, not a regular file; text inputs are read only from regular files: replace it with one`);
    expect(error.detail).toBe(`it is ${type}, not a regular file`);
  });

  it('a missing file, and a loop of links', async () => {
    const missing = await refusal(read('nope.txt'));
    expect([missing.problem, missing.message]).toEqual(['missing', `prompt file ${join(job, 'nope.txt')} does not exist`]);
    const loop = await refusal(read('loop-a.txt'));
    expect([loop.problem, loop.message]).toEqual(['unreadable', `prompt file ${join(job, 'loop-a.txt')} is a loop of symbolic links; replace it with a regular file`]);
  });

  it('a file the user may not read', async () => {
    if (process.getuid?.() === 0) return console.log('skipped: running as root, every file is readable');
    const locked = join(job, 'locked.txt');
    await writeFile(locked, 'x', { mode: 0o000 });
    const error = await refusal(read('locked.txt'));
    expect([error.problem, error.message]).toEqual(['unreadable', `prompt file ${locked} cannot be read (EACCES)`]);
  });
});

describe('formatBytes', () => {
  it.each([
    [1024 * 1024 * 4, '4 MiB'],
    [256 * 1024, '256 KiB'],
    [1000, '1,000 bytes'],
    [1536, '1,536 bytes'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
