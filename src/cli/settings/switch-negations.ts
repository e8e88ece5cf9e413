import { Option, type Command } from 'commander';
import { GLOBAL, commandPath, findSetting } from './setting-table.js';

/** Said once under every help: the added flags are hidden, so each option's list stays as it was. */
export const NEGATION_HELP = '\nEvery switch can be turned off with --no-<switch> (--no-strict), and a --no- switch\nturned back on with --<switch> (--cache): the command line beats a variable and the config file.';

/**
 * For every switch of `program` and its commands that a variable or the config file can set, the opposite flag:
 * --no-strict for --strict, --cache for --no-cache, hidden from the option lists. Without it, `strict: true` in a
 * config file or SEEDANCE_STRICT=1 could not be undone for one run. Commander keeps the first flag's default (a
 * --no-x added after --x leaves x unset), and either flag given sets the value with source 'cli', which the settings
 * leave alone.
 */
export function addSwitchNegations(program: Command): void {
  // once per program: a test may call it on a program buildProgram already gave them
  if (done.has(program)) return;
  done.add(program);
  for (const command of [program, ...descendants(program)]) {
    const where = command === program ? GLOBAL : commandPath(command);
    for (const option of [...command.options]) {
      const spec = option.long ? findSetting(option.long, where) : undefined;
      if (!spec || spec.kind === 'value') continue;
      const opposite = spec.kind === 'switch' ? `--no-${option.long!.slice(2)}` : `--${option.long!.slice(5)}`;
      if (command.options.some((o) => o.long === opposite)) continue;
      const negation = new Option(opposite, `the opposite of ${option.long}`).hideHelp();
      added.add(negation);
      command.addOption(negation);
    }
  }
  program.addHelpText('afterAll', NEGATION_HELP);
}

const done = new WeakSet<Command>();
const added = new WeakSet<Option>();

/** True for a flag addSwitchNegations added: derived from the setting table, so it has no row of its own. */
export function isSwitchNegation(option: Option): boolean {
  return added.has(option);
}

function descendants(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...descendants(sub)]);
}
