import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, resolveBaseUrl } from '../../src/submit/base-url.js';

describe('resolveBaseUrl: the one place the API base URL is chosen', () => {
  it.each([
    [undefined, {}, 'https://api.evolink.ai'],
    [undefined, { EVOLINK_BASE_URL: 'http://127.0.0.1:4010/' }, 'http://127.0.0.1:4010'],
    ['https://proxy.example/api//', { EVOLINK_BASE_URL: 'http://127.0.0.1:4010' }, 'https://proxy.example/api'],
    [undefined, { EVOLINK_BASE_URL: '' }, 'https://api.evolink.ai'],
    ['  ', { EVOLINK_BASE_URL: ' http://127.0.0.1:4010 ' }, 'http://127.0.0.1:4010'],
  ])('flag %j, env %j → %s', (flag, env, url) => {
    expect(resolveBaseUrl(flag, env)).toBe(url);
  });

  it('defaults to the documented https://api.evolink.ai', () => {
    expect(DEFAULT_BASE_URL).toBe('https://api.evolink.ai');
  });
});

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const inRepo = (path: string) => resolve(REPO, path);

/** The project's modules a module loads at run time (type-only imports are erased), followed transitively; bare packages by name. */
function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?'([^']+)';/gms)) {
      const target = match[1]!;
      if (target.startsWith('.')) visit(resolve(dirname(file), target.replace(/\.js$/, '.ts')));
      else seen.add(target);
    }
  };
  visit(inRepo(entry));
  return seen;
}

describe('start-up stays light', () => {
  it('doctor and the CLI entry reach the default base URL without loading zod or the API client', () => {
    for (const entry of ['src/cli/commands/doctor.ts', 'src/cli/main.ts']) {
      const loaded = runtimeImports(entry);
      expect(loaded.has(inRepo('src/submit/base-url.ts')), entry).toBe(true);
      expect(loaded.has('zod'), entry).toBe(false);
      expect(loaded.has(inRepo('src/submit/client.ts')), entry).toBe(false);
    }
  });

  it('the import walk does see zod where it is loaded (the check above can fail)', () => {
    expect(runtimeImports('src/submit/client.ts').has('zod')).toBe(true);
  });
});
