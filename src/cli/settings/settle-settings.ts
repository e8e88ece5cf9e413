import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { displayPath } from '../../shared/display-path.js';
import { UsageError, type CliIo } from '../io.js';
import { checkFoundFile, findConfigFile, readConfigFile } from './config-file.js';
import { NO_CONFIG, configValueFor, configValues, type ConfigSetting, type ConfigValues } from './config-values.js';
import { SETTING_CHECKS } from './setting-checks.js';
import { CONFIG_ENV, EXCLUDED, GLOBAL, commandPath, findSetting, settingEnv, settingKey, type SettingSpec } from './setting-table.js';

/** The config file in use: its path, how messages name it, and what chose it. */
export interface ConfigSource {
  path: string;
  shown: string;
  how: 'flag' | 'env' | 'found';
}

/** What the settings of one run came to: doctor shows it. */
export interface SettledSettings {
  config: ConfigSource | null;
  values: ConfigValues;
}

const settled = new WeakMap<Command, SettledSettings>();

/** The settings settled for the run `command` belongs to (any command of the program), once the hook has run. */
export function settledSettings(command: Command): SettledSettings {
  let root = command;
  while (root.parent) root = root.parent;
  return settled.get(root) ?? { config: null, values: NO_CONFIG };
}

/**
 * For each option of `action` and its ancestors that the command line left unset: its variable if set (not empty),
 * else the config file's value, each through the checks a flag meets, with the source recorded ('env', 'config');
 * else commander's default stays. A variable that the command reads itself (readBy) is left to it, as before.
 */
export async function settleSettings(root: Command, action: Command, io: CliIo): Promise<void> {
  const config = configSource(root, io);
  const values = config ? configValues(await readConfigFile(config.path, config.shown), config.shown) : NO_CONFIG;
  const path = commandPath(action);
  const context = { io, values, path, section: path.split(' ')[0]!, config };
  const changed: Array<{ command: Command; key: string; spec: SettingSpec; before: unknown; source: string | undefined }> = [];
  for (let command: Command | null = action; command; command = command.parent) {
    const where = command === root ? GLOBAL : commandPath(command);
    for (const option of command.options) {
      const spec = option.long ? findSetting(option.long, where) : undefined;
      if (!spec || aliasGiven(command, spec.flag, where)) continue;
      const key = option.attributeName();
      const [before, source] = [command.getOptionValue(key), command.getOptionValueSource(key)];
      if (settleOption(command, option, spec, context)) changed.push({ command, key, spec, before, source });
    }
  }
  // a setting for one mode of the command (batch's local flags, --queue-name with --queue) is left unused in the other
  for (const { command, key, spec, before, source } of changed) {
    const mode = spec.only?.[path];
    if (mode && ('with' in mode ? action.getOptionValue(mode.with) === undefined : action.getOptionValue(mode.without) !== undefined)) {
      command.setOptionValueWithSource(key, before, source);
    }
  }
  settled.set(root, { config, values });
}

interface Context {
  io: CliIo;
  values: ConfigValues;
  /** The running command's words: 'queue status'. */
  path: string;
  section: string;
  config: ConfigSource | null;
}

/** Settles one option; true when it took a value from a variable or the config file. */
function settleOption(command: Command, option: Option, spec: SettingSpec, context: Context): boolean {
  const key = option.attributeName();
  const source = command.getOptionValueSource(key);
  // an option with an optional value (batch --queue [url]) is switched on by the command line only; given bare, its value is settled here
  if (option.optional ? source !== 'cli' || command.getOptionValue(key) !== true : source === 'cli') return false;
  const variable = settingEnv(spec);
  const fromEnv = context.io.env[variable];
  // an empty variable is an unset one (as `VAR= command` leaves it)
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    if (spec.readBy === 'all' || spec.readBy?.includes(context.path)) return false;
    command.setOptionValueWithSource(key, optionValue(option, spec, fromEnv, variable), 'env');
    return true;
  }
  const fromConfig = configValueFor(context.values, settingKey(spec), context.section);
  if (!fromConfig || !context.config) return false;
  command.setOptionValueWithSource(key, configOptionValue(option, spec, fromConfig, context.config), 'config');
  return true;
}

function configOptionValue(option: Option, spec: SettingSpec, setting: ConfigSetting, config: ConfigSource): unknown {
  const folder = dirname(config.path);
  // a relative path in a config file is read from the file's folder, wherever the command runs
  // '-' is standard output (--junit -), not a file
  const located = (text: string) => (text !== '-' && (spec.path === 'file' || (spec.path === 'name-or-file' && /[\\/]|\.json$/i.test(text))) ? resolve(folder, text) : text);
  const value = typeof setting.value === 'string' ? located(setting.value) : Array.isArray(setting.value) ? setting.value.map(located) : setting.value;
  return optionValue(option, spec, value, `${config.shown}: ${setting.keyPath}`);
}

const TRUE_WORDS = ['1', 'true', 'yes'];
const FALSE_WORDS = ['0', 'false', 'no'];

/** The option's value from a variable's text or a config file's value, checked as the flag's is; `name` names the source. */
export function optionValue(option: Option, spec: SettingSpec, raw: string | number | boolean | readonly string[], name: string): unknown {
  if (option.negate || option.isBoolean()) return switchValue(raw, name);
  checkSetting(spec, raw, name, option.flags);
  let value: unknown;
  for (const item of Array.isArray(raw) ? (raw as readonly string[]) : [raw as string | number]) {
    value = option.parseArg ? parsedArg(option, String(item), value, name) : String(item);
  }
  return value;
}

/** Whether a variable's text or a config file's value is one the setting takes (doctor checks every one this way); `flags` names the option in a message. */
export function checkSetting(spec: SettingSpec, raw: string | number | boolean | readonly string[], name: string, flags: string = spec.flag): void {
  if (spec.kind !== 'value') {
    switchValue(raw, name);
    return;
  }
  for (const item of Array.isArray(raw) ? (raw as readonly string[]) : [raw as string | number | boolean]) {
    if (typeof item === 'boolean') throw new UsageError(`${name} takes a value (${flags}), not ${item}`);
    if (spec.check) SETTING_CHECKS[spec.check](String(item), name);
  }
}

/** 1, 0, true, false, yes or no (any case); a config file's true and false as they are. */
export function switchValue(raw: unknown, name: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = String(raw).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new UsageError(`${name} must be 1, 0, true, false, yes or no, not ${JSON.stringify(Array.isArray(raw) ? raw : String(raw))}`);
}

/** The option's own parser (choices, repeatable lists), its refusal said of `name`. */
function parsedArg(option: Option, text: string, previous: unknown, name: string): unknown {
  try {
    return option.parseArg!(text, previous);
  } catch (error) {
    if ((error as { code?: string }).code !== 'commander.invalidArgument') throw error;
    throw new UsageError(option.argChoices ? `${name} must be one of ${option.argChoices.join(', ')}, not ${JSON.stringify(text)}` : `${name}: ${(error as Error).message}`);
  }
}

function configSource(root: Command, io: CliIo): ConfigSource | null {
  // a file named on purpose: one that is not there is said of the flag or variable that named it
  const named = (path: string, how: 'flag' | 'env'): ConfigSource => {
    const by = how === 'flag' ? '--config' : CONFIG_ENV;
    if (path.trim() === '') throw new UsageError(`${by} needs a file name`);
    const source = at(path, how, io.cwd);
    if (!existsSync(source.path)) throw new UsageError(`${by} names ${source.shown}, which does not exist: ${how === 'flag' ? 'give the path of a config file' : `point ${by} at a config file, or unset it`}`);
    return source;
  };
  if (root.getOptionValueSource('config') === 'cli') return named(String(root.getOptionValue('config')), 'flag');
  const fromEnv = io.env[CONFIG_ENV]?.trim();
  if (fromEnv) return named(fromEnv, 'env');
  const found = findConfigFile(io.cwd, io.env.HOME?.trim() || homedir());
  if (!found) return null;
  const source = at(found, 'found', io.cwd);
  checkFoundFile(source.path, source.shown);
  return source;
}

function at(path: string, how: ConfigSource['how'], cwd: string): ConfigSource {
  const absolute = resolve(cwd, path);
  return { path: absolute, shown: displayPath(absolute, cwd), how };
}

/** Whether the command line gave a hidden earlier name of `flag` (run --output for --out): then it is the flag. */
function aliasGiven(command: Command, flag: string, where: string): boolean {
  const aliases = EXCLUDED.filter((e) => e.aliasOf === flag && e.commands.includes(where)).map((e) => e.flag);
  return command.options.some((o) => o.long !== undefined && aliases.includes(o.long) && command.getOptionValueSource(o.attributeName()) === 'cli');
}
