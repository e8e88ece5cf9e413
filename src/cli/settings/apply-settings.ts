import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/**
 * Fills each option of the command about to run that the command line left unset from its environment variable, then
 * from the config file (flag > env > config > default). Runs before every action (a preAction hook on the program).
 */
export async function applySettings(_root: Command, _action: Command, _io: CliIo): Promise<void> {
  // filled in by the settings work (issue 22, item 2): until then every option keeps commander's own value
}
