import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxDirFrom } from '../../src/sandbox/sandbox-dir.js';
import { readKey, sandboxKey } from '../../src/sandbox/sandbox-key.js';
import { isSandboxApiBase } from '../../src/sandbox/sandbox-marker.js';
import { readPorts } from '../../src/sandbox/sandbox-ports.js';
import { loadTasks } from '../../src/sandbox/task-store.js';
import { tempDir } from '../helpers/fixtures.js';

/** The small records a sandbox folder keeps, read back by whatever starts next: never trusted beyond their shape. */
let temp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await tempDir('sp-sandbox-records-');
});
afterAll(() => temp?.cleanup());

describe('where the sandbox folder is', () => {
  it.each([
    ['--sandbox-dir, relative to the command\'s folder', { SEEDANCE_SANDBOX_DIR: '/env/sb', SEEDANCE_PREFLIGHT_CACHE_DIR: '/cache' }, 'here/sb', '/work/here/sb'],
    ['$SEEDANCE_SANDBOX_DIR', { SEEDANCE_SANDBOX_DIR: 'rel/sb', SEEDANCE_PREFLIGHT_CACHE_DIR: '/cache' }, undefined, '/work/rel/sb'],
    ['the cache folder\'s sandbox', { SEEDANCE_PREFLIGHT_CACHE_DIR: '/cache' }, undefined, '/cache/sandbox'],
    ['under XDG_CACHE_HOME', { XDG_CACHE_HOME: '/xdg' }, undefined, '/xdg/seedance-preflight/sandbox'],
    ['under ~/.cache', {}, undefined, join(homedir(), '.cache', 'seedance-preflight', 'sandbox')],
    ['an empty $SEEDANCE_SANDBOX_DIR is unset', { SEEDANCE_SANDBOX_DIR: '', SEEDANCE_PREFLIGHT_CACHE_DIR: '/cache' }, undefined, '/cache/sandbox'],
  ])('%s', (_, env, flag, expected) => {
    expect(sandboxDirFrom(env, flag, '/work')).toBe(expected);
  });
});

describe('which API base is a sandbox', () => {
  it.each([
    ['the marked loopback base', 'http://127.0.0.1:8787', 'http://127.0.0.1:8787', true],
    ['the marked base with a trailing slash', 'http://127.0.0.1:8787/', 'http://127.0.0.1:8787', true],
    ['localhost', 'http://localhost:8787', 'http://localhost:8787', true],
    ['IPv6 loopback', 'http://[::1]:8787', 'http://[::1]:8787', true],
    ['another port than the marked one', 'http://127.0.0.1:8787', 'http://127.0.0.1:8788', false],
    ['no marker', undefined, 'http://127.0.0.1:8787', false],
    ['a marked base that is not loopback (never a sandbox: it may bill)', 'https://api.evolink.ai', 'https://api.evolink.ai', false],
    ['a marked private address', 'http://10.0.0.5:8787', 'http://10.0.0.5:8787', false],
  ])('%s', (_, marker, base, expected) => {
    expect(isSandboxApiBase(marker === undefined ? {} : { SEEDANCE_SANDBOX_API_BASE: marker }, base)).toBe(expected);
  });

  it('a host that is not loopback is never a sandbox, whatever the marker says', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'] }), (url) => {
        const host = new URL(url).hostname;
        fc.pre(!/^(localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/i.test(host));
        expect(isSandboxApiBase({ SEEDANCE_SANDBOX_API_BASE: url }, url)).toBe(false);
      }),
    );
  });
});

describe('records read back', () => {
  it.each([
    ['ports of last time', '{"api":8787,"s3":4568}', { api: 8787, s3: 4568 }],
    ['a port out of range', '{"api":70000,"s3":4568}', null],
    ['a port that is not whole', '{"api":87.5,"s3":4568}', null],
    ['not JSON', '{"api":', null],
    ['JSON of another shape', '[8787, 4568]', null],
  ])('ports: %s', async (_, text, expected) => {
    const file = join(temp.dir, 'ports.json');
    await writeFile(file, text);
    expect(await readPorts(file)).toEqual(expected);
  });

  it('ports: whatever the file holds, a pair of valid ports or null, never a throw', async () => {
    const file = join(temp.dir, 'ports-any.json');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.record({ api: fc.anything(), s3: fc.anything() }).map((v) => JSON.stringify(v))), async (text) => {
        await writeFile(file, text);
        const ports = await readPorts(file);
        if (ports) expect([ports.api, ports.s3].every((p) => Number.isInteger(p) && p > 0 && p < 65536)).toBe(true);
        else expect(ports).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('key: made once, kept; a file that is not a key is replaced by a new one', async () => {
    const file = join(temp.dir, 'api-key');
    const key = await sandboxKey(file);
    expect(key).toMatch(/^sk-sandbox-[0-9a-f]{32}$/);
    expect(await sandboxKey(file)).toBe(key);
    await writeFile(file, 'not a key\n');
    expect(await readKey(file)).toBeNull();
    const replaced = await sandboxKey(file);
    expect(replaced).toMatch(/^sk-sandbox-[0-9a-f]{32}$/);
    expect(replaced).not.toBe(key);
    expect(await readKey(file)).toBe(replaced);
  });

  it.each([
    ['none', null, []],
    ['an empty list', '{"version":1,"tasks":[]}', []],
  ])('tasks: %s', async (_, text, expected) => {
    const file = join(temp.dir, `tasks-${String(text?.length)}.json`);
    if (text !== null) await writeFile(file, text);
    expect(await loadTasks(file)).toEqual(expected);
  });

  it.each([
    ['not JSON', '{"tasks": [', 'is not the sandbox\'s task file (not JSON): move it aside to start the sandbox with no tasks'],
    ['another version', '{"version":2,"tasks":[]}', 'is not a version 1 sandbox task file: move it aside to start the sandbox with no tasks'],
    ['no list of tasks', '{"version":1}', 'is not a version 1 sandbox task file: move it aside to start the sandbox with no tasks'],
  ])('tasks: %s is refused with one line naming the file', async (_, text, words) => {
    const file = join(temp.dir, 'tasks-bad.json');
    await writeFile(file, text);
    await expect(loadTasks(file)).rejects.toThrow(`${file} ${words}`);
  });
});
