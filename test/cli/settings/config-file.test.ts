import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/run-cli.js';
import { tempDir } from '../../helpers/fixtures.js';

const { dir, cleanup } = await tempDir('sp-config-');
afterAll(cleanup);
let made = 0;

/** The settings variables of the test's own environment (the sandbox folder, the test run's) emptied: an empty variable is an unset one. */
const CLEAR = Object.fromEntries(Object.keys(process.env).filter((k) => /^(SEEDANCE_|EVOLINK_BASE_URL$)/.test(k)).map((k) => [k, '']));

/** A fresh project folder (its own .git, so the upward search ends in it) with `files` written in it. */
function project(files: Record<string, string>): string {
  const root = join(dir, `p${made++}`);
  mkdirSync(join(root, '.git'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** `fix x` stops at the settings when they are wrong, before it looks for x: the one line it prints, and its exit code. */
async function refusal(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  const run = await cli([...args, 'fix', 'no-such-file'], { cwd, env: { ...CLEAR, ...env } });
  return { code: run.code, stderr: run.stderr };
}

/** The settings lines of doctor --json. */
async function sources(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  const run = await cli(['--json', ...args, 'doctor'], { cwd, env: { ...CLEAR, ...env } });
  return JSON.parse(run.stdout).settingSources as { configFile: { path: string; from: string } | null; values: Array<Record<string, unknown>> };
}

describe('the config file: found upward, or named', () => {
  it('is found in a folder above the working folder, and read as YAML by its name', async () => {
    const root = project({ 'seedance-preflight.config.yaml': 'concurrency: 4\nfix:\n  fit: crop\n', 'jobs/a/.keep': '' });
    expect(await sources(join(root, 'jobs/a'))).toEqual({
      configFile: { path: '../../seedance-preflight.config.yaml', from: 'found' },
      values: [
        { key: 'json', section: null, value: 'true', source: 'flag', from: '--json' },
        { key: 'concurrency', section: null, value: '4', source: 'config', from: '../../seedance-preflight.config.yaml: concurrency' },
        { key: 'fit', section: 'fix', value: 'crop', source: 'config', from: '../../seedance-preflight.config.yaml: fix.fit' },
      ],
      problems: [],
      unknownVariables: [],
      neverFromEnvOrConfig: expect.any(Array),
    });
  });

  it('is not looked for above a folder holding .git', async () => {
    const outer = project({ 'seedance-preflight.config.json': '{"concurrency": 4}' });
    const inner = join(outer, 'repo');
    mkdirSync(join(inner, '.git'), { recursive: true });
    expect((await sources(inner)).configFile).toBeNull();
  });

  it('--config FILE beats SEEDANCE_CONFIG, which beats the file found upward', async () => {
    const root = project({ 'seedance-preflight.config.json': '{"fit": "crop"}', 'a.json': '{"fit": "pad"}', 'b.yml': 'fit: crop\n' });
    expect((await sources(root, { SEEDANCE_CONFIG: 'a.json' }, ['--config', 'b.yml'])).configFile).toEqual({ path: 'b.yml', from: 'flag' });
    expect((await sources(root, { SEEDANCE_CONFIG: 'a.json' })).configFile).toEqual({ path: 'a.json', from: 'env' });
    expect((await sources(root)).configFile).toEqual({ path: 'seedance-preflight.config.json', from: 'found' });
  });
});

describe('a config file found upward is used only when it is yours and writable only by you (it may name the host your API key goes to)', () => {
  const refused = (shown: string, why: string, fix: string) =>
    `seedance-preflight: config file ${shown} was found upward from the working folder, but ${why}; a file found upward must be yours and writable only by you, as it may name the host your API key is sent to: ${fix}\n`;

  it.each([
    [0o666, 'the group and other users may change it (mode 0666)'],
    [0o664, 'the group may change it (mode 0664)'],
    [0o646, 'other users may change it (mode 0646)'],
  ])('mode %o is refused, naming the file and the fix', async (mode, why) => {
    const root = project({ 'seedance-preflight.config.json': '{"fit": "crop"}', 'sub/.keep': '' });
    chmodSync(join(root, 'seedance-preflight.config.json'), mode);
    expect(await refusal(join(root, 'sub'))).toEqual({ code: 2, stderr: refused('../seedance-preflight.config.json', why, 'run chmod go-w ../seedance-preflight.config.json, or name it with --config if you trust it') });
    // named on purpose, the same file is used
    expect((await sources(join(root, 'sub'), {}, ['--config', '../seedance-preflight.config.json'])).configFile).toEqual({ path: '../seedance-preflight.config.json', from: 'flag' });
  });

  it("another user's file is refused, and never reaches the API it names", async (context) => {
    if (process.getuid?.() !== 0) {
      console.log('skipped: making a file owned by another user needs root (chown)');
      context.skip();
    }
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(String(request.headers.authorization));
      response.writeHead(500).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const outer = join(dir, `p${made++}`);
      mkdirSync(join(outer, 'u', 'sub'), { recursive: true });
      writeFileSync(join(outer, 'seedance-preflight.config.json'), JSON.stringify({ apiBase }));
      chownSync(join(outer, 'seedance-preflight.config.json'), 4321, 4321);
      const run = await cli(['status', 't1'], { cwd: join(outer, 'u', 'sub'), env: { ...CLEAR, EVOLINK_API_KEY: 'sk-test-not-sent', HOME: '/nonexistent-home' } });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: refused('../../seedance-preflight.config.json', 'it belongs to another user (uid 4321; you are 0)', 'name it with --config if you trust it') });
      expect(seen).toEqual([]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('the search stops at the home folder: a file above it is not looked at', async () => {
    const outer = join(dir, `p${made++}`);
    mkdirSync(join(outer, 'home', 'work'), { recursive: true });
    writeFileSync(join(outer, 'seedance-preflight.config.json'), '{"concurrency": 4}');
    // with the home folder elsewhere, the file above is found
    expect((await sources(join(outer, 'home', 'work'), { HOME: '/nonexistent-home' })).configFile).toEqual({ path: '../../seedance-preflight.config.json', from: 'found' });
    expect((await sources(join(outer, 'home', 'work'), { HOME: join(outer, 'home') })).configFile).toBeNull();
    // the home folder itself is looked in
    writeFileSync(join(outer, 'home', 'seedance-preflight.config.json'), '{"concurrency": 4}');
    expect((await sources(join(outer, 'home', 'work'), { HOME: join(outer, 'home') })).configFile).toEqual({ path: '../seedance-preflight.config.json', from: 'found' });
  });
});

describe('a config file or a variable that cannot be used: one line naming it, exit 2', () => {
  it.each([
    ['two config files in one folder', { 'seedance-preflight.config.json': '{}', 'seedance-preflight.config.yaml': '' }, {}, [], (root: string) => `${join(root, 'seedance-preflight.config.json')} and ${join(root, 'seedance-preflight.config.yaml')} are both config files: keep one`],
    ['JSON that does not parse', { 'seedance-preflight.config.json': '{"fit": }' }, {}, [], () => 'config file seedance-preflight.config.json: it is not valid JSON (Unexpected token where a JSON value should start)'],
    ['YAML that does not parse', { 'seedance-preflight.config.yaml': 'fit: [crop\nstrict: true\n' }, {}, [], () => 'config file seedance-preflight.config.yaml: it is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1)'],
    ['YAML nested past the bound', { 'seedance-preflight.config.yaml': `fit: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n` }, {}, [], () => 'config file seedance-preflight.config.yaml: it nests lists and maps 30,000 levels deep, more than the 64 allowed'],
    ['JSON nested past the bound', { 'seedance-preflight.config.json': `{"fit": ${'['.repeat(100)}${']'.repeat(100)}}` }, {}, [], () => 'config file seedance-preflight.config.json: it nests arrays and objects 101 levels deep, more than the 64 allowed'],
    ['a file over 64 KiB', { 'seedance-preflight.config.json': `{"fit": "${'x'.repeat(70_000)}"}` }, {}, [], () => 'config file seedance-preflight.config.json is 70,011 bytes, over the 64 KiB a config file may hold; shorten it'],
    ['a named file that does not exist', {}, {}, ['--config', 'nope.json'], () => '--config names nope.json, which does not exist: give the path of a config file'],
    ['SEEDANCE_CONFIG naming a file that does not exist', {}, { SEEDANCE_CONFIG: 'gone.yaml' }, [], () => 'SEEDANCE_CONFIG names gone.yaml, which does not exist: point SEEDANCE_CONFIG at a config file, or unset it'],
    ['--config with no file name', {}, {}, ['--config', ''], () => '--config needs a file name'],
    ['a profile name that is neither built in nor a file', { 'seedance-preflight.config.json': '{"profile": "seedance-2.0"}' }, {}, [], () => 'seedance-preflight.config.json: profile is "seedance-2.0": not a built-in profile (seed, strict-927k) and no such file; give one of those names or a JSON file\'s path'],
    ['a profile name in a variable', {}, { SEEDANCE_PROFILE: 'seedance-2.0' }, [], () => 'SEEDANCE_PROFILE is "seedance-2.0": not a built-in profile (seed, strict-927k) and no such file; give one of those names or a JSON file\'s path'],
    ['an unknown key', { 'seedance-preflight.config.json': '{"concurency": 4}' }, {}, [], () => 'seedance-preflight.config.json: concurency is not a setting; did you mean concurrency?'],
    ['a bad value in the file', { 'seedance-preflight.config.json': '{"fix": {"fit": "fill"}}' }, {}, [], () => 'seedance-preflight.config.json: fix.fit must be pad or crop, not "fill"'],
    ['a bad switch in the file', { 'seedance-preflight.config.yaml': 'strict: maybe\n' }, {}, [], () => 'seedance-preflight.config.yaml: strict must be 1, 0, true, false, yes or no, not "maybe"'],
    ['a switch given a value', { 'seedance-preflight.config.json': '{"concurrency": true}' }, {}, [], () => 'seedance-preflight.config.json: concurrency takes a value (--concurrency <n>), not true'],
    ['a bad number in a variable', {}, { SEEDANCE_CONCURRENCY: 'four' }, [], () => 'SEEDANCE_CONCURRENCY must be a whole number of at least 1, not "four"'],
    ['a bad switch in a variable', {}, { SEEDANCE_STRICT: 'maybe' }, [], () => 'SEEDANCE_STRICT must be 1, 0, true, false, yes or no, not "maybe"'],
    ['a value outside the choices in a variable', {}, { SEEDANCE_FAIL_ON: 'fatal' }, [], () => 'SEEDANCE_FAIL_ON must be one of error, warning, not "fatal"'],
    ['a bad timeout in the file', { 'seedance-preflight.config.json': '{"encodeTimeout": "soon"}' }, {}, [], () => 'seedance-preflight.config.json: encodeTimeout must be a number of seconds, 0 for no limit, not "soon"'],
  ])('%s', async (_name, files, env, args, message) => {
    const root = project(files);
    expect(await refusal(root, env, args)).toEqual({ code: 2, stderr: `seedance-preflight: ${message(root)}\n` });
  });

  it('a FIFO named as the config file is refused unread', async () => {
    const root = project({});
    execFileSync('mkfifo', [join(root, 'pipe.json')]);
    expect(await refusal(root, {}, ['--config', 'pipe.json'])).toEqual({ code: 2, stderr: 'seedance-preflight: config file pipe.json is a named pipe (FIFO), not a regular file; text inputs are read only from regular files: replace it with one\n' });
  });
});

describe('doctor shows each setting with its source', () => {
  it('flag, variable and config file, secrets in URLs masked, the file named', async () => {
    const root = project({ 'seedance-preflight.config.json': JSON.stringify({ concurrency: 4, profile: 'seed', fix: { fit: 'crop' }, bucket: 'media', worker: { queueName: 'nightly' } }) });
    const env = { ...CLEAR, SEEDANCE_STRICT: 'yes', SEEDANCE_QUEUE_URL: 'redis://:hunter22@queue:6379' };
    const run = await cli(['--profile', 'strict-927k', 'doctor'], { cwd: root, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'settings: config file seedance-preflight.config.json (found upward from the working folder)\n' +
        '    profile            strict-927k             (flag --profile)\n' +
        '    concurrency        4                       (seedance-preflight.config.json: concurrency)\n' +
        '    strict             yes                     (env SEEDANCE_STRICT)\n' +
        '    fix: fit           crop                    (seedance-preflight.config.json: fix.fit)\n' +
        '    bucket             media                   (seedance-preflight.config.json: bucket)\n' +
        '    queue              redis://***@queue:6379  (env SEEDANCE_QUEUE_URL)\n' +
        '    worker: queueName  nightly                 (seedance-preflight.config.json: worker.queueName)\n' +
        '    never from a variable or a config file: --version, --config, --request, --prompt, --download, --adopt-task, --restart, --allow-outside-paths, --allow-insecure-callbacks, --api-key, --output, --directory, --all, --older-than, --yes (README "Settings" says why)\n',
    );
    // the sections read the file's values as they read the variables
    expect(run.stdout).toContain('S3: bucket media ');
    expect(run.stdout + run.stderr).not.toContain('hunter22');
  });

  it('with nothing set: no config file, every setting at its default', async () => {
    const root = project({});
    const run = await cli(['doctor'], { cwd: root, env: CLEAR });
    expect(run.stdout).toContain(
      'settings: no config file (seedance-preflight.config.json, seedance-preflight.config.yaml, seedance-preflight.config.yml in the working folder or one above, up to a .git folder or your home folder)\n' +
        '    every setting at its default (no flag, SEEDANCE_* variable or config file sets one)\n',
    );
  });
});
