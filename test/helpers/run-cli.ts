import './isolated-sandbox-dir.js';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { SandboxContext } from './use-sandbox.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command line in-process with captured output; the probe cache goes to `cacheDir` (or is off). */
export async function cli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { ...process.env, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}

export interface SandboxCli {
  /** Runs the command line in the sandbox's directory with `env` (default: the sandbox's variables), and records the run. */
  run(args: string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  /** Every run so far. */
  runs: CliRun[];
}

/**
 * The command line against a sandbox from useSandbox, run in its directory; with `probeCache`, the probe cache goes to
 * <dir>/cache. Registers an afterAll checking that the sandbox's API key is in no output of any run of the file; call
 * it after useSandbox, so that check runs before the sandbox closes.
 */
export function useSandboxCli(box: SandboxContext, options: { probeCache?: boolean } = {}): SandboxCli {
  const runs: CliRun[] = [];
  afterAll(() => {
    // the key is in no output of any run of this file
    for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toContain(box.sandbox.apiKey);
  });
  return {
    runs,
    async run(args, env = box.sandbox.env) {
      const result = await cli(args, { env: options.probeCache ? { ...env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') } : { ...env }, cwd: box.dir });
      runs.push(result);
      return result;
    },
  };
}
