import { execFileSync, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pidNamespace, processAlive } from '../../src/shared/process-alive.js';

/** A pid that was alive a moment ago and is not any more: a real process, ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('processAlive', () => {
  it('is true for this process, a live child and pid 1; false for a child that has ended', async () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(1)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      expect(processAlive(child.pid!)).toBe(true);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    expect(processAlive(child.pid!)).toBe(false);
    expect(processAlive(await deadPid())).toBe(false);
  });
});

describe('pidNamespace', () => {
  it('is the link /proc/self/ns/pid names ("pid:[n]"), the same in a child of this namespace', () => {
    const own = readlinkSync('/proc/self/ns/pid');
    expect(own).toMatch(/^pid:\[\d+\]$/);
    expect(pidNamespace()).toBe(own);
    expect(pidNamespace()).toBe(own);
    const childs = execFileSync(process.execPath, ['-e', "process.stdout.write(require('node:fs').readlinkSync('/proc/self/ns/pid'))"], { encoding: 'utf8' });
    expect(childs).toBe(own);
  });
});
