import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** Every relative import target of the .ts files in one src folder. */
function importsOf(folder: string): string[] {
  const dir = join(SRC, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => `${folder}/${name}: ${m[1]}`));
}

describe('layers: the sentences of violations and QC findings sit below the CLI and the report', () => {
  it('src/report imports nothing from src/cli', () => {
    expect(importsOf('report').filter((i) => i.includes('/cli/'))).toEqual([]);
  });

  it('src/text imports neither the CLI nor the report', () => {
    expect(importsOf('text').filter((i) => /\/(cli|report)\//.test(i))).toEqual([]);
  });

  it('the report renders its sentences with src/text, as the CLI does', () => {
    const report = importsOf('report').filter((i) => i.includes('/text/'));
    expect(report).toEqual(['report/build-report-html.ts: ../text/qc-text.js', 'report/build-report-html.ts: ../text/violation-text.js']);
  });
});
