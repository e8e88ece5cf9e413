import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/run-cli.js';
import { terminalSettings } from '../../../src/cli/terminal/terminal.js';

describe('the terminal options', () => {
  it.each([
    [{}, { quiet: false, verbose: false, progress: true, color: true }],
    [{ quiet: true, progress: true, color: true }, { quiet: true, verbose: false, progress: true, color: true }],
    [{ verbose: true, progress: false, color: false }, { quiet: false, verbose: true, progress: false, color: false }],
  ])('%j → %j', (options, expected) => {
    expect(terminalSettings(options)).toEqual(expected);
  });

  it('refuses -q with -v in one line, exit 2, before the command runs', async () => {
    expect(await cli(['-q', '-v', 'check', 'nowhere.mp4'])).toEqual({ code: 2, stdout: '', stderr: 'seedance-preflight: -q/--quiet and -v/--verbose exclude each other: give one\n' });
  });

  it('lists each option in the help with what it does', async () => {
    const help = (await cli(['batch', '--help'])).stdout;
    expect(help).toContain('-q, --quiet');
    expect(help).toContain('print errors and the summary only');
    expect(help).toContain('-v, --verbose');
    expect(help).toContain('--no-progress');
    expect(help).toContain('--no-color');
  });
});
