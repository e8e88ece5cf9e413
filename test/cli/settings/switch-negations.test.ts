import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';
import { addSwitchNegations, isSwitchNegation } from '../../../src/cli/settings/switch-negations.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { copyDemo } from '../../helpers/sandbox-job.js';
import { projectFolder } from './project-folder.js';
import { runWithNegations } from './run-with-negations.js';

const { dir, cleanup } = await tempDir('sp-negations-');
afterAll(cleanup);

const quiet = { stdout: () => {}, stderr: () => {}, env: {}, cwd: dir, stderrIsTTY: false };
const commandsOf = (command: Command): Command[] => [command, ...command.commands.flatMap(commandsOf)];
const wordsOf = (command: Command) => (command.parent ? command.name() : 'global');

const project = (config: object | null) => projectFolder(dir, config);

describe('addSwitchNegations', () => {
  it('the program has the opposite of every switch a variable or the config file can set, and no other flag', async () => {
    const program = await buildProgram(quiet, () => {});
    const added = commandsOf(program).flatMap((c) => {
      const flags = c.options.filter(isSwitchNegation).map((o) => o.long);
      return flags.length ? [[wordsOf(c), flags]] : [];
    });
    expect(added).toEqual([
      ['global', ['--no-json', '--no-force-path-style', '--no-quiet', '--no-verbose', '--progress', '--color']],
      ['check', ['--no-remote', '--cache', '--no-strict']],
      ['fix', ['--no-dry-run', '--cache', '--no-strict']],
      ['upload', ['--verify']],
      ['submit', ['--no-wait', '--no-dry-run', '--verify-urls']],
      ['run', ['--no-dry-run', '--no-sandbox']],
      ['batch', ['--no-dry-run', '--no-sandbox', '--wait']],
    ]);
    // hidden: each --help lists the options it did
    expect(commandsOf(program).flatMap((c) => c.options.filter(isSwitchNegation)).every((o) => o.hidden)).toBe(true);
  });

  it("leaves every option's default and its source as the switch alone gives them", async () => {
    const program = await buildProgram(quiet, () => {});
    // a --x switch stays unset, a --no-x switch stays true; both from commander's defaults, never from the opposite
    const state = commandsOf(program).flatMap((c) =>
      c.options.filter(isSwitchNegation).map((o) => [wordsOf(c), o.long, c.getOptionValue(o.attributeName()), c.getOptionValueSource(o.attributeName()) ?? null]),
    );
    expect(state.filter(([, flag]) => String(flag).startsWith('--no-')).every(([, , value, source]) => value === undefined && source === null)).toBe(true);
    expect(state.filter(([, flag]) => !String(flag).startsWith('--no-')).every(([, , value, source]) => value === true && source === 'default')).toBe(true);
    expect(state.length).toBe(21);
  });

  it('once per program: a second call adds nothing', async () => {
    const program = await buildProgram(quiet, () => {});
    addSwitchNegations(program);
    const count = commandsOf(program).map((c) => c.options.length);
    addSwitchNegations(program);
    expect(commandsOf(program).map((c) => c.options.length)).toEqual(count);
  });

  it('--help says once how to turn a switch off, and lists no added flag', async () => {
    const run = await runWithNegations(['check', '--help'], { cwd: project(null) });
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n\nEvery switch can be turned off with --no-<switch> (--no-strict), and a --no- switch\nturned back on with --<switch> (--cache): the command line beats a variable and the config file.\n')).toBe(true);
    expect(run.stdout.match(/^ {2}--no-strict/m)).toBeNull();
    expect(run.stdout.split('Every switch can').length).toBe(2);
  });
});

interface Seen {
  value: unknown;
  source: string | undefined;
}

/** `name x ARGS` (`name ARGS` for a command with no operand) with negations, through the real settings hook, as its action sees `key`. */
async function sees(name: string, args: string[], env: Record<string, string>, config: object | null, key: string): Promise<Seen> {
  const program = await buildProgram({ ...quiet, env, cwd: project(config) }, () => {});
  addSwitchNegations(program);
  let seen: Seen | undefined;
  const target = program.commands.find((c) => c.name() === name)!;
  target.action((...given: unknown[]) => {
    const command = given.at(-1) as Command;
    seen = { value: command.optsWithGlobals()[key], source: command.getOptionValueSourceWithGlobals(key) };
  });
  await program.parseAsync([name, ...(target.registeredArguments.length ? ['x'] : []), ...args], { from: 'user' });
  return seen!;
}

// each switch set by its variable and by the config file, turned the other way by the command line
const SWITCHES: Array<[command: string, key: string, variable: string, flag: string, set: boolean, config: object]> = [
  ['check', 'json', 'SEEDANCE_JSON', '--no-json', true, { json: true }],
  ['check', 'strict', 'SEEDANCE_STRICT', '--no-strict', true, { check: { strict: true } }],
  ['check', 'remote', 'SEEDANCE_REMOTE', '--no-remote', true, { remote: true }],
  ['check', 'quiet', 'SEEDANCE_QUIET', '--no-quiet', true, { quiet: true }],
  ['check', 'verbose', 'SEEDANCE_VERBOSE', '--no-verbose', true, { verbose: true }],
  ['check', 'forcePathStyle', 'SEEDANCE_S3_FORCE_PATH_STYLE', '--no-force-path-style', true, { forcePathStyle: true }],
  ['fix', 'dryRun', 'SEEDANCE_DRY_RUN', '--no-dry-run', true, { fix: { dryRun: true } }],
  ['submit', 'wait', 'SEEDANCE_WAIT', '--no-wait', true, { wait: true }],
  ['run', 'sandbox', 'SEEDANCE_SANDBOX', '--no-sandbox', true, { sandbox: true }],
  ['check', 'cache', 'SEEDANCE_CACHE', '--cache', false, { cache: false }],
  ['check', 'progress', 'SEEDANCE_PROGRESS', '--progress', false, { progress: false }],
  ['check', 'color', 'SEEDANCE_COLOR', '--color', false, { color: false }],
  ['upload', 'verify', 'SEEDANCE_VERIFY', '--verify', false, { verify: false }],
  ['submit', 'verifyUrls', 'SEEDANCE_VERIFY_URLS', '--verify-urls', false, { verifyUrls: false }],
];
const ROWS = SWITCHES.flatMap(([command, key, variable, flag, set, config]) => [
  [`${command} ${flag} over ${variable}=${set ? 1 : 0}`, command, key, [flag], { [variable]: set ? '1' : '0' }, null, { value: !set, source: 'cli' }],
  [`${command} ${flag} over the config file`, command, key, [flag], {}, config, { value: !set, source: 'cli' }],
  [`${command} ${flag} over both`, command, key, [flag], { [variable]: set ? '1' : '0' }, config, { value: !set, source: 'cli' }],
  [`${command}: ${variable} alone`, command, key, [], { [variable]: set ? '1' : '0' }, null, variable === 'SEEDANCE_S3_FORCE_PATH_STYLE' ? { value: undefined, source: undefined } : { value: set, source: 'env' }],
  [`${command}: the config file alone`, command, key, [], {}, config, { value: set, source: 'config' }],
] as const);

describe('a switch set by a variable or the config file is turned off (or on) by the command line', () => {
  it.each(ROWS)('%s', async (_name, command, key, args, env, config, expected) => {
    expect(await sees(command, [...args], env, config, key)).toEqual(expected);
  });

  it('batch --wait over wait: false in the file (with --queue, where the setting applies)', async () => {
    expect(await sees('batch', ['--queue', 'redis://q:6379', '--wait'], {}, { batch: { wait: false } }, 'wait')).toEqual({ value: true, source: 'cli' });
    expect(await sees('batch', ['--queue', 'redis://q:6379'], {}, { batch: { wait: false } }, 'wait')).toEqual({ value: false, source: 'config' });
  });
});

describe('a real command uses the settled value, and the command line undoes the file', () => {
  it('check: strict from the config file fails a warning (exit 1); --no-strict passes it (exit 0)', async () => {
    const cwd = project({ check: { strict: true, cache: false } });
    const strict = await runWithNegations(['check', fixture('hevc.mp4')], { cwd });
    expect([strict.code, strict.stdout.split('\n').at(-2)]).toEqual([1, 'FAILED (--strict): 1 file checked: 0 ok, 1 failing; 0 errors, 1 warning']);
    const undone = await runWithNegations(['check', fixture('hevc.mp4'), '--no-strict'], { cwd });
    expect([undone.code, undone.stdout.split('\n').at(-2)]).toEqual([0, 'OK: 1 file checked: 1 ok, 0 failing; 0 errors, 1 warning']);
  });

  it('fix: fit and a dry run from the config file show a crop and write nothing; --no-dry-run writes it', async () => {
    const cwd = project({ fix: { fit: 'crop', dryRun: true, out: 'fixed' } });
    await copyDemo(join(cwd, 'shoot'));
    const env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(cwd, 'cache') };
    const dry = await runWithNegations(['fix', 'shoot/banner.png'], { cwd, env });
    expect(dry.stdout.split('\n')).toEqual([
      '→ shoot/banner.png  convert',
      '    image.aspect_ratio           crop to 2500×1000, 3000×1000 → 2500×1000',
      'Plan (dry run, nothing written): 1 file (0 re-encoded, 0 remuxed, 1 converted).',
      '',
    ]);
    expect([dry.code, existsSync(join(cwd, 'fixed'))]).toEqual([0, false]);
    const real = await runWithNegations(['fix', 'shoot/banner.png', '--no-dry-run'], { cwd, env });
    expect([real.code, real.stdout.split('\n')[0], existsSync(join(cwd, 'fixed', 'banner.png'))]).toEqual([0, '→ shoot/banner.png → fixed/banner.png  convert', true]);
  });
});

