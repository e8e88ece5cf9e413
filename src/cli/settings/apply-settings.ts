import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/**
 * Fills each option of the command about to run that the command line left unset from its environment variable, then
 * from the config file (flag > env > config > default). Runs before every action (a preAction hook on the program).
 */
export async function applySettings(root: Command, action: Command, io: CliIo): Promise<void> {
  // loaded when a command runs, not at start-up: --version and --help never pay for the config file's readers
  const { settleSettings } = await import('./settle-settings.js');
  await settleSettings(root, action, io);
}
