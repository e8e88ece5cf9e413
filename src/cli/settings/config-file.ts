import { existsSync } from 'node:fs';
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
 * folder that holds .git (a repository's settings end at its root) or at the filesystem's root. Null when there is none.
 */
export function findConfigFile(cwd: string): string | null {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const found = CONFIG_NAMES.map((name) => join(folder, name)).filter((path) => existsSync(path));
    if (found.length > 1) throw new UsageError(`${found.join(' and ')} are both config files: keep one`);
    if (found.length === 1) return found[0]!;
    if (existsSync(join(folder, '.git')) || dirname(folder) === folder) return null;
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
