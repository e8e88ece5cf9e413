import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { cli } from '../helpers/run-cli.js';

const quiet = { stdout: () => {}, stderr: () => {}, env: process.env, cwd: process.cwd(), stderrIsTTY: false };

/** Every command of the parser with the words that name it ("queue status"), all the way down. */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...commandsOf(sub, [...path, sub.name()])]);
}

// the options are read from the parser itself, so a new flag without a place in --help fails here
const program = await buildProgram(quiet, () => {});
const globals = program.options.filter((o) => !o.hidden).map((o) => o.long!);
const rows = commandsOf(program).filter(({ command }) => command.commands.length === 0);

describe('every subcommand --help lists every option its parser accepts, the global ones included', () => {
  it('knows every command', () => {
    expect(rows.map((r) => r.path.join(' '))).toEqual(['check', 'fix', 'upload', 'submit', 'run', 'batch', 'worker', 'queue status', 'queue retry', 'queue clean', 'queue drain', 'status', 'wait', 'sandbox', 'doctor']);
  });

  it.each(rows.map((r) => [r.path.join(' '), r] as const))('%s', async (_name, { path, command }) => {
    const { code, stdout } = await cli([...path, '--help']);
    expect(code).toBe(0);
    const listed = new Set(stdout.match(/(?<=^ {2}(?:-\w, )?)--[\w-]+/gm));
    const own = command.options.filter((o) => !o.hidden).map((o) => o.long!);
    expect([...own, ...globals].filter((flag) => !listed.has(flag))).toEqual([]);
    expect(stdout).toContain('\nGlobal Options:\n');
    // and at least one example of the command itself
    expect(stdout).toMatch(new RegExp(`\\nExamples:\\n  seedance-preflight (--json )?${path.join(' ')}\\b`));
  });

  it('queue, which only groups commands, shows examples of them too', async () => {
    const { stdout } = await cli(['queue', '--help']);
    expect(stdout).toContain('\nExamples:\n  seedance-preflight queue status --queue redis://127.0.0.1:6379\n');
  });

  it('descriptions are wrapped by sentence, never broken mid-sentence by the source', async () => {
    const { stdout } = await cli(['batch', '--help']);
    expect(stdout).toContain('and runs each one like `run`, each with its own journal: a re-run after\n');
  });
});
