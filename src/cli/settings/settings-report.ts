import { didYouMean } from '../../check/did-you-mean.js';
import { urlForLog } from '../../shared/log-url.js';
import { redactUrls } from '../../shared/redact.js';
import { UsageError } from '../io.js';
import type { ConfigSetting, ConfigValues } from './config-values.js';
import { configValueFor } from './config-values.js';
import { checkSetting, type ConfigSource } from './settle-settings.js';
import { EXCLUDED, OTHER_VARIABLES, OTHER_VARIABLE_PREFIXES, SETTINGS, settingEnv, settingKey } from './setting-table.js';

/** A setting that is not at its default, and where its value comes from. */
export interface SettingRow {
  /** The config key (the flag's name in camelCase). */
  key: string;
  /** The command whose section of the config file gives it; null for every command. */
  section: string | null;
  /** As given, a URL's credentials as ***. */
  value: string;
  source: 'flag' | 'env' | 'config';
  /** The flag, the variable, or FILE: key. */
  from: string;
}

/** One row per setting's key (the first flag of that name stands for it). */
const BY_KEY = [...new Map(SETTINGS.map((s) => [settingKey(s), s])).values()];

/**
 * Pure: every setting given by a flag (`flags`: the program's own options given to this run), a variable or the
 * config file, the winner for each (flag > env > config); a config value is listed for each section that holds one.
 */
export function settingRows(input: { env: NodeJS.ProcessEnv; values: ConfigValues; config: ConfigSource | null; flags: Readonly<Record<string, unknown>> }): SettingRow[] {
  const rows: SettingRow[] = [];
  for (const spec of BY_KEY) {
    const key = settingKey(spec);
    const variable = settingEnv(spec);
    const fromEnv = input.env[variable];
    if (key in input.flags) rows.push({ key, section: null, value: shown(input.flags[key]), source: 'flag', from: spec.flag });
    else if (fromEnv !== undefined && fromEnv.trim() !== '') rows.push({ key, section: null, value: shown(fromEnv), source: 'env', from: variable });
    else if (input.config) {
      const file = input.config.shown;
      const top = input.values.top.get(key);
      if (top) rows.push({ key, section: null, value: shown(top.value), source: 'config', from: `${file}: ${top.keyPath}` });
      for (const [section, values] of input.values.sections) {
        const given = values.get(key);
        if (given) rows.push({ key, section, value: shown(given.value), source: 'config', from: `${file}: ${given.keyPath}` });
      }
    }
  }
  return rows;
}

/**
 * The environment doctor reads its sections from: the config file's values (its own and doctor's section) under the
 * variables the tool has always read, wherever no variable is set; so the S3, API and queue lines show them too.
 */
export function withConfigAsEnv(env: NodeJS.ProcessEnv, values: ConfigValues): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const spec of SETTINGS.filter((s) => s.readBy !== undefined)) {
    const variable = settingEnv(spec);
    const given = configValueFor(values, settingKey(spec), 'doctor');
    if (given && !env[variable]?.trim()) merged[variable] = String(given.value);
  }
  return merged;
}

/**
 * Every value a variable or the config file gives that the setting would refuse, each as the command that takes it
 * would say it: doctor runs every setting's check, not only its own options' (those it settles itself).
 */
export function settingFaults(input: { env: NodeJS.ProcessEnv; values: ConfigValues; config: ConfigSource | null }): string[] {
  const faults: string[] = [];
  const check = (spec: (typeof BY_KEY)[number], raw: ConfigSetting['value'], name: string) => {
    try {
      checkSetting(spec, raw, name);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      faults.push(error.message);
    }
  };
  for (const spec of BY_KEY) {
    const variable = settingEnv(spec);
    const fromEnv = input.env[variable];
    if (fromEnv !== undefined && fromEnv.trim() !== '') check(spec, fromEnv, variable);
    if (!input.config) continue;
    const key = settingKey(spec);
    for (const given of [input.values.top.get(key), ...[...input.values.sections.values()].map((section) => section.get(key))]) {
      if (given) check(spec, given.value, `${input.config.shown}: ${given.keyPath}`);
    }
  }
  return faults;
}

const PREFIX = 'SEEDANCE_';

/** SEEDANCE_ variables set that the tool never reads (a typo: SEEDANCE_CONCURENCY, SEEDANCE_NO_CACHE), each with the name it likely means. */
export function unknownVariables(env: NodeJS.ProcessEnv): Array<{ name: string; didYouMean: string | null }> {
  const switches = new Map(SETTINGS.filter((s) => s.kind !== 'value').map((s) => [settingEnv(s), s]));
  const known = new Set([...SETTINGS.map(settingEnv), ...OTHER_VARIABLES]);
  return Object.keys(env)
    .filter((name) => name.startsWith(PREFIX) && env[name]?.trim() && !known.has(name) && !OTHER_VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => {
      // a switch's variable is named without no-: SEEDANCE_NO_CACHE=1 means SEEDANCE_CACHE=0
      const positive = name.replace(/^SEEDANCE_NO_/, PREFIX);
      if (positive !== name && switches.has(positive)) return { name, didYouMean: `${positive}=0` };
      // compared without the common prefix, which would make any short name look close
      const near = didYouMean(name.slice(PREFIX.length), [...known].filter((k) => k.startsWith(PREFIX)).map((k) => k.slice(PREFIX.length)));
      return { name, didYouMean: near && PREFIX + near };
    });
}

/** The values sections other than doctor's give `key` ({ upload: 'b' }), for doctor's lines when neither the file's top level nor doctor's section does. */
export function sectionValues(values: ConfigValues, key: string): Record<string, string> {
  return Object.fromEntries([...values.sections].flatMap(([section, given]) => (section !== 'doctor' && given.has(key) ? [[section, shown(given.get(key)!.value)]] : [])));
}

/** The flags that never come from a variable or a config file, each once. */
export function excludedFlags(): string[] {
  return [...new Set(EXCLUDED.map((e) => e.flag))];
}

/** As doctor shows a value: a URL's credentials and query secrets (a presigned signature) as ***, as the verbose log does. */
function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  // only a URL has a query to mask: a pattern such as shoot-? stays as written
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? urlForLog(text) : redactUrls(text);
}
