import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Imported for its effect: every --sandbox run and `sandbox` process of a test file (in-process or spawned with
// process.env) keeps its state in a folder of its own, never in the user's cache, and never in another file's.
if (!process.env.SEEDANCE_SANDBOX_DIR) {
  // inside the run's folder (test/global-setup.ts) when there is one, so a stopped worker leaves nothing behind
  const dir = mkdtempSync(join(process.env.SEEDANCE_TEST_TMP ?? tmpdir(), 'seedance-test-sandbox-'));
  process.env.SEEDANCE_SANDBOX_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
