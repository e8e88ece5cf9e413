import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** Every relative import target of the .ts files in one src folder, its subfolders' as the folder's own (`../` counted from the top). */
function importsOf(folder: string): string[] {
  const dir = join(SRC, folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      const up = '../'.repeat(name.split('/').length - 1);
      return [...readFileSync(join(dir, name), 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => `${folder}/${name}: ${m[1]!.startsWith(up) ? m[1]!.slice(up.length).replace(/^(?!\.)/, './') : m[1]}`);
    });
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

describe('layers: the API client and the stages below the pipeline know no jobs', () => {
  it.each(['submit', 'upload', 'check', 'probe', 'spec', 'shared'])('src/%s imports nothing from the pipeline, the CLI or the report', (folder) => {
    expect(importsOf(folder).filter((i) => /\.\.\/(pipeline|cli|report)\//.test(i))).toEqual([]);
  });
});
