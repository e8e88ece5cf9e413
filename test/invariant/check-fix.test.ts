import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { ProbeCache } from '../../src/probe/probe-cache.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { committedFixtures } from '../helpers/fixture-manifest.js';
import { aspectKeptFindings, independentCheck, independentCheckerMissing } from '../helpers/independent-check.js';
import { DEBIAN_FFMPEG, GENERATED, HEIF_ENC, writeGenerated } from './generated.js';
import { DAMAGED, writeBases, writeDamaged } from '../probe/damage/damaged-media.js';
import { UNDECODABLE, writeUndecodable } from '../probe/decodable/undecodable-media.js';

/**
 * The invariant, on every fixture (enumerated now, so files added later are covered) and a few generated
 * real-shaped files: when `check` calls every error of a file fixable (or finds none), `fix` writes an output
 * that an independent checker (Debian's ffprobe, LIMITS.md's own numbers) passes; when `fix` cannot, `check`
 * must not have called it fixable.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A request is not a media file; every other committed fixture is judged, media or not (from the manifest, never a listing). */
const fixtures = committedFixtures()
  .filter((f) => !f.name.endsWith('request.json'))
  .map((f) => `fixtures/${f.name}`)
  .sort();

const makers = [DEBIAN_FFMPEG, HEIF_ENC].filter((tool) => !existsSync(tool));
const missing = independentCheckerMissing() ?? (makers.length ? `${makers.join(' and ')} not found (install Debian's ffmpeg and libheif-examples)` : null);
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (missing && !required) console.log(`check ⇒ fix invariant skipped: ${missing} (set SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE=1 to fail instead)`);

interface Tally {
  files: number;
  /** check found no error */
  clean: number;
  /** check found errors, every one fixable */
  fixable: number;
  /** of clean + fixable: fix's output passed the independent checker */
  conforming: number;
  /** check found an error it calls unfixable */
  unfixable: number;
  /** of unfixable: fix did not claim a fix either */
  agreed: number;
}
const tally: Tally = { files: 0, clean: 0, fixable: 0, conforming: 0, unfixable: 0, agreed: 0 };
/** The damaged set's own counts (test/probe/damage/damaged-media.ts), also in `tally`. */
const damagedTally: Tally = { files: 0, clean: 0, fixable: 0, conforming: 0, unfixable: 0, agreed: 0 };

let dir: string;
let cleanup: () => Promise<void>;
let generatedDir: string;
let damagedDir: string;
let undecodableDir: string;

/** What breaks the invariant for one file, one line each naming the file and the rule; empty when it holds. */
async function invariantBreaches(path: string, shown: string, outDir: string, also?: Tally): Promise<string[]> {
  const tallies = also ? [tally, also] : [tally];
  const count = (key: keyof Tally) => tallies.forEach((t) => t[key]++);
  const cache = ProbeCache.inMemory();
  const checked = await checkTargets({ paths: [path], profile: SEED_PROFILE, cache });
  const file = checked.report.files[0];
  if (!file) return [`${shown}: check returned no report for it`];
  const errors = file.violations.filter((v) => v.severity === 'error');
  const unfixable = errors.filter((v) => !v.fixable);
  const fixed = await fixTargets({ paths: [path], profile: SEED_PROFILE, cache, outDir, concurrency: 1 });
  const result = fixed.jobs[0]?.files[0];
  if (!result) return [`${shown}: fix returned no report for it`];
  count('files');

  if (unfixable.length) {
    count('unfixable');
    if (!result.ok || result.output === null) {
      count('agreed');
      return [];
    }
    return [`${shown}: check called ${unfixable.map((v) => v.rule).join(', ')} unfixable, but fix wrote ${result.output} and called it fixed`];
  }

  if (errors.length) count('fixable');
  else count('clean');
  const called = errors.length ? `check called every error fixable (${errors.map((v) => v.rule).join(', ')})` : 'check found no error';
  if (!result.ok || result.output === null) return [`${shown}: ${called}, but fix failed (rule ${errors[0]?.rule ?? 'none'}): ${result.error ?? 'no output'}`];
  const independent = await independentCheck(result.output);
  const findings = [...independent.findings, ...aspectKeptFindings(await independentCheck(path), independent)];
  const breaches = findings.map((f) => `${shown}: ${called}, but the output ${relative(dir, result.output!)} breaks ${f.rule}: ${f.detail}`);
  if (file.kind && independent.kind !== file.kind) breaches.push(`${shown}: a ${file.kind} came out as ${independent.kind ?? 'no media'} (rule ${file.kind}.format)`);
  if (!breaches.length) count('conforming');
  return breaches;
}

describe.runIf(!missing || required)('check ⇒ fix invariant (independent checker: Debian ffprobe + LIMITS.md)', () => {
  beforeAll(async () => {
    if (missing) throw new Error(`SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE=1, but ${missing}`);
    ({ dir, cleanup } = await tempDir('sp-invariant-'));
    generatedDir = join(dir, 'generated');
    await writeGenerated(generatedDir);
    damagedDir = join(dir, 'damaged');
    await mkdir(join(damagedDir, 'bases'), { recursive: true });
    await writeDamaged(damagedDir, await writeBases(join(damagedDir, 'bases')));
    undecodableDir = join(dir, 'undecodable');
    await mkdir(undecodableDir, { recursive: true });
    await writeUndecodable(undecodableDir);
  });
  afterAll(async () => {
    if (tally.files) {
      console.log(
        `check ⇒ fix invariant: ${tally.files} files; check called ${tally.fixable} fixable and ${tally.clean} conforming; ` +
          `fix made ${tally.conforming} of those ${tally.fixable + tally.clean} pass the independent checker; ` +
          `check called ${tally.unfixable} unfixable, and fix agreed on ${tally.agreed}`,
      );
    }
    if (damagedTally.files) {
      console.log(
        `check ⇒ fix invariant, damaged set: ${damagedTally.files} files; check called ${damagedTally.fixable} fixable and ${damagedTally.clean} conforming, ` +
          `fix made ${damagedTally.conforming} of those pass the independent checker; check called ${damagedTally.unfixable} unfixable, and fix agreed on ${damagedTally.agreed}`,
      );
    }
    await cleanup?.();
  });

  it.each(fixtures)('%s', async (name) => {
    expect(await invariantBreaches(join(ROOT, name), name, join(dir, 'out', name))).toEqual([]);
  }, 180_000);

  it.each(GENERATED.map((g) => g.name))('generated %s', async (name) => {
    expect(await invariantBreaches(join(generatedDir, name), `generated/${name}`, join(dir, 'out', 'generated', name))).toEqual([]);
  }, 180_000);

  it.each(DAMAGED.map((d) => d.name))('damaged %s', async (name) => {
    expect(await invariantBreaches(join(damagedDir, name), `damaged/${name}`, join(dir, 'out', 'damaged', name), damagedTally)).toEqual([]);
  }, 180_000);

  // streams that do not decode (issue 20, item 3): broken extras dropped, an undecodable video or audio file unfixable
  it.each(UNDECODABLE)('undecodable %s', async (name) => {
    expect(await invariantBreaches(join(undecodableDir, name), `undecodable/${name}`, join(dir, 'out', 'undecodable', name))).toEqual([]);
  }, 180_000);
});
