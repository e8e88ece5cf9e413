import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One folder for the whole run, removed at its end: a worker that is stopped by the runner never runs its own 'exit' clean-up.
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'seedance-tests-'));
  process.env.SEEDANCE_TEST_TMP = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
