/**
 * The check bench's second folder: every committed fixture (fixtures/media and the demo's media), the real-shaped ones
 * included, each copied three times: the formats, defects and fallbacks users bring, rather than ten clean sources.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const fixtureMixDir = join(tmpdir(), 'seedance-bench-check-fixtures');
const COPIES = 3;

function sources(): string[] {
  return [
    ...readdirSync(join(fixtures, 'media')).map((name) => join(fixtures, 'media', name)),
    ...readdirSync(join(fixtures, 'demo')).filter((name) => extname(name) !== '.json').map((name) => join(fixtures, 'demo', name)),
  ].sort();
}

/** The copies, made once and reused while the folder still holds exactly that many. */
export function ensureFixtureMix(): string[] {
  const originals = sources();
  if (!existsSync(fixtureMixDir) || readdirSync(fixtureMixDir).length !== originals.length * COPIES) {
    rmSync(fixtureMixDir, { recursive: true, force: true });
    mkdirSync(fixtureMixDir, { recursive: true });
    for (const path of originals) {
      const name = path.split('/').pop()!;
      for (let copy = 1; copy <= COPIES; copy++) copyFileSync(path, join(fixtureMixDir, `${copy}-${name}`));
    }
  }
  return readdirSync(fixtureMixDir).sort().map((name) => join(fixtureMixDir, name));
}
