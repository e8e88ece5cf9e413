import { relative, sep } from 'node:path';
import picomatch from 'picomatch';

/** --only / --exclude of a batch: globs on the asset folders' paths under ROOT. */
export interface FolderFilter {
  only: readonly string[];
  exclude: readonly string[];
}

/** Which of the asset folders found under ROOT a batch runs. */
export interface FolderSelection {
  selected: string[];
  /** How many asset folders were found under ROOT before the filter. */
  total: number;
  /** Whether --only or --exclude was given (a summary says how many were selected only then). */
  filtered: boolean;
}

export type SelectionOutcome = ({ ok: true } & FolderSelection) | { ok: false; message: string };

/** A folder's name as globs see it: its path under root with '/' between parts; '.' for root itself. */
export function folderName(root: string, folder: string): string {
  return relative(root, folder).split(sep).join('/') || '.';
}

/** What is wrong with a glob as given to `flag`, or null: globs match paths under ROOT, never above it. */
export function globProblem(flag: '--only' | '--exclude', glob: string): string | null {
  const example = "such as 'shoot-*' or 'client-a/*'";
  if (glob.trim() === '') return `${flag} needs a glob on asset-folder names under ROOT, ${example}`;
  if (glob.startsWith('/')) return `${flag} '${glob}' is an absolute path: globs match asset-folder paths under ROOT, ${example}`;
  if (glob.split('/').includes('..')) return `${flag} '${glob}' reaches above ROOT ('..'): globs match asset-folder paths under ROOT, ${example}`;
  return null;
}

/**
 * A folder matches a glob when the glob matches its path under ROOT or the path of a folder above it (so 'client-a'
 * takes everything under client-a/); a glob without '/' matches a folder's own name at any depth, as in .gitignore.
 * ROOT itself, when it is an asset folder, is named '.', which only the glob '.' matches (no '*' matches '.').
 */
function matcherOf(glob: string): (name: string) => boolean {
  const pattern = glob.replace(/\/+$/, '');
  const test = picomatch(pattern, { dot: true });
  const byName = !pattern.includes('/');
  return (name) => {
    const parts = name.split('/');
    return parts.some((part, i) => test(byName ? part : parts.slice(0, i + 1).join('/')));
  };
}

/**
 * Pure: the folders --only and --exclude select (in the order found). A folder is selected when it matches some --only
 * glob (or none was given) and no --exclude glob. An --only glob that matches no folder, or a filter that leaves none,
 * is the user's mistake, said in one line with the names there are (`label`: ROOT as the user gave it).
 */
export function selectFolders(root: string, folders: readonly string[], filter: FolderFilter, label = root): SelectionOutcome {
  for (const [flag, globs] of [['--only', filter.only], ['--exclude', filter.exclude]] as const) {
    for (const glob of globs) {
      const problem = globProblem(flag, glob);
      if (problem) return { ok: false, message: problem };
    }
  }
  const names = folders.map((f) => folderName(root, f));
  const only = filter.only.map((glob) => ({ glob, matches: matcherOf(glob) }));
  const exclude = filter.exclude.map(matcherOf);
  const there = `${folders.length} asset folder${folders.length === 1 ? '' : 's'} under ${label} (${sample(names)})`;
  for (const { glob, matches } of only) {
    if (!names.some(matches)) return { ok: false, message: `--only '${glob}' selects none of the ${there}` };
  }
  const selected = folders.filter((_, i) => (only.length === 0 || only.some((o) => o.matches(names[i]!))) && !exclude.some((matches) => matches(names[i]!)));
  if (selected.length === 0) return { ok: false, message: `${flagsUsed(filter)} leave${filter.only.length + filter.exclude.length === 1 ? 's' : ''} none of the ${there}` };
  return { ok: true, selected, total: folders.length, filtered: filter.only.length + filter.exclude.length > 0 };
}

/** "12 of 40 folders selected by --only/--exclude", or null when no filter was given. */
export function selectionSummary(selection: FolderSelection): string | null {
  return selection.filtered ? `${selection.selected.length} of ${selection.total} folders selected by --only/--exclude` : null;
}

/** The flags as given: "--only 'a*' --exclude '*-draft'". */
function flagsUsed(filter: FolderFilter): string {
  return [...filter.only.map((g) => `--only '${g}'`), ...filter.exclude.map((g) => `--exclude '${g}'`)].join(' ');
}

/** The first few names, enough to see a typo against. */
function sample(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown}, … ${names.length - 5} more` : shown;
}
