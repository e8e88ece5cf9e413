import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedFixtures, FIXTURES_DIR } from './helpers/fixture-manifest.js';

describe('fixtures/README.md is the manifest of the committed fixtures', () => {
  it('every file it lists exists with the bytes it records', () => {
    const listed = committedFixtures();
    expect(listed.length).toBe(79);
    for (const fixture of listed) expect([fixture.name, statSync(fixture.path).size]).toEqual([fixture.name, fixture.bytes]);
  });

  it('every media file in fixtures/media is listed (a file added without its recipe fails here)', () => {
    const listed = new Set(committedFixtures().map((f) => f.name));
    const present = readdirSync(join(FIXTURES_DIR, 'media'), { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => `media/${e.name}`);
    expect(present.filter((name) => !listed.has(name))).toEqual([]);
  });
});
