import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli-process.js';

const MODULE = fileURLToPath(new URL('../../src/cli/unexpected-end.ts', import.meta.url));
const KEY = 'sk-planted-key-5f2e91';

/** A real process that ends through endUnexpectedly (as an uncaught exception does) with a message quoting a URL with credentials and the key. */
function endWith(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const script = `const { endUnexpectedly } = await import(${JSON.stringify(MODULE)}); endUnexpectedly(new Error('boom at http://u:pw@h/ with ' + process.env.EVOLINK_API_KEY));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, env: { ...process.env, EVOLINK_API_KEY: KEY, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('endUnexpectedly writes past the io wrapper, under the same policy', () => {
  it('URL credentials and the API key are masked; exit 1', async () => {
    expect(await endWith({ SEEDANCE_DEBUG: '' })).toEqual({ code: 1, stderr: 'seedance-preflight: unexpected error: boom at http://***@h/ with *** (set SEEDANCE_DEBUG=1 for the stack)\n' });
  });

  it('with SEEDANCE_DEBUG=1 the stack too (it repeats the message)', async () => {
    const { code, stderr } = await endWith({ SEEDANCE_DEBUG: '1' });
    expect(code).toBe(1);
    expect(stderr.startsWith('seedance-preflight: unexpected error: boom at http://***@h/ with ***\nError: boom at http://***@h/ with ***\n')).toBe(true);
    expect(stderr).not.toContain(KEY);
    expect(stderr).not.toContain('u:pw@');
  });
});
