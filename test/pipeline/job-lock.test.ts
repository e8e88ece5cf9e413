import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDER_FILE, LOCK_DIR, lockJob, readBusy, sameLockState, type LockState } from '../../src/pipeline/job-lock.js';
import { tempDir } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/cli-process.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-job-lock-')));
afterAll(() => cleanup());

const pidNamespace = () => readlink('/proc/self/ns/pid').catch(() => null);

/** Every entry under `root` with its size and mtime: what "touched nothing" is measured against. */
async function snapshot(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return Promise.all(entries.sort().map(async (e) => {
    const s = await stat(join(root, e));
    return `${e} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`;
  }));
}

describe('lockJob', () => {
  it('takes a free lock, records its holder beside it, and says who holds it to a second taker without writing anything', async () => {
    const work = join(dir, 'a', '.seedance-preflight');
    const first = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.lock.holder).toEqual({ host: hostname(), pid: process.pid, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), command: 'seedance-preflight run', pidNamespace: await pidNamespace() });
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(first.lock.holder);
    expect((await stat(join(work, LOCK_DIR))).isDirectory()).toBe(true);
    await writeFile(join(work, 'journal.json'), '{"version":2}\n');

    const before = await snapshot(work);
    const second = await lockJob(work, { command: 'seedance-preflight batch', staleMs: 30_000 });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.busy).toEqual({ lock: join(work, LOCK_DIR), holder: first.lock.holder, heartbeatAgeMs: expect.any(Number), staleAfterMs: 30_000 });
    expect(second.busy.heartbeatAgeMs).toBeLessThan(30_000);
    expect(await snapshot(work)).toEqual(before);
    expect(await first.lock.verify()).toBe(true);

    await first.lock.release();
    expect((await readdir(work)).sort()).toEqual(['journal.json']);
    expect(first.lock.lost.aborted).toBe(false);
    const third = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(third.ok).toBe(true);
    if (third.ok) await third.lock.release();
  });

  it('verify(), right before a create, finds a lock taken over under it at once, before any heartbeat', async () => {
    const work = join(dir, 'f', '.seedance-preflight');
    const held = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    // another process judged it stale at the same moment and made its own (the library's takeover race)
    await rm(join(work, LOCK_DIR), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const thief = await lockJob(work, { command: 'seedance-preflight batch', staleMs: 30_000 });
    expect(thief.ok).toBe(true);
    expect(held.lock.lost.aborted).toBe(false);
    expect(await held.lock.verify()).toBe(false);
    expect(String(held.lock.lost.reason)).toBe("the job's lock was taken over by another process: it runs the job now");
    if (thief.ok) await thief.lock.release();
  });

  it('takes over a lock whose heartbeat is older than the staleness (its holder died), replacing the dead holder\'s record', async () => {
    const work = join(dir, 'b', '.seedance-preflight');
    await mkdir(join(work, LOCK_DIR), { recursive: true });
    const dead = { host: hostname(), pid: 999_999, startedAt: '2020-01-01T00:00:00.000Z', command: 'seedance-preflight run' };
    await writeFile(join(work, HOLDER_FILE), JSON.stringify(dead));
    const old = new Date(Date.now() - 5000);
    await utimes(join(work, LOCK_DIR), old, old);

    const fresh = await lockJob(work, { command: 'seedance-preflight run', staleMs: 10_000 });
    expect(fresh.ok).toBe(false);
    if (!fresh.ok) expect(fresh.busy.heartbeatAgeMs).toBeGreaterThanOrEqual(4900);

    const taken = await lockJob(work, { command: 'seedance-preflight worker', staleMs: 3000 });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(taken.lock.holder);
    expect(taken.lock.holder.pid).toBe(process.pid);
    await taken.lock.release();
  });

  it('takes over at once the lock of a holder that died on this host (same PID namespace, pid gone); a live one stays busy', async () => {
    const work = join(dir, 'e', '.seedance-preflight');
    await mkdir(join(work, LOCK_DIR), { recursive: true });
    const record = { host: hostname(), pid: 999_999, startedAt: new Date().toISOString(), command: 'seedance-preflight run', pidNamespace: await pidNamespace() };
    // the parent of this test process runs: its lock is busy, however stale-looking the rest
    await writeFile(join(work, HOLDER_FILE), JSON.stringify({ ...record, pid: process.ppid }));
    const live = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(live.ok).toBe(false);
    if (!live.ok) expect(live.busy.holder?.pid).toBe(process.ppid);

    await writeFile(join(work, HOLDER_FILE), JSON.stringify(record));
    const taken = await lockJob(work, { command: 'seedance-preflight batch', staleMs: 30_000 });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(taken.lock.holder);
    // a fresh heartbeat, not the epoch the dead lock was set to
    expect(Date.now() - (await stat(join(work, LOCK_DIR))).mtimeMs).toBeLessThan(10_000);
    await taken.lock.release();
  });

  it('does not name a dead holder whose record is older than the lock folder', async () => {
    const work = join(dir, 'c', '.seedance-preflight');
    await mkdir(join(work, LOCK_DIR), { recursive: true });
    await writeFile(join(work, HOLDER_FILE), JSON.stringify({ host: 'gone', pid: 1, startedAt: '2020-01-01T00:00:00.000Z', command: 'seedance-preflight run' }));
    const busy = await readBusy(work, 30_000);
    // a file system without birth times shows the old record; one with them (ext4, tmpfs, xfs) shows none
    const birth = (await stat(join(work, LOCK_DIR))).birthtimeMs;
    expect(busy?.holder).toEqual(birth > 0 ? null : { host: 'gone', pid: 1, startedAt: '2020-01-01T00:00:00.000Z', command: 'seedance-preflight run' });
    await rm(join(work, LOCK_DIR), { recursive: true });
    expect(await readBusy(work, 30_000)).toBeNull();
  });

  it('fires `lost` when its lock folder is removed under it, and then leaves the folder and record to whoever holds them', async () => {
    const work = join(dir, 'd', '.seedance-preflight');
    const held = await lockJob(work, { command: 'seedance-preflight run', staleMs: 2000 });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    await rm(join(work, LOCK_DIR), { recursive: true });
    // a new folder in the same millisecond would carry the mtime the heartbeat expects, and pass for the old one
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = await lockJob(work, { command: 'seedance-preflight batch', staleMs: 2000 });
    expect(next.ok).toBe(true);
    if (!next.ok) return;
    // the first holder's heartbeat (every second) finds the folder is not its own any more
    await waitFor(() => held.lock.lost.aborted, 'the lost signal', { timeoutMs: 10_000 });
    expect(String(held.lock.lost.reason)).toMatch(/^the job's lock was lost \(.+\): another process may run it now$/);
    expect(await held.lock.verify()).toBe(false);
    await held.lock.release();
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(next.lock.holder);
    expect((await stat(join(work, LOCK_DIR))).isDirectory()).toBe(true);
    await next.lock.release();
  });

  it('a link planted at the holder record (to a file outside the job) is replaced, never written through, and never read as the holder', async () => {
    const work = join(dir, 'g', '.seedance-preflight');
    await mkdir(work, { recursive: true });
    const outside = join(dir, 'g-bashrc');
    const foreign = { host: hostname(), pid: process.ppid, startedAt: new Date().toISOString(), command: 'seedance-preflight run' };
    await writeFile(outside, JSON.stringify(foreign));
    await symlink(outside, join(work, HOLDER_FILE));
    // a held lock with the link as its record: the link is not read through (it would name the live parent process)
    await mkdir(join(work, LOCK_DIR));
    expect((await readBusy(work, 30_000))?.holder).toBeNull();
    await rm(join(work, LOCK_DIR), { recursive: true });

    const taken = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(await readFile(outside, 'utf8')).toBe(JSON.stringify(foreign));
    expect((await lstat(join(work, HOLDER_FILE))).isFile()).toBe(true);
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(taken.lock.holder);
    expect(await taken.lock.verify()).toBe(true);
    await taken.lock.release();
    expect(await readFile(outside, 'utf8')).toBe(JSON.stringify(foreign));
  });

  it('a FIFO planted at the holder record blocks neither a reader nor a taker; an oversized record reads as not recorded', async () => {
    const work = join(dir, 'h', '.seedance-preflight');
    await mkdir(join(work, LOCK_DIR), { recursive: true });
    execFileSync('mkfifo', [join(work, HOLDER_FILE)]);
    const busy = await readBusy(work, 30_000);
    expect(busy?.holder).toBeNull();
    // a record of 64 KiB and more (padded with spaces, still valid JSON) is no record the tool wrote
    const record = { host: 'elsewhere', pid: 42, startedAt: new Date().toISOString(), command: 'seedance-preflight run' };
    await rm(join(work, HOLDER_FILE));
    await writeFile(join(work, HOLDER_FILE), JSON.stringify(record) + ' '.repeat(64 * 1024));
    expect((await readBusy(work, 30_000))?.holder).toBeNull();
    await writeFile(join(work, HOLDER_FILE), JSON.stringify(record));
    expect((await readBusy(work, 30_000))?.holder).toEqual(record);
    await rm(join(work, LOCK_DIR), { recursive: true });
    await rm(join(work, HOLDER_FILE));

    execFileSync('mkfifo', [join(work, HOLDER_FILE)]);
    const taken = await lockJob(work, { command: 'seedance-preflight run', staleMs: 30_000 });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect((await lstat(join(work, HOLDER_FILE))).isFile()).toBe(true);
    expect(JSON.parse(await readFile(join(work, HOLDER_FILE), 'utf8'))).toEqual(taken.lock.holder);
    await taken.lock.release();
    expect(await readdir(work)).toEqual([]);
  });

  it('does not make a lock stale when another process took it over between its look and its second look', async () => {
    // a dead holder's folder left on disk, as a look before the takeover saw it
    const work = join(dir, 'i', '.seedance-preflight');
    await mkdir(join(work, LOCK_DIR), { recursive: true });
    const record = { host: hostname(), pid: 999_999, startedAt: new Date().toISOString(), command: 'seedance-preflight run', pidNamespace: await pidNamespace() };
    await writeFile(join(work, HOLDER_FILE), JSON.stringify(record));
    const first = await stat(join(work, LOCK_DIR));
    const seen: LockState = { ino: first.ino, birthtimeMs: first.birthtimeMs, mtimeMs: first.mtimeMs, holder: record };
    // another process took it over meanwhile: the same name, a new folder and a new record
    await rm(join(work, LOCK_DIR), { recursive: true });
    const taken = await lockJob(work, { command: 'seedance-preflight batch', staleMs: 30_000 });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    const now = await stat(join(work, LOCK_DIR));
    const again: LockState = { ino: now.ino, birthtimeMs: now.birthtimeMs, mtimeMs: now.mtimeMs, holder: taken.lock.holder };
    expect(sameLockState(seen, again)).toBe(false);
    expect(sameLockState(seen, { ...seen })).toBe(true);
    await taken.lock.release();
  });

  it.each([
    ['the heartbeat moved', { mtimeMs: 2000 }],
    ['another folder (a new inode)', { ino: 8 }],
    ['another folder (a new birth time)', { birthtimeMs: 1500 }],
    ['another record', { holder: { host: 'h', pid: 2, startedAt: '2025-01-01T00:00:01.000Z', command: 'seedance-preflight run' } }],
    ['the record not written yet', { holder: null }],
  ])('sameLockState: %s is not the same lock', (_what, change) => {
    const seen: LockState = { ino: 7, birthtimeMs: 1000, mtimeMs: 1000, holder: { host: 'h', pid: 1, startedAt: '2025-01-01T00:00:00.000Z', command: 'seedance-preflight run' } };
    expect(sameLockState(seen, { ...seen, ...change })).toBe(false);
    expect(sameLockState(seen, structuredClone(seen))).toBe(true);
  });
});
