import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderLimitsDocument } from '../../scripts/limits/render-limits.js';
import { LIMIT_UNITS, RULE_LIMITS, type LimitPath } from '../../scripts/limits/rule-limits.js';
import { RULES } from '../../src/check/rule-catalog.js';
import { BUILTIN_PROFILES } from '../../src/spec/builtin-profiles.js';
import { cite, parseCitation } from '../../src/spec/cite.js';
import { loadProfile } from '../../src/spec/load-profile.js';
import type { Limit, Profile } from '../../src/spec/profile.js';
import { READINGS } from '../../src/spec/readings.js';
import { RULE_BASIS, ruleSource, type BasisRule } from '../../src/spec/rule-sources.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCUMENT = join(ROOT, 'docs/LIMITS.md');
const committed = readFileSync(DOCUMENT);
const text = committed.toString('utf8');
const RULE_IDS = Object.keys(RULES);
const READING_ANCHORS = READINGS.map((r) => `reading.${r.id}`);

/** Every anchor the document defines, in order. */
const anchors = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!);

/** Every limit of a profile with its path ("video.pixels", "bytesPerMB"). */
function limitsOf(profile: Profile): Array<[string, Limit<unknown>]> {
  const out: Array<[string, Limit<unknown>]> = [['bytesPerMB', profile.bytesPerMB]];
  for (const section of ['image', 'video', 'audio', 'request'] as const) {
    for (const [key, limit] of Object.entries(profile[section])) out.push([`${section}.${key}`, limit as Limit<unknown>]);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('docs/LIMITS.md', () => {
  it('is exactly what the generator writes from the profiles and the rule catalog', () => {
    const rendered = renderLimitsDocument();
    const stale = 'docs/LIMITS.md is out of date with src/spec and src/check/rule-catalog.ts: run `npm run docs:limits` and commit docs/LIMITS.md';
    expect(text, stale).toBe(rendered);
    expect(committed.equals(Buffer.from(rendered, 'utf8')), stale).toBe(true);
  });

  it('has one section per rule id of the catalog, anchored by the id, then the readings and output sizes; no anchor twice', () => {
    expect(anchors).toEqual([...RULE_IDS, ...READING_ANCHORS, 'output_sizes']);
    for (const id of RULE_IDS) expect(text).toContain(`### <a id="${id}"></a>\`${id}\`\n\n${RULES[id as keyof typeof RULES].title}.\n`);
  });

  it('gives every rule a provenance: a profile limit or a basis, and names only rules of the catalog', () => {
    expect(RULE_IDS.filter((id) => !(id in RULE_LIMITS) && !(id in RULE_BASIS))).toEqual([]);
    const named = [...Object.keys(RULE_LIMITS), ...Object.keys(RULE_BASIS), ...READINGS.flatMap((r) => r.rules)];
    expect(named.filter((id) => !RULE_IDS.includes(id))).toEqual([]);
    expect(text).not.toContain('Basis: none recorded.');
  });

  it('knows a unit for every limit a profile holds, and every limit it names exists', () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) expect(limitsOf(profile).map(([path]) => path).sort()).toEqual(Object.keys(LIMIT_UNITS).sort());
    const shown = new Set(Object.values(RULE_LIMITS).flat());
    // every limit is shown under a rule: none is checked without being documented
    expect(Object.keys(LIMIT_UNITS).filter((path) => !shown.has(path as LimitPath))).toEqual([]);
  });

  it('ships in the package and has a command that regenerates it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    expect(pkg.files).toContain('docs');
    expect(pkg.scripts['docs:limits']).toBe('tsx scripts/gen-limits.ts');
  });

  it('says where the package holds copies of the provider documents, and those copies are in the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    for (const copy of ['src/sandbox/openapi/reference-to-video.yaml', 'src/sandbox/openapi/text-to-video.yaml']) {
      expect(text).toContain(`\`${copy}\``);
      expect(pkg.files.some((entry) => copy.startsWith(`${entry}/`))).toBe(true);
      expect(readFileSync(join(ROOT, copy), 'utf8')).toMatch(/^openapi: 3\.1\.0\n/);
    }
  });
});

describe('sources cite the shipped document', () => {
  it('cite() and parseCitation() are inverses; other text is no citation', () => {
    expect(cite('video.fps', 'seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS')).toBe('docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS');
    expect(parseCitation('docs/LIMITS.md#video.fps; a; b')).toEqual({ anchor: 'video.fps', basis: 'a; b' });
    expect(parseCitation('LIMITS.md video.fps; a')).toBeNull();
    expect(parseCitation('our account')).toBeNull();
    expect(parseCitation('docs/LIMITS.md#video.fps')).toBeNull();
  });

  it('parseCitation reads back whatever cite() writes, and nothing that does not start with the document', () => {
    const anchorArb = fc.stringMatching(/^[a-z0-9_.]{1,40}$/);
    const basisArb = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' });
    fc.assert(
      fc.property(anchorArb, basisArb, (anchorId, basis) => {
        expect(parseCitation(cite(anchorId, basis))).toEqual({ anchor: anchorId, basis });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (other) => {
        fc.pre(!other.startsWith('docs/LIMITS.md#'));
        expect(parseCitation(other)).toBeNull();
      }),
    );
  });

  it('every source a built-in profile carries cites docs/LIMITS.md at the section of a rule that holds it, or a reading', () => {
    const wrong: string[] = [];
    for (const [name, profile] of Object.entries(BUILTIN_PROFILES)) {
      for (const [path, limit] of limitsOf(profile)) {
        const citation = parseCitation(limit.source);
        const rules = Object.keys(RULE_LIMITS).filter((rule) => RULE_LIMITS[rule]!.includes(path as LimitPath));
        if (!citation || !(rules.includes(citation.anchor) || READING_ANCHORS.includes(citation.anchor))) wrong.push(`${name} ${path}: ${limit.source}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the shipped profile files cite it too, and load as the built-in profile of their name', async () => {
    const files = readdirSync(join(ROOT, 'profiles')).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(['strict-927k.json']);
    for (const file of files) {
      const profile = await loadProfile(join(ROOT, 'profiles', file));
      const builtin = BUILTIN_PROFILES[profile.name]!;
      expect(limitsOf(profile)).toEqual(limitsOf(builtin));
      for (const [, limit] of limitsOf(profile)) expect(anchors).toContain(parseCitation(limit.source)?.anchor);
    }
  });

  it('every rule without a profile limit cites its own section', () => {
    for (const rule of Object.keys(RULE_BASIS) as BasisRule[]) expect(ruleSource(rule)).toBe(`docs/LIMITS.md#${rule}; ${RULE_BASIS[rule]}`);
  });

  it('src/ names LIMITS.md only as docs/LIMITS.md, and every section it cites exists', () => {
    const bare: string[] = [];
    const missing: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/(.{0,5})LIMITS\.md(#[a-z0-9_.]+)?/g)) {
        const where = `${file.slice(ROOT.length)}: ${m[0]}`;
        if (!m[1]!.endsWith('docs/')) bare.push(where);
        if (m[2] && !anchors.includes(m[2].slice(1))) missing.push(where);
      }
    }
    expect(bare).toEqual([]);
    expect(missing).toEqual([]);
  });
});
