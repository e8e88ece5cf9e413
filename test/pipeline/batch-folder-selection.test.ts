import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { folderName, selectFolders, selectionSummary } from '../../src/pipeline/folder-selection.js';

const ROOT = '/jobs';
const NAMES = ['.', 'shoot-1', 'shoot-2', 'shoot-2-draft', 'shoot-10', 'client-a/shoot-3', 'client-a/intro', 'client-b/deep/shoot-4-draft', 'other'];
const FOLDERS = NAMES.map((n) => (n === '.' ? ROOT : `${ROOT}/${n}`));
const names = (outcome: ReturnType<typeof selectFolders>) => (outcome.ok ? outcome.selected.map((f) => folderName(ROOT, f)) : outcome.message);

describe('selectFolders: --only / --exclude on asset-folder paths under ROOT', () => {
  it.each([
    [[], [], NAMES],
    [['shoot-*'], [], ['shoot-1', 'shoot-2', 'shoot-2-draft', 'shoot-10', 'client-a/shoot-3', 'client-b/deep/shoot-4-draft']],
    [['shoot-*'], ['*-draft'], ['shoot-1', 'shoot-2', 'shoot-10', 'client-a/shoot-3']],
    [['shoot-?'], [], ['shoot-1', 'shoot-2', 'client-a/shoot-3']],
    [['shoot-[12]'], [], ['shoot-1', 'shoot-2']],
    [['{shoot-1,other}'], [], ['shoot-1', 'other']],
    // a glob with '/' matches the path from ROOT; a folder above a job selects the jobs under it
    [['client-a/*'], [], ['client-a/shoot-3', 'client-a/intro']],
    [['client-a'], [], ['client-a/shoot-3', 'client-a/intro']],
    [['client-a/'], [], ['client-a/shoot-3', 'client-a/intro']],
    [['client-*/**'], ['intro'], ['client-a/shoot-3', 'client-b/deep/shoot-4-draft']],
    [['shoot-1', 'other'], [], ['shoot-1', 'other']],
    [[], ['client-b', 'shoot-2*'], ['.', 'shoot-1', 'shoot-10', 'client-a/shoot-3', 'client-a/intro', 'other']],
    // ROOT itself, when it is an asset folder, is named '.': only '.' matches it
    [['.'], [], ['.']],
    [[], ['**'], ['.']],
  ])('--only %j --exclude %j', (only, exclude, expected) => {
    expect(names(selectFolders(ROOT, FOLDERS, { only, exclude }))).toEqual(expected);
  });

  it.each([
    [['shot-*'], [], "--only 'shot-*' selects none of the 9 asset folders under /jobs (., shoot-1, shoot-2, shoot-2-draft, shoot-10, … 4 more)"],
    [['shoot-1', 'nope'], [], "--only 'nope' selects none of the 9 asset folders under /jobs (., shoot-1, shoot-2, shoot-2-draft, shoot-10, … 4 more)"],
    [['shoot-1'], ['shoot-*'], "--only 'shoot-1' --exclude 'shoot-*' leave none of the 9 asset folders under /jobs (., shoot-1, shoot-2, shoot-2-draft, shoot-10, … 4 more)"],
    [[], ['**', '.'], "--exclude '**' --exclude '.' leave none of the 9 asset folders under /jobs (., shoot-1, shoot-2, shoot-2-draft, shoot-10, … 4 more)"],
    [[], ['*'], "--exclude '*' leaves none of the 8 asset folders under /jobs (shoot-1, shoot-2, shoot-2-draft, shoot-10, client-a/shoot-3, … 3 more)"],
    [[''], [], "--only needs a glob on asset-folder names under ROOT, such as 'shoot-*' or 'client-a/*'"],
    [['/jobs/shoot-1'], [], "--only '/jobs/shoot-1' is an absolute path: globs match asset-folder paths under ROOT, such as 'shoot-*' or 'client-a/*'"],
    [[], ['../x/*'], "--exclude '../x/*' reaches above ROOT ('..'): globs match asset-folder paths under ROOT, such as 'shoot-*' or 'client-a/*'"],
  ])('--only %j --exclude %j: one line naming the glob and the folders there are', (only, exclude, message) => {
    // ROOT is a job only where the message counts 9
    const folders = message.includes(' 9 ') ? FOLDERS : FOLDERS.slice(1);
    expect(selectFolders(ROOT, folders, { only, exclude })).toEqual({ ok: false, message });
  });

  it('few folders are all named in the message', () => {
    expect(selectFolders(ROOT, [`${ROOT}/a`, `${ROOT}/b`], { only: ['c'], exclude: [] })).toEqual({ ok: false, message: "--only 'c' selects none of the 2 asset folders under /jobs (a, b)" });
  });

  it('the summary says how many of how many, only when a filter was given', () => {
    const filtered = selectFolders(ROOT, FOLDERS, { only: ['shoot-*'], exclude: ['*-draft'] });
    expect(filtered.ok && selectionSummary(filtered)).toBe('4 of 9 folders selected by --only/--exclude');
    const all = selectFolders(ROOT, FOLDERS, { only: [], exclude: [] });
    expect(all.ok && selectionSummary(all)).toBeNull();
  });
});

describe('selectFolders: properties', () => {
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,6}$/);
  const paths = fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')), { minLength: 1, maxLength: 12 });

  it('the selection keeps the found order, holds only found folders, and every name selects its own folder', () => {
    fc.assert(
      fc.property(paths, fc.nat(), (list, pick) => {
        const folders = list.map((p) => `${ROOT}/${p}`);
        const name = list[pick % list.length]!;
        const outcome = selectFolders(ROOT, folders, { only: [name], exclude: [] });
        if (!outcome.ok) return false;
        const indexes = outcome.selected.map((f) => folders.indexOf(f));
        return outcome.selected.includes(`${ROOT}/${name}`) && indexes.every((i, k) => i >= 0 && (k === 0 || i > indexes[k - 1]!)) && outcome.total === folders.length;
      }),
    );
  });

  it('--exclude of a folder\'s own path never selects it, and --only plus --exclude of the same glob selects nothing', () => {
    fc.assert(
      fc.property(paths, fc.nat(), (list, pick) => {
        const folders = list.map((p) => `${ROOT}/${p}`);
        const name = list[pick % list.length]!;
        const excluded = selectFolders(ROOT, folders, { only: [], exclude: [name] });
        const both = selectFolders(ROOT, folders, { only: [name], exclude: [name] });
        return (!excluded.ok || !excluded.selected.includes(`${ROOT}/${name}`)) && !both.ok;
      }),
    );
  });
});
