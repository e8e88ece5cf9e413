import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';
import { isSwitchNegation } from '../../../src/cli/settings/switch-negations.js';
import { EXCLUDED, GLOBAL, SETTINGS, settingEnv, settingKey } from '../../../src/cli/settings/setting-table.js';

const quiet = { stdout: () => {}, stderr: () => {}, env: {}, cwd: process.cwd(), stderrIsTTY: false };

/** Every option of the parser with the words of its command (GLOBAL for the program's own). */
function optionsOf(command: Command, path: string[] = []): Array<{ command: string; option: Option }> {
  const here = path.length === 0 ? GLOBAL : path.join(' ');
  return [
    // the opposites addSwitchNegations adds come from the table's switches: they have no row of their own
    ...command.options.filter((option) => !isSwitchNegation(option)).map((option) => ({ command: here, option })),
    ...command.commands.flatMap((sub) => optionsOf(sub, [...path, sub.name()])),
  ];
}

// read from the parser itself: a new flag without a variable and a key, or a reason to have none, fails here
const program = await buildProgram(quiet, () => {});
const options = optionsOf(program);

describe('every flag of every command is a setting or excluded with a reason', () => {
  it.each(options.map(({ command, option }) => [`${command} ${option.long}`, command, option] as const))('%s', (_name, command, option) => {
    const settings = SETTINGS.filter((s) => s.flag === option.long && s.commands.includes(command));
    const excluded = EXCLUDED.filter((e) => e.flag === option.long && e.commands.includes(command));
    expect(settings.length + excluded.length).toBe(1);
    for (const setting of settings) {
      // the table's kind is the parser's: a switch, a negatable switch (--no-x), or a value
      expect(setting.kind).toBe(option.negate ? 'negatable' : option.isBoolean() ? 'switch' : 'value');
      expect(settingKey(setting)).toBe(option.attributeName());
    }
  });

  it('names no flag a command does not have (the table holds no stale rows)', () => {
    const have = new Set(options.map(({ command, option }) => `${command} ${option.long}`));
    const rows = [...SETTINGS, ...EXCLUDED].flatMap((s) => s.commands.map((c) => `${c} ${s.flag}`));
    expect(rows.filter((row) => !have.has(row))).toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('one variable per idea: one key has one variable, one variable one key', () => {
    const pairs = new Set(SETTINGS.map((s) => `${settingKey(s)}=${settingEnv(s)}`));
    const keys = [...pairs].map((p) => p.split('=')[0]);
    const envs = [...pairs].map((p) => p.split('=')[1]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(envs).size).toBe(envs.length);
  });

  it('keeps the variables the tool read before, and derives the others by one rule', () => {
    const env = Object.fromEntries(SETTINGS.map((s) => [s.flag, settingEnv(s)]));
    expect(env).toMatchObject({
      '--api-base': 'EVOLINK_BASE_URL',
      '--endpoint': 'SEEDANCE_S3_ENDPOINT',
      '--force-path-style': 'SEEDANCE_S3_FORCE_PATH_STYLE',
      '--bucket': 'SEEDANCE_S3_BUCKET',
      '--prefix': 'SEEDANCE_S3_PREFIX',
      '--url-mode': 'SEEDANCE_S3_URL_MODE',
      '--expires': 'SEEDANCE_S3_EXPIRES',
      '--public-base-url': 'SEEDANCE_S3_PUBLIC_BASE_URL',
      '--queue': 'SEEDANCE_QUEUE_URL',
      '--encode-timeout': 'SEEDANCE_ENCODE_TIMEOUT',
      '--request-timeout': 'SEEDANCE_REQUEST_TIMEOUT',
      '--sandbox-dir': 'SEEDANCE_SANDBOX_DIR',
      '--concurrency': 'SEEDANCE_CONCURRENCY',
      '--no-cache': 'SEEDANCE_CACHE',
      '--fail-on': 'SEEDANCE_FAIL_ON',
      '--no-wait': 'SEEDANCE_WAIT',
      '--wait': 'SEEDANCE_WAIT',
    });
    for (const s of SETTINGS.filter((s) => s.env === undefined)) expect(settingEnv(s)).toMatch(/^SEEDANCE_[A-Z0-9_]+$/);
  });
});
