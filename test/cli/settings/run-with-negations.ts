import { CommanderError } from 'commander';
import { buildProgram } from '../../../src/cli/main.js';
import { UsageError } from '../../../src/cli/io.js';
import { addSwitchNegations } from '../../../src/cli/settings/switch-negations.js';

/**
 * The command line run in-process as runCli runs it, with the --no-<switch> flags added (the line the lead adds to
 * buildProgram; calling it again there is a no-op), so these tests pass before and after it.
 */
export async function runWithNegations(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }> {
  let [stdout, stderr, code] = ['', '', 0];
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: { ...process.env, ...options.env }, cwd: options.cwd, stderrIsTTY: false };
  const program = await buildProgram(io, (c) => void (code = c));
  addSwitchNegations(program);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, stdout, stderr };
    if (!(error instanceof UsageError)) throw error;
    stderr += `seedance-preflight: ${error.message}\n`;
    return { code: 2, stdout, stderr };
  }
  return { code, stdout, stderr };
}
