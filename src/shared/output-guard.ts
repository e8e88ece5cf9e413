import { sep } from 'node:path';

/** What the file system says a path is, found once by the shell (identify-path.ts) so the verdicts below stay pure. */
export interface PathIdentity {
  /** The path resolved without following links. */
  lexical: string;
  /** The path with every link followed (for a path that does not exist yet: its folder's real path, then its name). */
  real: string;
  /** "dev:ino" of what the path leads to, or null when nothing is there: two names of one file (a hard link) share it. */
  inode: string | null;
  type: 'file' | 'folder' | 'other' | 'missing';
}

/** A file the run reads. */
export interface RunInput {
  /** As the user wrote it, for messages. */
  shown: string;
  /** What it is to the run: "image_urls[0] of job/request.json", "the request file", "the --profile file". */
  role: string;
  id: PathIdentity;
}

/**
 * A path the run writes. `file`: written whole (replaced). `folder`: files are written into it (it may hold inputs).
 * `replaced-folder`: swapped whole for a new one (the report's thumbnails), so nothing in it may be an input.
 */
export interface OutputClaim {
  /** The option that names it: "--report", "--junit", "--out". */
  flag: string;
  shown: string;
  kind: 'file' | 'folder' | 'replaced-folder';
  /** For a file a folder option puts there (fix's DIR/request.json): the folder as the user wrote it. */
  inFolder?: string;
  /** What the claim is to the flag, when it is not the flag's own path ("the report's thumbnail folder"). */
  what?: string;
  id: PathIdentity;
}

/** How an output reaches an input: the same name, through links, or another name of the same file. */
type Reach = 'is' | 'leads to' | 'is a hard link to';

function reach(a: PathIdentity, b: PathIdentity): Reach | null {
  if (a.lexical === b.lexical) return 'is';
  if (a.real === b.real) return 'leads to';
  if (a.inode !== null && a.inode === b.inode) return 'is a hard link to';
  return null;
}

function isInside(folder: PathIdentity, path: PathIdentity): boolean {
  return [path.lexical, path.real].some((p) => [folder.lexical, folder.real].some((f) => p === f || p.startsWith(f.endsWith(sep) ? f : f + sep)));
}

function named(claim: OutputClaim): string {
  if (claim.inFolder !== undefined) return `${claim.flag} ${claim.inFolder}`;
  return claim.what ? `${claim.what} ${claim.shown}` : `${claim.flag} ${claim.shown}`;
}

/** How the user gets out of it: another path for a file, another folder for a file a folder option writes. */
function remedy(claim: OutputClaim): string {
  if (claim.inFolder !== undefined) return `choose another ${claim.flag} folder, one that holds no inputs (e.g. a new folder inside it)`;
  return claim.what ? `choose another ${claim.flag} path` : 'choose another path';
}

/** Pure: one line per claim that would overwrite an input, collide with another output, or is of the wrong type; empty when every claim is safe. */
export function findOutputProblems(claims: readonly OutputClaim[], inputs: readonly RunInput[]): string[] {
  const problems: string[] = [];
  for (const claim of claims) {
    const problem = inputProblem(claim, inputs) ?? typeProblem(claim);
    if (problem) problems.push(problem);
  }
  claims.forEach((claim, i) => {
    for (const other of claims.slice(0, i)) {
      const problem = outputsProblem(other, claim);
      if (problem) problems.push(problem);
    }
  });
  return problems;
}

function inputProblem(claim: OutputClaim, inputs: readonly RunInput[]): string | null {
  for (const input of inputs) {
    if (claim.kind === 'replaced-folder') {
      if (isInside(claim.id, input.id)) return `${named(claim)} holds ${input.shown}, an input of this run (${input.role}), and is replaced whole: ${remedy(claim)}`;
      continue;
    }
    // an asset folder is read whole: a folder option aimed at it would put results among the job's media (a new task each run)
    if (input.id.type === 'folder') {
      if (claim.kind === 'folder' && claim.inFolder === undefined && reach(claim.id, input.id)) return `${named(claim)} is ${claim.shown === input.shown ? '' : `${input.shown}, `}${input.role}: what is written there would be read as the job's media on the next run; choose another folder (a new folder inside it is fine)`;
      continue;
    }
    const how = reach(claim.id, input.id);
    if (!how) continue;
    if (claim.inFolder !== undefined) return `${named(claim)} would write ${claim.shown === input.shown ? '' : `${claim.shown} `}over ${input.shown}, an input of this run (${input.role}): ${remedy(claim)}`;
    if (how === 'is' && claim.shown === input.shown) return `${named(claim)} is an input of this run (${input.role}): ${remedy(claim)}`;
    return `${named(claim)} ${how} ${input.shown}, an input of this run (${input.role}): ${remedy(claim)}`;
  }
  return null;
}

function typeProblem(claim: OutputClaim): string | null {
  const { type } = claim.id;
  if (claim.kind === 'file' && type === 'folder') return `${named(claim)} is a folder, not a file: give a file's path`;
  if (claim.kind === 'file' && type === 'other') return `${named(claim)} is not a regular file (a FIFO, socket or device): give a file's path`;
  if (claim.kind !== 'file' && (type === 'file' || type === 'other')) return `${named(claim)} is a file, not a folder: give a folder's path (it is created when missing)`;
  return null;
}

/** Two outputs of one run must not land on each other: the later would replace the earlier. */
function outputsProblem(a: OutputClaim, b: OutputClaim): string | null {
  if (a.kind === 'folder' && b.kind === 'folder') return null;
  if (a.kind === 'file' && b.kind === 'file') {
    return reach(b.id, a.id) ? `${named(b)} is also ${named(a)}: give each output its own path` : null;
  }
  if (a.kind === 'replaced-folder' && isInside(a.id, b.id)) return `${named(b)} lies in ${named(a)}, which is replaced whole: give it a path outside`;
  if (b.kind === 'replaced-folder' && isInside(b.id, a.id)) return `${named(a)} lies in ${named(b)}, which is replaced whole: give it a path outside`;
  // a file written where a folder option wants its folder (or the reverse)
  if (a.kind !== b.kind && (a.kind === 'file' || b.kind === 'file') && reach(a.id, b.id)) return `${named(b)} is also ${named(a)}: give each output its own path`;
  return null;
}
