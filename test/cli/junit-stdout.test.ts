import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { cli } from '../helpers/run-cli.js';

/** `--junit -` writes the XML to standard output (as `-` means for most tools), never to a file named "-". */
let base: string;
let cleanup: () => Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('sp-junit-stdout-'));
  await copyDemo(join(base, 'jobs', 'a'));
  await mkdir(join(base, 'empty'));
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(base, 'cache'), SEEDANCE_CACHE_DIR: join(base, 'cache') };
});
afterAll(() => cleanup());

const TWO_DOCUMENTS = 'seedance-preflight: --junit - and --json both write to standard output: give --junit a FILE, or leave out --json\n';

describe('--junit -', () => {
  it('check: standard output holds the XML alone, the text report goes to stderr, no file "-" is made', async () => {
    const run = await cli(['check', 'jobs/a', '--junit', '-'], { cwd: base, env });
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(run.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
    expect(run.stdout).toContain('<testcase classname="jobs/a/clip.webm" name="video.fps">');
    expect(run.stderr.split('\n')[0]).toBe('✗ jobs/a/banner.png  image · PNG 3000×1000 · 41.78 KB');
    expect(run.stderr).toContain('FAILED: 3 files checked: 0 ok, 3 failing; 5 errors, 0 warnings (5 fixable: run seedance-preflight fix)\n');
    expect(existsSync(join(base, '-'))).toBe(false);
  });

  it('check --json --junit -: a usage error before any work, one line', async () => {
    expect(await cli(['--json', 'check', 'jobs/a', '--junit', '-'], { cwd: base, env })).toEqual({ code: 2, stdout: '', stderr: TWO_DOCUMENTS });
  });

  it('batch --dry-run: the XML on standard output with each job named from the command\'s folder, the table on stderr', async () => {
    const run = await cli(['batch', '--dry-run', 'jobs', '--junit', '-'], { cwd: base, env });
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(run.stdout).toContain('<testcase classname="job" name="jobs/a"/>');
    expect(run.stderr).toContain('job     outcome  fixed  task  result\njobs/a  done     3      -     dry run\n1 of 1 jobs done.\n');
    expect(existsSync(join(base, '-'))).toBe(false);
  });

  it('batch --json --junit -: a usage error before any work, one line (--queue too)', async () => {
    expect(await cli(['--json', 'batch', '--dry-run', 'jobs', '--junit', '-'], { cwd: base, env })).toEqual({ code: 2, stdout: '', stderr: TWO_DOCUMENTS });
    expect(await cli(['--json', 'batch', 'jobs', '--queue', 'redis://127.0.0.1:1', '--junit', '-'], { cwd: base, env })).toEqual({ code: 2, stdout: '', stderr: TWO_DOCUMENTS });
  });

  it('a file named FILE is still written as before', async () => {
    const run = await cli(['check', 'jobs/a', '--junit', 'check.xml'], { cwd: base, env });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('✗ jobs/a/banner.png  image · PNG 3000×1000 · 41.78 KB');
    expect(existsSync(join(base, 'check.xml'))).toBe(true);
  });
});
