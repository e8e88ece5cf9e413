import { didYouMean } from '../../check/did-you-mean.js';
import { hasCredentials } from '../../shared/redact.js';
import { UsageError } from '../io.js';
import { EXCLUDED, GLOBAL, SETTINGS, settingEnv, settingKey, type SettingSpec } from './setting-table.js';

/** A value a config file gives: its key as written there (`fix.fit`), for messages. */
export interface ConfigSetting {
  keyPath: string;
  value: string | number | boolean | string[];
}

/** A config file's settings: those for every command, and each command's section. */
export interface ConfigValues {
  top: ReadonlyMap<string, ConfigSetting>;
  sections: ReadonlyMap<string, ReadonlyMap<string, ConfigSetting>>;
}

export const NO_CONFIG: ConfigValues = { top: new Map(), sections: new Map() };

/** The sections a config file may hold: the first word of each command (a `queue` section is for every queue command). */
export const SECTIONS = ['check', 'fix', 'upload', 'submit', 'run', 'batch', 'worker', 'queue', 'status', 'wait', 'sandbox', 'doctor'] as const;

/** Keys that name a secret, folded (case and punctuation left out), with the variable that holds it instead. */
const SECRET_KEYS: Record<string, string> = {
  apikey: 'EVOLINK_API_KEY',
  evolinkapikey: 'EVOLINK_API_KEY',
  accesskeyid: 'AWS_ACCESS_KEY_ID',
  awsaccesskeyid: 'AWS_ACCESS_KEY_ID',
  secretaccesskey: 'AWS_SECRET_ACCESS_KEY',
  awssecretaccesskey: 'AWS_SECRET_ACCESS_KEY',
  sessiontoken: 'AWS_SESSION_TOKEN',
  awssessiontoken: 'AWS_SESSION_TOKEN',
};

const KNOWN = new Set(SETTINGS.map(settingKey));
/** The keys of switches, which a config file turns off with false. */
const NEGATABLE = new Set(SETTINGS.filter((s) => s.kind !== 'value').map(settingKey));
const EXCLUDED_BY_KEY = new Map(EXCLUDED.map((e) => [settingKey(e), e]));

/** 'api-base' or 'apiBase' → 'apiBase': a key may be the flag's long name as written or in camelCase. */
export function camelKey(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_all, c: string) => c.toUpperCase());
}

/** Whether a section's command (`fix`, `queue`) takes the setting: its own flag or a global one. */
function sectionTakes(section: string, key: string): boolean {
  return SETTINGS.some((s) => settingKey(s) === key && s.commands.some((c) => c === GLOBAL || c === section || c.startsWith(`${section} `)));
}

/**
 * Pure: a parsed config file's data checked key by key. `file` is how messages name it. Every refusal is one usage
 * error naming the file and the key: an unknown key (with the closest one), a flag that is never a setting, a secret,
 * a URL with a password, a value of the wrong shape, the same setting twice.
 */
export function configValues(data: unknown, file: string): ConfigValues {
  if (!isPlainObject(data)) throw new UsageError(`${file}: a config file holds one object of settings (key: value), not ${shapeOf(data)}`);
  const top = new Map<string, ConfigSetting>();
  const sections = new Map<string, Map<string, ConfigSetting>>();
  const seen = new Map<string, string>();
  for (const [written, value] of Object.entries(data)) {
    if (isPlainObject(value) && (SECTIONS as readonly string[]).includes(written)) {
      sections.set(written, sectionValues(value, written, file));
      continue;
    }
    // a command's name that is no setting (fix, upload…) holds that command's settings: an object
    if ((SECTIONS as readonly string[]).includes(written) && !KNOWN.has(written)) throw new UsageError(`${file}: ${written} is a section (settings for the ${written} command): give it an object, not ${shapeOf(value)}`);
    const key = checkedKey(written, file, written, (k) => KNOWN.has(k), [...KNOWN, ...SECTIONS]);
    twice(seen, key, written, file);
    const setting = settingValue(value, key, written, file);
    if (setting) top.set(key, setting);
  }
  return { top, sections };
}

function sectionValues(data: Record<string, unknown>, section: string, file: string): Map<string, ConfigSetting> {
  const values = new Map<string, ConfigSetting>();
  const seen = new Map<string, string>();
  const own = [...KNOWN].filter((k) => sectionTakes(section, k));
  for (const [written, value] of Object.entries(data)) {
    const keyPath = `${section}.${written}`;
    const key = checkedKey(written, file, keyPath, (k) => own.includes(k), own);
    twice(seen, key, keyPath, file);
    const setting = settingValue(value, key, keyPath, file);
    if (setting) values.set(key, setting);
  }
  return values;
}

/** The key in camelCase, or a usage error saying why it is not a setting here. */
function checkedKey(written: string, file: string, keyPath: string, takes: (key: string) => boolean, candidates: readonly string[]): string {
  const folded = written.toLowerCase().replace(/[^a-z0-9]/g, '');
  const secret = SECRET_KEYS[folded];
  if (secret) throw new UsageError(`${file}: ${keyPath} is a secret: set ${secret} in the environment instead, so it never ends up in a file that may be committed`);
  const key = camelKey(written);
  if (takes(key)) return key;
  const excluded = EXCLUDED_BY_KEY.get(key);
  if (excluded) throw new UsageError(`${file}: ${keyPath} cannot be set in a config file (${excluded.flag} ${excluded.why})`);
  if (KNOWN.has(key)) {
    const section = keyPath.split('.')[0]!;
    throw new UsageError(`${file}: ${keyPath}: ${section === 'queue' ? 'the queue commands take' : `${section} takes`} no ${flagOf(key)} option`);
  }
  // a switch is named without no-: no-cache: true is cache: false
  const positive = key.replace(/^no([A-Z])/, (_all, c: string) => c.toLowerCase());
  if (positive !== key && NEGATABLE.has(positive)) throw new UsageError(`${file}: ${keyPath} is not a setting: a config file names a switch without no-: write ${positive}: false`);
  const near = didYouMean(key, candidates);
  throw new UsageError(`${file}: ${keyPath} is not a setting${near ? `; did you mean ${near}?` : ' (a setting is a flag\'s long name, such as concurrency or apiBase, or a section named for a command, such as fix)'}`);
}

function twice(seen: Map<string, string>, key: string, keyPath: string, file: string): void {
  const before = seen.get(key);
  if (before !== undefined) throw new UsageError(`${file}: ${keyPath} and ${before} are the same setting: keep one`);
  seen.set(key, keyPath);
}

/** A value of a setting's shape (null: not set), or a usage error. */
function settingValue(value: unknown, key: string, keyPath: string, file: string): ConfigSetting | null {
  if (value === null) return null;
  const spec = SETTINGS.find((s) => settingKey(s) === key)!;
  if (Array.isArray(value) && spec.list && value.every((item) => typeof item === 'string')) return { keyPath, value: value as string[] };
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new UsageError(`${file}: ${keyPath} must be ${spec.list ? 'a text, a number or a list of texts' : spec.kind === 'value' ? 'a text or a number' : 'true or false'}, not ${shapeOf(value)}`);
  }
  if (typeof value === 'string' && hasCredentials(value)) {
    throw new UsageError(`${file}: ${keyPath} holds a URL with credentials (user:password@ or user@): set ${settingEnv(spec)} in the environment instead, so it never ends up in a file that may be committed`);
  }
  return { keyPath, value };
}

/** The value of `key` for a command whose first word is `section`: its section's, else the file's own. */
export function configValueFor(values: ConfigValues, key: string, section: string): ConfigSetting | undefined {
  return values.sections.get(section)?.get(key) ?? values.top.get(key);
}

function flagOf(key: string): string {
  return (SETTINGS.find((s) => settingKey(s) === key) as SettingSpec).flag;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
