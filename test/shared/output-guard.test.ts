import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardOutputs, OutputGuardError, outputProblems } from '../../src/shared/guard-outputs.js';
import { identifyPath } from '../../src/shared/identify-path.js';
import { findOutputProblems, type OutputClaim, type PathIdentity, type RunInput } from '../../src/shared/output-guard.js';
import { formatManifest, isWrittenFile, parseManifest } from '../../src/normalize/output-manifest.js';

const id = (lexical: string, extra: Partial<PathIdentity> = {}): PathIdentity => ({ lexical, real: lexical, inode: null, type: 'missing', ...extra });
const input = (path: string, role: string, extra: Partial<PathIdentity> = {}): RunInput => ({ shown: path, role, id: id(path, { type: 'file', ...extra }) });
const banner = input('/job/banner.png', 'image_urls[0] of /job/request.json', { inode: '1:10' });
const request = input('/job/request.json', 'the request file', { inode: '1:11' });
const inputs = [banner, request];

describe('findOutputProblems (pure)', () => {
  it.each<[string, OutputClaim[], string[]]>([
    ['--report onto an input', [{ flag: '--report', shown: '/job/banner.png', kind: 'file', id: id('/job/banner.png', { type: 'file', inode: '1:10' }) }], ['--report /job/banner.png is an input of this run (image_urls[0] of /job/request.json): choose another path']],
    ['--junit through a symlink', [{ flag: '--junit', shown: 'link.xml', kind: 'file', id: id('/cwd/link.xml', { real: '/job/request.json', type: 'file', inode: '1:11' }) }], ['--junit link.xml leads to /job/request.json, an input of this run (the request file): choose another path']],
    ['--junit as a hard link', [{ flag: '--junit', shown: 'hard.xml', kind: 'file', id: id('/cwd/hard.xml', { type: 'file', inode: '1:11' }) }], ['--junit hard.xml is a hard link to /job/request.json, an input of this run (the request file): choose another path']],
    ['a file a folder option writes onto an input', [{ flag: '--out', shown: '/job/request.json', kind: 'file', inFolder: '/job', id: id('/job/request.json', { type: 'file', inode: '1:11' }) }], ['--out /job would write over /job/request.json, an input of this run (the request file): choose another --out folder, one that holds no inputs (e.g. a new folder inside it)']],
    ['the report\'s thumbnail folder holding an input', [{ flag: '--report', shown: '/job.assets/', what: "--report's thumbnail folder", kind: 'replaced-folder', id: id('/job', { type: 'folder' }) }], ["--report's thumbnail folder /job.assets/ holds /job/banner.png, an input of this run (image_urls[0] of /job/request.json), and is replaced whole: choose another --report path"]],
    ['an output folder holding inputs is fine', [{ flag: '--out', shown: '/job', kind: 'folder', id: id('/job', { type: 'folder' }) }], []],
    ['an output folder that is a file', [{ flag: '--out', shown: 'notes.txt', kind: 'folder', id: id('/cwd/notes.txt', { type: 'file', inode: '1:99' }) }], ['--out notes.txt is a file, not a folder: give a folder\'s path (it is created when missing)']],
    ['an output file that is a folder', [{ flag: '--junit', shown: 'out', kind: 'file', id: id('/cwd/out', { type: 'folder' }) }], ["--junit out is a folder, not a file: give a file's path"]],
    ['an output file that is a FIFO', [{ flag: '--junit', shown: 'pipe', kind: 'file', id: id('/cwd/pipe', { type: 'other', inode: '1:50' }) }], ['--junit pipe is not a regular file (a FIFO, socket or device): give a file\'s path']],
    ['two outputs on one file', [
      { flag: '--report', shown: 'r.html', kind: 'file', id: id('/cwd/r.html') },
      { flag: '--junit', shown: './r.html', kind: 'file', id: id('/cwd/r.html') },
    ], ['--junit ./r.html is also --report r.html: give each output its own path']],
    ['an output inside the report\'s thumbnail folder', [
      { flag: '--report', shown: 'r.assets/', what: "--report's thumbnail folder", kind: 'replaced-folder', id: id('/cwd/r.assets') },
      { flag: '--junit', shown: 'r.assets/j.xml', kind: 'file', id: id('/cwd/r.assets/j.xml') },
    ], ["--junit r.assets/j.xml lies in --report's thumbnail folder r.assets/, which is replaced whole: give it a path outside"]],
    ['unrelated outputs', [
      { flag: '--report', shown: 'r.html', kind: 'file', id: id('/cwd/r.html') },
      { flag: '--report', shown: 'r.assets/', what: "--report's thumbnail folder", kind: 'replaced-folder', id: id('/cwd/r.assets') },
      { flag: '--junit', shown: 'j.xml', kind: 'file', id: id('/cwd/j.xml', { type: 'file', inode: '1:77' }) },
      { flag: '--out', shown: 'fixed', kind: 'folder', id: id('/cwd/fixed', { type: 'folder' }) },
    ], []],
  ])('%s', (_what, claims, expected) => {
    expect(findOutputProblems(claims, inputs)).toEqual(expected);
  });

  it('an asset folder is read whole: a folder option aimed at it is refused, one inside it or a file beside its media is fine', () => {
    const folder: RunInput = { shown: '/assets', role: 'an asset folder (every file in it is read as media)', id: id('/assets', { type: 'folder', inode: '1:5' }) };
    const outputs = (path: string, kind: OutputClaim['kind'], extra: Partial<PathIdentity> = {}): OutputClaim[] => [{ flag: '--output', shown: path, kind, id: id(path, { type: 'folder', ...extra }) }];
    expect(findOutputProblems(outputs('/assets', 'folder', { inode: '1:5' }), [folder])).toEqual(["--output /assets is an asset folder (every file in it is read as media): what is written there would be read as the job's media on the next run; choose another folder (a new folder inside it is fine)"]);
    expect(findOutputProblems(outputs('/elsewhere', 'folder', { real: '/assets', inode: '1:5' }), [folder])).toHaveLength(1);
    // named as the input is: not "X is X"
    expect(findOutputProblems([{ flag: '--out', shown: '/assets', kind: 'folder', id: id('/assets', { type: 'folder', inode: '1:5' }) }], [folder])).toEqual(["--out /assets is an asset folder (every file in it is read as media): what is written there would be read as the job's media on the next run; choose another folder (a new folder inside it is fine)"]);
    expect(findOutputProblems(outputs('/assets/output', 'folder'), [folder])).toEqual([]);
    expect(findOutputProblems([{ flag: '--report', shown: '/assets/r.html', kind: 'file', id: id('/assets/r.html') }], [folder])).toEqual([]);
  });

  const segment = fc.stringMatching(/^[a-z]{1,6}$/);
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);

  it('property: a file output that shares any key with an input (path, real path, inode) is always refused, naming the input', () => {
    fc.assert(
      fc.property(path, path, fc.constantFrom('lexical', 'real', 'inode'), (inputPath, otherPath, shared) => {
        const target = input(inputPath, 'the request file', { inode: '9:9' });
        const claimId = id(`${otherPath}/out`, { type: 'file', inode: '8:8' });
        if (shared === 'lexical') claimId.lexical = inputPath;
        if (shared === 'real') claimId.real = inputPath;
        if (shared === 'inode') claimId.inode = '9:9';
        const problems = findOutputProblems([{ flag: '--junit', shown: 'x', kind: 'file', id: claimId }], [target]);
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(`(the request file)`);
      }),
    );
  });

  it('property: outputs on paths no input shares (and not there yet) are never refused; a plain output folder never, whatever it holds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(path, { minLength: 2, maxLength: 8 }), (paths) => {
        const [folder, ...rest] = paths as [string, ...string[]];
        const runInputs = rest.map((p, i) => input(`${folder}${p}`, `input ${i}`, { inode: `1:${i}` }));
        const claims: OutputClaim[] = [
          { flag: '--out', shown: folder, kind: 'folder', id: id(folder, { type: 'folder' }) },
          ...rest.map((p, i): OutputClaim => ({ flag: `--o${i}`, shown: p, kind: 'file', id: id(`/elsewhere${p}.out`) })),
        ];
        expect(findOutputProblems(claims, runInputs)).toEqual([]);
      }),
    );
  });
});

describe('the manifest of fix\'s outputs (pure)', () => {
  const written = { size: 10, mtimeMs: 1000.5, ino: 7 };
  it.each([
    ['the file fix wrote, untouched', written, { ...written, regularFile: true }, true],
    ['not in the manifest', undefined, { ...written, regularFile: true }, false],
    ['replaced (another inode)', written, { ...written, ino: 8, regularFile: true }, false],
    ['edited (another size)', written, { ...written, size: 11, regularFile: true }, false],
    ['touched (another time)', written, { ...written, mtimeMs: 1001, regularFile: true }, false],
    ['a link or folder now', written, { ...written, regularFile: false }, false],
  ])('%s → ours: %s', (_what, recorded, now, expected) => {
    expect(isWrittenFile(recorded, now)).toBe(expected);
  });

  it('reads back what it writes, and reads anything else as empty (every file then counts as the user\'s)', () => {
    const files = new Map([['clip.mp4', written], ['a.png', { size: 1, mtimeMs: 2, ino: 3 }]]);
    expect(parseManifest(formatManifest(files))).toEqual(files);
    expect(Object.keys(JSON.parse(formatManifest(files)).files)).toEqual(['a.png', 'clip.mp4']);
    for (const text of [null, '', 'not json', 'null', '[]', '{"files":3}']) expect(parseManifest(text)).toEqual(new Map());
    expect(parseManifest('{"files":{"a":{"size":1,"mtimeMs":2,"ino":3},"b":{"size":"1"}}}')).toEqual(new Map([['a', { size: 1, mtimeMs: 2, ino: 3 }]]));
  });
});

describe('guardOutputs on real files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp-output-guard-'));
    await mkdir(join(dir, 'job'));
    await writeFile(join(dir, 'job', 'request.json'), '{}');
    await link(join(dir, 'job', 'request.json'), join(dir, 'hard.json'));
    await symlink(join(dir, 'job', 'request.json'), join(dir, 'soft.json'));
    await symlink(join(dir, 'job'), join(dir, 'job-link'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('identifies a path by its resolved and real paths and its inode; one not there yet by its folder\'s real path', async () => {
    const real = await identifyPath(join(dir, 'job', 'request.json'));
    expect(real.type).toBe('file');
    expect((await identifyPath(join(dir, 'hard.json'))).inode).toBe(real.inode);
    expect((await identifyPath(join(dir, 'soft.json'))).real).toBe(real.real);
    expect(await identifyPath(join(dir, 'job-link', 'new', 'x.html'))).toEqual({ lexical: join(dir, 'job-link', 'new', 'x.html'), real: join(real.real, '..', 'new', 'x.html'), inode: null, type: 'missing' });
  });

  it('refuses an output reaching an input by any name, and says so in one line per problem', async () => {
    const requestInput = { path: join(dir, 'job', 'request.json'), shown: 'job/request.json', role: 'the request file' };
    const claim = (path: string, shown: string) => ({ flag: '--junit', kind: 'file' as const, path, shown });
    const each = [claim(join(dir, 'hard.json'), 'hard.json'), claim(join(dir, 'soft.json'), 'soft.json'), claim(join(dir, 'job-link', 'request.json'), 'job-link/request.json')];
    expect((await Promise.all(each.map((c) => outputProblems([c], [requestInput])))).flat()).toEqual([
      '--junit hard.json is a hard link to job/request.json, an input of this run (the request file): choose another path',
      '--junit soft.json leads to job/request.json, an input of this run (the request file): choose another path',
      '--junit job-link/request.json leads to job/request.json, an input of this run (the request file): choose another path',
    ]);
    // together they are also one file twice
    const error = await guardOutputs(each.slice(0, 2), [requestInput]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputGuardError);
    expect((error as OutputGuardError).problems.at(-1)).toBe('--junit soft.json is also --junit hard.json: give each output its own path');
    expect((error as OutputGuardError).message).toBe('--junit hard.json is a hard link to job/request.json, an input of this run (the request file): choose another path (and 2 more output problems)');
    // an input that is not there cannot be overwritten
    expect(await outputProblems([claim(join(dir, 'gone.json'), 'gone.json')], [{ path: join(dir, 'gone.json'), shown: 'gone.json', role: 'the request file' }])).toEqual([]);
  });
});
