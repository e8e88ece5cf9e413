import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';
import { tempDir } from '../../helpers/fixtures.js';

/** Where the config file goes: a folder with .git, so the upward search stops in it whatever lies above. */
const { dir, cleanup } = await tempDir('sp-settings-');
afterAll(cleanup);
let runs = 0;

interface Seen {
  value: unknown;
  source: string | undefined;
}

/**
 * Runs `fix ARGS` through the real parser and the real settings hook, with fix's action replaced by one that reads
 * what a command reads (optsWithGlobals) and where each value came from.
 */
async function fixSees(args: string[], env: Record<string, string>, config: object | null, key: string): Promise<Seen> {
  return (await commandSees('fix', args, env, config, [key]))[key]!;
}

/** `name x ARGS` (`name ARGS` for sandbox, which takes no operand) as the command's action sees `keys`. */
async function commandSees(name: string, args: string[], env: Record<string, string>, config: object | null, keys: string[]): Promise<Record<string, Seen>> {
  const cwd = join(dir, `run-${runs++}`);
  mkdirSync(join(cwd, '.git'), { recursive: true });
  if (config) writeFileSync(join(cwd, 'seedance-preflight.config.json'), JSON.stringify(config));
  const io = { stdout: () => {}, stderr: () => {}, env, cwd, stderrIsTTY: false };
  const program = await buildProgram(io, () => {}, [name]);
  let seen: Record<string, Seen> | undefined;
  program.commands.find((c) => c.name() === name)!.action((...given: unknown[]) => {
    const command = given.at(-1) as Command;
    seen = Object.fromEntries(keys.map((key) => [key, { value: command.optsWithGlobals()[key], source: command.getOptionValueSourceWithGlobals(key) }]));
  });
  await program.parseAsync([name, ...(name === 'sandbox' ? [] : ['x']), ...args], { from: 'user' });
  return seen!;
}

/** One option's value as a flag, a variable and a config file give it, and its default. */
interface Case {
  name: string;
  key: string;
  flag: string[];
  flagValue: unknown;
  env: Record<string, string>;
  envValue: unknown;
  config: object;
  configValue: unknown;
  defaultValue: unknown;
  defaultSource: string | undefined;
}

const dirOf = (n: number) => join(dir, `run-${n}`);
const CASES: Case[] = [
  { name: 'a value (--concurrency)', key: 'concurrency', flag: ['--concurrency', '2'], flagValue: '2', env: { SEEDANCE_CONCURRENCY: '3' }, envValue: '3', config: { concurrency: 4 }, configValue: '4', defaultValue: undefined, defaultSource: undefined },
  { name: 'a value with a default (fix --fit)', key: 'fit', flag: ['--fit', 'crop'], flagValue: 'crop', env: { SEEDANCE_FIT: 'crop' }, envValue: 'crop', config: { fix: { fit: 'crop' } }, configValue: 'crop', defaultValue: 'pad', defaultSource: 'default' },
  { name: 'a switch (--strict)', key: 'strict', flag: ['--strict'], flagValue: true, env: { SEEDANCE_STRICT: 'no' }, envValue: false, config: { strict: true }, configValue: true, defaultValue: undefined, defaultSource: undefined },
  { name: 'a negatable switch (--no-cache)', key: 'cache', flag: ['--no-cache'], flagValue: false, env: { SEEDANCE_CACHE: 'yes' }, envValue: true, config: { cache: false }, configValue: false, defaultValue: true, defaultSource: 'default' },
  { name: 'a global value (--profile)', key: 'profile', flag: ['--profile', 'from-flag'], flagValue: 'from-flag', env: { SEEDANCE_PROFILE: 'seed' }, envValue: 'seed', config: { profile: 'strict-927k' }, configValue: 'strict-927k', defaultValue: undefined, defaultSource: undefined },
];

// every combination of flag / variable / config file for each case: the first given wins, in that order
const ROWS = CASES.flatMap((c) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => {
    const [flag, env, config] = [Boolean(bits & 4), Boolean(bits & 2), Boolean(bits & 1)];
    const expected: Seen = flag ? { value: c.flagValue, source: 'cli' } : env ? { value: c.envValue, source: 'env' } : config ? { value: c.configValue, source: 'config' } : { value: c.defaultValue, source: c.defaultSource };
    return [`${c.name}: ${[flag && 'flag', env && 'env', config && 'config'].filter(Boolean).join(' + ') || 'nothing'}`, c, flag, env, config, expected] as const;
  }),
);

describe('flag > environment variable > config file > default', () => {
  it.each(ROWS)('%s', async (_name, c, flag, env, config, expected) => {
    expect(await fixSees(flag ? c.flag : [], env ? c.env : {}, config ? c.config : null, c.key)).toEqual(expected);
  });

  it("a command's section beats the file's own value; a variable beats both", async () => {
    const config = { fit: 'pad', fix: { fit: 'crop' }, check: { concurrency: 3 } };
    expect(await fixSees([], {}, config, 'fit')).toEqual({ value: 'crop', source: 'config' });
    expect(await fixSees([], { SEEDANCE_FIT: 'pad' }, config, 'fit')).toEqual({ value: 'pad', source: 'env' });
  });

  it("a relative path in a config file is taken from the file's folder; a built-in profile name stays a name", async () => {
    const n = runs;
    expect(await fixSees([], {}, { out: 'fixed' }, 'out')).toEqual({ value: join(dirOf(n), 'fixed'), source: 'config' });
    expect(await fixSees([], {}, { profile: 'strict-927k' }, 'profile')).toEqual({ value: 'strict-927k', source: 'config' });
    expect(await fixSees([], {}, { profile: 'limits/mine.json' }, 'profile')).toEqual({ value: join(dirOf(n + 2), 'limits/mine.json'), source: 'config' });
  });

  it("--junit - from a config file is standard output, not a file named '-'", async () => {
    expect((await commandSees('batch', [], {}, { junit: '-' }, ['junit'])).junit).toEqual({ value: '-', source: 'config' });
  });

  it('an empty variable is an unset one', async () => {
    expect(await fixSees([], { SEEDANCE_CONCURRENCY: '' }, { concurrency: 5 }, 'concurrency')).toEqual({ value: '5', source: 'config' });
  });
});

describe("a setting for one mode of batch is left unused in the other (a flag there stays, for batch to refuse)", () => {
  const KEYS = ['queue', 'queueName', 'mediaConcurrency', 'sandboxDir', 'wait'];
  const config = { queue: 'redis://queue:6379', queueName: 'nightly', mediaConcurrency: 2, sandboxDir: 'sb', wait: false };

  it('a local batch: no queue name, no --no-wait, no sandbox folder without --sandbox; its media concurrency', async () => {
    expect(await commandSees('batch', [], { SEEDANCE_QUEUE_URL: 'redis://env:6379' }, config, KEYS)).toEqual({
      queue: { value: undefined, source: undefined },
      queueName: { value: undefined, source: undefined },
      mediaConcurrency: { value: '2', source: 'config' },
      sandboxDir: { value: undefined, source: undefined },
      wait: { value: true, source: 'default' },
    });
  });

  it('batch --queue (bare): its URL from the file, the queue settings, no local ones', async () => {
    expect(await commandSees('batch', ['--queue'], {}, config, KEYS)).toEqual({
      queue: { value: 'redis://queue:6379', source: 'config' },
      queueName: { value: 'nightly', source: 'config' },
      mediaConcurrency: { value: undefined, source: undefined },
      sandboxDir: { value: undefined, source: undefined },
      wait: { value: false, source: 'config' },
    });
  });

  it('batch --sandbox takes the sandbox folder, from the file\'s folder', async () => {
    const n = runs;
    expect((await commandSees('batch', ['--sandbox'], {}, { sandboxDir: 'sb' }, ['sandboxDir'])).sandboxDir).toEqual({ value: join(dirOf(n), 'sb'), source: 'config' });
  });
});

describe('a hidden earlier name given on the command line is the flag: the setting of the name it stands for stays unused', () => {
  it('run --output beats the file\'s out (no "give it once" error)', async () => {
    expect(await commandSees('run', ['--output', 'given'], {}, { out: 'from-file' }, ['out', 'output'])).toEqual({
      out: { value: undefined, source: undefined },
      output: { value: 'given', source: 'cli' },
    });
  });

  it('sandbox --directory beats the file\'s sandboxDir', async () => {
    const seen = await commandSees('sandbox', ['--directory', 'given'], {}, { sandboxDir: 'from-file' }, ['sandboxDir', 'directory']);
    expect(seen).toEqual({ sandboxDir: { value: undefined, source: undefined }, directory: { value: 'given', source: 'cli' } });
  });
});
