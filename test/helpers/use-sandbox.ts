import './isolated-sandbox-dir.js';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/start-sandbox.js';
import { tempDir } from './fixtures.js';

/** A test file's sandbox and temporary directory; read them in hooks and tests, once the file's beforeAll has run. */
export interface SandboxContext {
  readonly sandbox: Sandbox;
  readonly dir: string;
}

/**
 * Registers a beforeAll that starts a sandbox (with `options`) and makes a temporary directory named from `prefix`,
 * and an afterAll that closes the one and removes the other. Call it before the file's own hooks: its beforeAll then
 * runs first and its afterAll last (vitest runs afterAll hooks in reverse order), so they all see a live sandbox.
 */
export function useSandbox(prefix: string, options: SandboxOptions = {}): SandboxContext {
  let sandbox: Sandbox | undefined;
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
    temp = await tempDir(prefix);
  });
  afterAll(async () => {
    try {
      await sandbox?.close();
    } finally {
      await temp?.cleanup();
    }
  });
  const notYet = (what: string) => new Error(`useSandbox('${prefix}'): the ${what} is read before its beforeAll ran; read it in a hook or a test`);
  return {
    get sandbox() {
      if (!sandbox) throw notYet('sandbox');
      return sandbox;
    },
    get dir() {
      if (!temp) throw notYet('temporary directory');
      return temp.dir;
    },
  };
}
