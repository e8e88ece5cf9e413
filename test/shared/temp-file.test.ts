import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DERIVED_SUFFIX_BYTES,
  HOST_TAG,
  hostTag,
  isLegacyTemporaryName,
  isStaleTemporary,
  isTemporaryName,
  NAME_LIMIT_BYTES,
  parseTemporaryName,
  shouldSweep,
  STALE_TEMPORARY_MS,
  sweepTemporaries,
  temporaryName,
  temporaryPath,
  temporaryPathFor,
  truncateUtf8,
} from '../../src/shared/temp-file.js';
import { processAlive } from '../../src/shared/process-alive.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-temp-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const me = `spf-${HOST_TAG}-${process.pid}`;
const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;

/** A pid that was alive a moment ago and is not any more: a real process, ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the temporary-file scheme', () => {
  it('names a hidden temporary beside its final path: stem, the marker with host and pid, extension last', () => {
    expect(HOST_TAG).toMatch(/^[0-9a-f]{8}$/);
    expect(temporaryPathFor('/out/clip.mp4')).toMatch(new RegExp(`^/out/\\.clip\\.${me}-[0-9a-f]{8}\\.partial\\.mp4$`));
    expect(temporaryPathFor('/work/journal.json')).toMatch(new RegExp(`^/work/\\.journal\\.${me}-[0-9a-f]{8}\\.partial\\.json$`));
    expect(temporaryPathFor('/work/README')).toMatch(new RegExp(`^/work/\\.README\\.${me}-[0-9a-f]{8}\\.partial$`));
    expect(temporaryPath('/out', 'photo', 'jpg')).toMatch(new RegExp(`^/out/\\.photo\\.${me}-[0-9a-f]{8}\\.partial\\.jpg$`));
    expect(temporaryPathFor('/out/clip.mp4')).not.toBe(temporaryPathFor('/out/clip.mp4'));
  });

  it('the host tag is 8 hex digits of the sha256 of the host name and PID namespace (the name alone where there is none)', () => {
    expect(hostTag('render-01')).toBe('9525eac0');
    expect(hostTag('render-02')).not.toBe(hostTag('render-01'));
    expect(hostTag('render-01', 'pid:[4026531836]')).toBe('3fb10991');
    // two containers sharing a host name (host networking), each with its own pids
    expect(hostTag('render-01', 'pid:[4026532245]')).toBe('c6248be8');
    expect(HOST_TAG).toBe(hostTag(hostname(), readlinkSync('/proc/self/ns/pid')));
  });

  it.each([
    ['.clip.spf-1a2b3c4d-4242-0f1e2d3c.partial.mp4', { stem: 'clip', host: '1a2b3c4d', pid: 4242, rest: 'mp4' }],
    ['.journal.v2.spf-1a2b3c4d-1-0f1e2d3c.partial.json', { stem: 'journal.v2', host: '1a2b3c4d', pid: 1, rest: 'json' }],
    ['.README.spf-1a2b3c4d-77-0f1e2d3c.partial', { stem: 'README', host: '1a2b3c4d', pid: 77, rest: '' }],
    ['.photo.spf-1a2b3c4d-77-0f1e2d3c.partial.jpg.decoded.png', { stem: 'photo', host: '1a2b3c4d', pid: 77, rest: 'jpg.decoded.png' }],
    ['..spf-1a2b3c4d-77-0f1e2d3c.partial', { stem: '', host: '1a2b3c4d', pid: 77, rest: '' }],
    ['.clip.0123abcd.partial.mp4', null],
    ['.clip.spf-1a2b3c4d-0-0f1e2d3c.partial.mp4', null],
    ['.clip.spf-1A2B3C4D-42-0f1e2d3c.partial.mp4', null],
    ['clip.spf-1a2b3c4d-42-0f1e2d3c.partial.mp4', null],
    ['.clip.spf-1a2b3c4d-42-0f1e2d3c.mp4', null],
    ['clip.mp4', null],
  ])('%s parses as %o', (name, expected) => {
    expect(parseTemporaryName(name)).toEqual(expected);
    expect(isTemporaryName(name)).toBe(expected !== null);
  });

  it.each([
    ['.clip.0123abcd.partial.mp4', true],
    ['.backup.20240101.partial', true],
    ['.photo.1a2b3c4d.partial.jpg.decoded.png', true],
    ['.clip.spf-1a2b3c4d-4242-0f1e2d3c.partial.mp4', false],
    ['.keep.partial.mp4', false],
  ])('%s is an old-scheme name: %s', (name, expected) => {
    expect(isLegacyTemporaryName(name)).toBe(expected);
  });

  it('a 250-byte name gets a temporary within the limit: the stem shortened, the marker and the extension whole', () => {
    const stem = 'é'.repeat(123);
    const name = temporaryName(`${stem}x`, 'webm', { host: '1a2b3c4d', pid: 4194304 }, '0f1e2d3c');
    expect(Buffer.byteLength(`${stem}x.webm`)).toBe(252);
    // 2-byte characters: one byte short of the room is as close as a cut between code points gets
    expect(Buffer.byteLength(name)).toBe(NAME_LIMIT_BYTES - DERIVED_SUFFIX_BYTES - 1);
    expect(name.endsWith('.spf-1a2b3c4d-4194304-0f1e2d3c.partial.webm')).toBe(true);
    expect(parseTemporaryName(name)).toEqual({ stem: 'é'.repeat(97), host: '1a2b3c4d', pid: 4194304, rest: 'webm' });
  });

  it('an "extension" no format has (longer than 16 bytes) stays in the stem, so it cannot push the name over the limit', () => {
    const name = temporaryName('notes', 'x'.repeat(300), { host: '1a2b3c4d', pid: 9 }, '0f1e2d3c');
    expect(name).toBe(`.notes.${'x'.repeat(200)}.spf-1a2b3c4d-9-0f1e2d3c.partial`);
    expect(Buffer.byteLength(name)).toBe(NAME_LIMIT_BYTES - DERIVED_SUFFIX_BYTES);
  });

  it('truncates UTF-8 between code points', () => {
    expect(truncateUtf8('aé😀b', 10)).toBe('aé😀b');
    expect(truncateUtf8('aé😀b', 6)).toBe('aé');
    expect(truncateUtf8('aé😀b', 7)).toBe('aé😀');
    expect(truncateUtf8('😀', 3)).toBe('');
  });

  it('property: any stem and extension → a name within the limit (room left for a derived suffix) that parses back to its writer', () => {
    const hex8 = fc.stringMatching(/^[0-9a-f]{8}$/);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 40 }).filter((e) => !/[/\0]/.test(e)), hex8, fc.integer({ min: 1, max: 4194304 }), hex8, (stem, ext, host, pid, random) => {
        const name = temporaryName(stem, ext, { host, pid }, random);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(NAME_LIMIT_BYTES - DERIVED_SUFFIX_BYTES);
        expect(name).not.toMatch(/[/\0]/);
        expect(isTemporaryName(name)).toBe(true);
        expect(isTemporaryName(`${name}.decoded.png`)).toBe(true);
        const parsed = parseTemporaryName(name)!;
        expect({ host: parsed.host, pid: parsed.pid }).toEqual({ host, pid });
        if (ext && Buffer.byteLength(ext) <= 16) expect(name.endsWith(`.partial.${ext}`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [0, 1000, 1000, true],
    [0, 999, 1000, false],
    [5000, 5000, 0, true],
  ])('written at %i, now %i, older than %i ms: stale %s', (mtime, now, olderThan, stale) => {
    expect(isStaleTemporary(mtime, now, olderThan)).toBe(stale);
  });
});

describe('what the sweep removes (pure)', () => {
  const policy = { host: 'aaaaaaaa', now: 10_000_000, olderThanMs: STALE_TEMPORARY_MS, legacy: false, alive: (pid: number) => pid === 100 };
  const fresh = policy.now - 1000;
  const stale = policy.now - STALE_TEMPORARY_MS;
  it.each([
    ['this host, writer gone', '.a.spf-aaaaaaaa-200-0f1e2d3c.partial.mp4', true, fresh, {}, true],
    ['this host, writer alive, however old', '.a.spf-aaaaaaaa-100-0f1e2d3c.partial.mp4', true, 0, {}, false],
    ['this host, writer gone, but a folder', '.a.spf-aaaaaaaa-200-0f1e2d3c.partial', false, fresh, {}, false],
    ['another host, fresh', '.a.spf-bbbbbbbb-200-0f1e2d3c.partial.mp4', true, fresh, {}, false],
    ['another host, stale', '.a.spf-bbbbbbbb-200-0f1e2d3c.partial.mp4', true, stale, {}, true],
    ['another host, stale, a symlink', '.a.spf-bbbbbbbb-200-0f1e2d3c.partial.mp4', false, stale, {}, false],
    ['old scheme, stale file, not asked for', '.x.0123abcd.partial', true, stale, {}, false],
    ['old scheme, stale file, in a folder of the tool', '.x.0123abcd.partial', true, stale, { legacy: true }, true],
    ['old scheme, fresh file, in a folder of the tool', '.x.0123abcd.partial', true, fresh, { legacy: true }, false],
    ['old scheme, stale folder, in a folder of the tool', '.x.0123abcd.partial', false, stale, { legacy: true }, false],
    ['no scheme', 'clip.mp4', true, 0, { legacy: true }, false],
  ])('%s: %s → %s', (_what, name, regularFile, mtimeMs, extra, expected) => {
    expect(shouldSweep({ name, regularFile, mtimeMs }, { ...policy, ...extra })).toBe(expected);
  });

  it('property: a name without the marker is never swept unless old-scheme sweeping is asked for; a non-regular file never', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.nat(), fc.boolean(), (name, regularFile, mtimeMs, legacy) => {
        const swept = shouldSweep({ name, regularFile, mtimeMs }, { ...policy, legacy, alive: () => false });
        if (!regularFile) expect(swept).toBe(false);
        if (swept && !isTemporaryName(name)) expect(legacy && isLegacyTemporaryName(name)).toBe(true);
      }),
    );
  });
});

describe('sweepTemporaries on a real folder', () => {
  it('removes the temporary of a dead writer of this host, keeps a live writer\'s (this process), and a user\'s ".x.0123abcd.partial" folder and file', async () => {
    const folder = join(dir, 'sweep');
    await mkdir(folder);
    const dead = await deadPid();
    expect(processAlive(dead)).toBe(false);
    expect(processAlive(process.pid)).toBe(true);
    const deadName = `.killed.spf-${HOST_TAG}-${dead}-0123abcd.partial.mp4`;
    const liveName = `.running.spf-${HOST_TAG}-${process.pid}-89abcdef.partial.mp4`;
    await writeFile(join(folder, deadName), 'half an encode');
    await writeFile(join(folder, liveName), 'still encoding');
    // a user's backup folder, with a file inside, and a user's file, both named like the old scheme and old
    await mkdir(join(folder, '.x.0123abcd.partial'));
    await writeFile(join(folder, '.x.0123abcd.partial', 'precious.txt'), 'mine');
    await writeFile(join(folder, '.y.0123abcd.partial'), 'mine too');
    // a folder named with the new scheme and a dead pid: never removed, never emptied
    await mkdir(join(folder, `.dir.spf-${HOST_TAG}-${dead}-0123abcd.partial`));
    await writeFile(join(folder, `.dir.spf-${HOST_TAG}-${dead}-0123abcd.partial`, 'inside.txt'), 'mine');
    // a symlink named like a dead writer's temporary, to a user's file: the link stays, and so does the file
    await writeFile(join(folder, 'target.txt'), 'mine');
    await symlink(join(folder, 'target.txt'), join(folder, `.link.spf-${HOST_TAG}-${dead}-0123abcd.partial`));
    for (const name of ['.x.0123abcd.partial', '.y.0123abcd.partial', liveName]) await utimes(join(folder, name), old, old);

    expect(await sweepTemporaries(folder)).toEqual([deadName]);
    expect(await sweepTemporaries(folder, { olderThanMs: 0 })).toEqual([]);
    expect((await readdir(folder)).sort()).toEqual(
      [`.dir.spf-${HOST_TAG}-${dead}-0123abcd.partial`, `.link.spf-${HOST_TAG}-${dead}-0123abcd.partial`, liveName, '.x.0123abcd.partial', '.y.0123abcd.partial', 'target.txt'].sort(),
    );
    expect(await readdir(join(folder, '.x.0123abcd.partial'))).toEqual(['precious.txt']);
    expect(await readdir(join(folder, `.dir.spf-${HOST_TAG}-${dead}-0123abcd.partial`))).toEqual(['inside.txt']);
  });

  it('keeps the temporary of another live process of this host, and sweeps it once that process has ended', async () => {
    const folder = join(dir, 'live-child');
    await mkdir(folder);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const name = `.encoding.spf-${HOST_TAG}-${child.pid}-0123abcd.partial.mp4`;
    await writeFile(join(folder, name), 'being written');
    await utimes(join(folder, name), old, old);
    try {
      expect(processAlive(child.pid!)).toBe(true);
      expect(await sweepTemporaries(folder, { olderThanMs: 0 })).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    expect(await sweepTemporaries(folder)).toEqual([name]);
    expect(await readdir(folder)).toEqual([]);
  });

  it('the temporary of a dead pid under this host name but another PID namespace (another container) is another host\'s: kept while fresh', async () => {
    const folder = join(dir, 'other-namespace');
    await mkdir(folder);
    const dead = await deadPid();
    const otherContainer = hostTag(hostname(), 'pid:[1]');
    expect(otherContainer).not.toBe(HOST_TAG);
    const fresh = `.encoding.spf-${otherContainer}-${dead}-0123abcd.partial.mp4`;
    const stale = `.left.spf-${otherContainer}-${dead}-89abcdef.partial.mp4`;
    await writeFile(join(folder, fresh), 'being written in another container');
    await writeFile(join(folder, stale), 'left by a killed writer');
    await utimes(join(folder, stale), old, old);
    expect(await sweepTemporaries(folder)).toEqual([stale]);
    expect(await readdir(folder)).toEqual([fresh]);
  });

  it('another host\'s temporary goes only once untouched for the stated age; old-scheme files only where asked, and only when old', async () => {
    const folder = join(dir, 'other-host');
    await mkdir(folder);
    const otherHost = HOST_TAG === '00000000' ? '11111111' : '00000000';
    for (const name of [`.stale.spf-${otherHost}-1-0123abcd.partial.mp4`, `.fresh.spf-${otherHost}-1-89abcdef.partial.mp4`, '.killed.0123abcd.partial.mp4', '.recent.89abcdef.partial.mp4', 'keep.mp4']) await writeFile(join(folder, name), 'x');
    for (const name of [`.stale.spf-${otherHost}-1-0123abcd.partial.mp4`, '.killed.0123abcd.partial.mp4', 'keep.mp4']) await utimes(join(folder, name), old, old);
    expect(await sweepTemporaries(folder)).toEqual([`.stale.spf-${otherHost}-1-0123abcd.partial.mp4`]);
    expect(await sweepTemporaries(folder, { legacy: true })).toEqual(['.killed.0123abcd.partial.mp4']);
    expect((await readdir(folder)).sort()).toEqual([`.fresh.spf-${otherHost}-1-89abcdef.partial.mp4`, '.recent.89abcdef.partial.mp4', 'keep.mp4']);
    expect(await sweepTemporaries(join(dir, 'no-such-folder'))).toEqual([]);
  });
});
