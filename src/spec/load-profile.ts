import type { Limit, Profile } from './profile.js';
import { BUILTIN_PROFILES } from './builtin-profiles.js';
import { PreflightError } from '../shared/errors.js';
import { parseBoundedJson } from '../shared/json-depth.js';
import { InputFileError, readTextFile } from '../shared/read-text-file.js';

/** The most a profile file may hold: every limit with a long source is a few KB; 1 MiB keeps /proc files and logs out. */
export const PROFILE_FILE_MAX_BYTES = 1024 * 1024;

/** A profile that cannot be read or breaks the schema; the message names the file, the key and what is allowed. */
export class ProfileError extends PreflightError {
  readonly kind = 'profile';
}

const isNumber = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min;

/** Plain validators (no schema library: profiles load on every run, and startup time counts). */
const leafValidators: Record<'number' | 'list' | 'range', (v: unknown) => boolean> = {
  number: (v) => isNumber(v, Number.MIN_VALUE),
  list: (v) => Array.isArray(v) && v.length > 0 && v.every((item) => typeof item === 'string' && item.length > 0),
  range: (v) =>
    isObject(v) &&
    Object.keys(v).every((key) => key === 'min' || key === 'max') &&
    (v.min === undefined || isNumber(v.min, 0)) &&
    (v.max === undefined || isNumber(v.max, Number.MIN_VALUE)),
};

/** A built-in profile by name, or a JSON file of overrides on top of one (`"extends"`, default "seed"). */
export async function loadProfile(nameOrPath: string | undefined): Promise<Profile> {
  if (!nameOrPath) return BUILTIN_PROFILES.seed!;
  const builtin = BUILTIN_PROFILES[nameOrPath];
  if (builtin) return builtin;
  const known = Object.keys(BUILTIN_PROFILES).join(', ');
  let text: string;
  try {
    // a profile belongs to no job: it may be anywhere, but it is a regular file read with a bound, like every text input
    text = await readTextFile(nameOrPath, { what: 'profile', maxBytes: PROFILE_FILE_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    // a name that is no built-in profile is most often a mistyped name: said so, not as a file's ENOENT
    const problem = error.problem === 'missing' ? (/[\\/]|\.json$/i.test(nameOrPath) ? 'no such file' : 'not a built-in profile and no such file') : error.problem === 'unreadable' && cause?.code ? `cannot read it (${cause.code})` : error.detail;
    throw new ProfileError(`profile ${nameOrPath}: ${problem}; give a JSON file or one of: ${known}`, { cause: error });
  }
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) throw new ProfileError(`profile ${nameOrPath}: ${parsed.problem.replace(/^it is not valid JSON/, 'not valid JSON')}`);
  return applyOverrides(parsed.value, nameOrPath);
}

/** Pure: a profile from an overrides document. Unknown keys and wrong types are errors naming their path. */
export function applyOverrides(data: unknown, origin: string): Profile {
  if (!isObject(data)) throw new ProfileError(`profile ${origin}: expected a JSON object`);
  const baseName = data.extends ?? 'seed';
  const base = typeof baseName === 'string' ? BUILTIN_PROFILES[baseName] : undefined;
  if (!base) throw new ProfileError(`profile ${origin}: "extends" must be one of ${Object.keys(BUILTIN_PROFILES).join(', ')}`);
  const profile = structuredClone(base);
  profile.name = typeof data.name === 'string' ? data.name : origin;
  profile.description = typeof data.description === 'string' ? data.description : `${base.description}, with overrides from ${origin}`;

  for (const [key, value] of Object.entries(data)) {
    if (['extends', 'name', 'description'].includes(key)) continue;
    if (key === 'bytesPerMB') {
      profile.bytesPerMB = overrideLimit(profile.bytesPerMB, value, key, origin);
      continue;
    }
    // own keys only: "__proto__" or "constructor" must not reach Object.prototype
    const section = Object.hasOwn(profile, key) ? (profile as unknown as Record<string, Record<string, Limit<unknown>>>)[key] : undefined;
    if (!section || typeof section !== 'object' || 'value' in section) {
      throw new ProfileError(`profile ${origin}: unknown key "${key}"; known: bytesPerMB, image, video, audio, request`);
    }
    if (!isObject(value)) throw new ProfileError(`profile ${origin}: "${key}" must be an object of limits`);
    for (const [limitKey, limitValue] of Object.entries(value)) {
      const current = Object.hasOwn(section, limitKey) ? section[limitKey] : undefined;
      if (!current) {
        throw new ProfileError(`profile ${origin}: unknown limit "${key}.${limitKey}"; known: ${Object.keys(section).join(', ')}`);
      }
      section[limitKey] = overrideLimit(current, limitValue, `${key}.${limitKey}`, origin);
    }
  }
  return profile;
}

function overrideLimit<T>(current: Limit<T>, raw: unknown, path: string, origin: string): Limit<T> {
  const given = isObject(raw) && 'value' in raw ? raw : { value: raw };
  const kind = Array.isArray(current.value) ? 'list' : typeof current.value === 'number' ? 'number' : 'range';
  if (!leafValidators[kind](given.value)) {
    const expected = { number: 'a positive number', list: 'a list of strings', range: 'an object with "min" and/or "max" numbers' }[kind];
    throw new ProfileError(`profile ${origin}: "${path}" must be ${expected}`);
  }
  const value = kind === 'range' ? { ...(current.value as object), ...(given.value as object) } : given.value;
  if (kind === 'range' && (value as { min: number; max: number }).min > (value as { min: number; max: number }).max) {
    throw new ProfileError(`profile ${origin}: "${path}" has min above max`);
  }
  const source = typeof given.source === 'string' ? given.source : `profile file ${origin}`;
  return { value: value as T, source };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
