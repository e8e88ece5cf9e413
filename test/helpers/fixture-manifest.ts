import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The fixtures folder. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface CommittedFixture {
  /** Relative to fixtures/: "media/vfr.mp4", "demo/clip.webm". */
  name: string;
  path: string;
  bytes: number;
}

/**
 * The committed fixtures, as fixtures/README.md records them (one table row each: file, what, made with, bytes): tests
 * list fixtures from here, never from a directory listing, so whatever a demo run or a user leaves in fixtures/ is no fixture.
 */
export function committedFixtures(): CommittedFixture[] {
  const readme = readFileSync(join(FIXTURES_DIR, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `([^`]+)` \|.*\| ([\d,]+) \|$/gm)].map(([, file, bytes]) => {
    const name = file!.includes('/') ? file! : `media/${file}`;
    return { name, path: join(FIXTURES_DIR, name), bytes: Number(bytes!.replace(/,/g, '')) };
  });
}
