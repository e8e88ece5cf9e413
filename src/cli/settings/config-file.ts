import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAX_JSON_DEPTH, jsonNestingDepth, parseBoundedJson } from '../../shared/json-depth.js';
import { InputFileError, readTextFile } from '../../shared/read-text-file.js';
import { UsageError } from '../io.js';

/** The names looked for in each folder, in this order; two in one folder is a usage error (which one was meant?). */
export const CONFIG_NAMES = ['seedance-preflight.config.json', 'seedance-preflight.config.yaml', 'seedance-preflight.config.yml'] as const;

/** A settings file is a few dozen lines: 64 KiB keeps logs and /proc files out. */
export const CONFIG_FILE_MAX_BYTES = 64 * 1024;

/**
 * The config file that applies in `cwd`: the nearest of CONFIG_NAMES in it or a folder above, stopping after the first
 * folder that holds .git (a repository's settings end at its root), after `home` (the user's home folder: what lies
 * above it is other people's) or at the filesystem's root. Null when there is none.
 */
export function findConfigFile(cwd: string, home: string): string | null {
  const stop = resolve(home);
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const found = CONFIG_NAMES.map((name) => join(folder, name)).filter((path) => existsSync(path));
    if (found.length > 1) throw new UsageError(`${found.join(' and ')} are both config files: keep one`);
    if (found.length === 1) return found[0]!;
    if (folder === stop || existsSync(join(folder, '.git')) || dirname(folder) === folder) return null;
  }
}

/**
 * Pure: why a file found upward may not be used, or null. Such a file can send the API key elsewhere (apiBase), so it
 * must be the user's own and writable by nobody else, as git takes a repository's config only from its owner.
 */
export function foundFileProblem(file: { uid: number; mode: number }, uid: number, shown: string): { why: string; fix: string } | null {
  if (file.uid !== uid) return { why: `it belongs to another user (uid ${file.uid}; you are ${uid})`, fix: 'name it with --config if you trust it' };
  const others = file.mode & 0o022;
  const who = others === 0o022 ? 'the group and other users' : others === 0o020 ? 'the group' : 'other users';
  if (others) return { why: `${who} may change it (mode ${(file.mode & 0o777).toString(8).padStart(4, '0')})`, fix: `run chmod go-w ${shown}, or name it with --config if you trust it` };
  return null;
}

/** Refuses a config file found upward that another user owns or may change (`shown` names it); where there are no uids (Windows), none is refused. */
export function checkFoundFile(path: string, shown: string): void {
  if (typeof process.getuid !== 'function') return;
  const problem = foundFileProblem(statSync(path), process.getuid(), shown);
  if (problem) {
    throw new UsageError(`config file ${shown} was found upward from the working folder, but ${problem.why}; a file found upward must be yours and writable only by you, as it may name the host your API key is sent to: ${problem.fix}`);
  }
}

/** The file's data: read as every text input is (a regular file, bounded), parsed as JSON or, by its name, YAML. `shown` names it in messages. */
export async function readConfigFile(path: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = await readTextFile(path, { what: 'config file', maxBytes: CONFIG_FILE_MAX_BYTES });
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`config file ${shown} ${error.clause}${error.fix ? `; ${error.fix}` : ''}`);
    throw error;
  }
  if (/\.json$/i.test(path)) {
    const parsed = parseBoundedJson(text);
    if (!parsed.ok) throw new UsageError(`config file ${shown}: ${parsed.problem}`);
    return parsed.value;
  }
  // the parser recurses into [ and {: the bound that holds for JSON holds for YAML's flow collections too
  const depth = jsonNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new UsageError(`config file ${shown}: it nests lists and maps ${depth.toLocaleString('en-US')} levels deep, more than the ${MAX_JSON_DEPTH} allowed`);
  // loaded only for a YAML file: JSON users and start-up never pay for the parser
  const { parse } = await import('yaml');
  try {
    return parse(text.replace(/^\uFEFF/, ''), { maxAliasCount: 100 }) as unknown;
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`config file ${shown}: it nests too deeply to be read`);
    // the parser's message ends with the offending line quoted: the position is enough, the text stays out
    const message = (error as Error).message.split('\n')[0]!.replace(/:$/, '');
    throw new UsageError(`config file ${shown}: it is not valid YAML (${message})`);
  }
}
