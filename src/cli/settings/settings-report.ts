import { redactUrls } from '../../shared/redact.js';
import type { ConfigValues } from './config-values.js';
import { configValueFor } from './config-values.js';
import type { ConfigSource } from './settle-settings.js';
import { EXCLUDED, SETTINGS, settingEnv, settingKey } from './setting-table.js';

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

/** The flags that never come from a variable or a config file, each once. */
export function excludedFlags(): string[] {
  return [...new Set(EXCLUDED.map((e) => e.flag))];
}

function shown(value: unknown): string {
  return redactUrls(Array.isArray(value) ? value.join(', ') : String(value));
}
