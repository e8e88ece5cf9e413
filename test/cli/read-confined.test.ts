import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { REPO, startCli, waitFor } from '../helpers/cli-process.js';
import { fixture } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { displayPath } from '../../src/shared/display-path.js';

/**
 * Text inputs are read like media (issue 19, item 2): a job's prompt.txt and request.json resolve inside the job, are
 * regular files and are read with a bound; check opens nothing outside a job; nothing refused is printed or sent.
 * Real processes where it matters: /proc/self/environ is the reading process's own, and a FIFO must not hang one.
 */
const box = useSandbox('sp-read-confined-', { taskDurationMs: 300 });
let sandbox: Sandbox;
let dir: string;

/** Values the environment holds that must never appear in any output, journal or work folder. */
const CANARY_KEY = 'canary-api-key-6f1d2e';
const CANARY_SECRET = 'canary-aws-secret-93ab7c';
const canaryEnv = () => ({ ...sandbox.env, EVOLINK_API_KEY: CANARY_KEY, SEEDANCE_TEST_CANARY: CANARY_SECRET });

beforeAll(() => {
  ({ sandbox, dir } = box);
  // the simulator must accept the canary key as the API key: the test's point is that no create is sent at all
});

/** Every file under `root` (work folder, journal, outputs), read whole. */
async function everyFileText(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')));
  return texts.join('\n');
}

/** Runs the command line as its own process (paths are absolute); a hang would meet the test's timeout. */
async function runProcess(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)|unexpected error/);
}

describe('run: prompt.txt that resolves outside the job is refused before anything is read or sent', () => {
  it.each([
    ['a link to /proc/self/environ', 'environ-job', async (_job: string): Promise<string> => '/proc/self/environ', (_target: string): string => '/proc/<pid>/environ'],
    [
      'a link to a file outside the job',
      'outside-prompt-job',
      async (job: string): Promise<string> => {
        const secret = join(job, '..', 'secret-prompt.txt');
        await writeFile(secret, `EVOLINK_API_KEY=${CANARY_KEY}\nAWS_SECRET_ACCESS_KEY=${CANARY_SECRET}\n`);
        return secret;
      },
      (target: string): string => target,
    ],
  ] as const)('%s', async (_name, folder, makeTarget, shown) => {
    const job = join(dir, folder);
    await writeAssetFolder(job, folder.length);
    await rm(join(job, 'prompt.txt'));
    const target = await makeTarget(job);
    await symlink(target, join(job, 'prompt.txt'));
    const counters = sandbox.simulator.counters();
    const result = await runProcess(['run', job], canaryEnv());
    expect(result.code).toBe(1);
    const expected = `${job}: prompt.txt is outside the job's folder ${job} (it resolves to ${shown(target)}); a job reads its text files only from inside its own folder, and nothing of this one was read`;
    const message = result.stdout.replace(/\/proc\/\d+\/environ/, '/proc/<pid>/environ');
    expect(message).toContain(expected);
    expect(result.stdout).toContain(`move the file into ${job}, or pass --allow-outside-paths`);
    for (const text of [result.stdout, result.stderr, await everyFileText(job)]) {
      expect(text).not.toContain(CANARY_KEY);
      expect(text).not.toContain(CANARY_SECRET);
    }
    expectNoStackTrace(result.stdout + result.stderr);
    // nothing uploaded, nothing created: the simulator saw no request at all
    expect(sandbox.simulator.counters()).toEqual(counters);
  }, 30_000);
});

describe('a FIFO or /dev/zero as a text input ends with one clear line, never a hang', () => {
  let root: string;
  beforeAll(async () => {
    root = join(dir, 'special');
    await mkdir(root);
    for (const name of ['fifo-prompt', 'zero-prompt', 'fifo-request', 'zero-request']) await mkdir(join(root, name));
    await writeFile(join(root, 'zero-prompt/still.png'), await readFile(fixture('landscape-1280x720.jpg')));
    await writeFile(join(root, 'fifo-prompt/still.jpg'), await readFile(fixture('landscape-1280x720.jpg')));
    // batch finds a job by its regular request.json or its media: these have media beside the special request.json
    for (const name of ['fifo-request', 'zero-request']) await writeFile(join(root, name, 'still.jpg'), await readFile(fixture('landscape-1280x720.jpg')));
    execFileSync('mkfifo', [join(root, 'fifo-prompt/prompt.txt')]);
    execFileSync('mkfifo', [join(root, 'fifo-request/request.json')]);
    execFileSync('mkfifo', [join(root, 'profile.json')]);
    await symlink('/dev/zero', join(root, 'zero-prompt/prompt.txt'));
    await symlink('/dev/zero', join(root, 'zero-request/request.json'));
  });

  it('run: a FIFO prompt.txt stops the job at check (exit 1), naming the file and the rule', async () => {
    const counters = sandbox.simulator.counters();
    const result = await runProcess(['run', join(root, 'fifo-prompt')], canaryEnv());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`the prompt file ${join(root, 'fifo-prompt/prompt.txt')} cannot be used: it is a named pipe (FIFO), not a regular file (rule request.prompt)`);
    expectNoStackTrace(result.stdout + result.stderr);
    expect(sandbox.simulator.counters()).toEqual(counters);
  }, 30_000);

  it('run: a request.json that is a FIFO, or a link to /dev/zero, stops at check', async () => {
    const fifo = await runProcess(['run', join(root, 'fifo-request')], canaryEnv());
    expect(fifo.code).toBe(1);
    expect(fifo.stdout).toContain(`the request file cannot be used: it is a named pipe (FIFO), not a regular file (rule request.json)`);
    const zero = await runProcess(['run', join(root, 'zero-request')], canaryEnv());
    expect(zero.code).toBe(1);
    expect(zero.stdout).toContain(`${join(root, 'zero-request/request.json')}: request.json is outside the job's folder ${join(root, 'zero-request')} (it resolves to /dev/zero)`);
    expectNoStackTrace(fifo.stdout + fifo.stderr + zero.stdout + zero.stderr);
  }, 30_000);

  it('batch: every special job fails on its own line and the summary is printed', async () => {
    const result = await runProcess(['batch', root, '--json'], canaryEnv());
    expect(result.code).toBe(1);
    const jobs = (JSON.parse(result.stdout) as { jobs: { job: string; error: { stage: string; message: string } | null }[] }).jobs;
    const byName = Object.fromEntries(jobs.map((j) => [j.job.split('/').at(-1), [j.error?.stage, j.error?.message]]));
    const outsideText = (job: string, name: string, target: string) =>
      `${join(root, job, name)}: ${name} is outside the job's folder ${join(root, job)} (it resolves to ${target}); a job reads its text files only from inside its own folder, and nothing of this one was read`;
    expect(byName).toEqual({
      'fifo-prompt': ['check', `${join(root, 'fifo-prompt')}: the prompt file ${join(root, 'fifo-prompt/prompt.txt')} cannot be used: it is a named pipe (FIFO), not a regular file (rule request.prompt)`],
      'fifo-request': ['check', `${join(root, 'fifo-request/request.json')}: the request file cannot be used: it is a named pipe (FIFO), not a regular file (rule request.json)`],
      'zero-prompt': ['check', outsideText('zero-prompt', 'prompt.txt', '/dev/zero').replace(`${join(root, 'zero-prompt/prompt.txt')}:`, `${join(root, 'zero-prompt')}:`)],
      'zero-request': ['check', outsideText('zero-request', 'request.json', '/dev/zero')],
    });
    expectNoStackTrace(result.stdout + result.stderr);
  }, 30_000);

  it('batch: once a FIFO job has failed, Ctrl-C still ends the batch (exit 130), with its summary', async () => {
    // a slow sandbox of its own: the second job is still waiting on its task when Ctrl-C comes
    const slow = await startSandbox({ taskDurationMs: 120_000 });
    try {
      const interrupted = join(dir, 'interrupted');
      await mkdir(join(interrupted, '1-fifo'), { recursive: true });
      await writeFile(join(interrupted, '1-fifo/still.jpg'), await readFile(fixture('landscape-1280x720.jpg')));
      execFileSync('mkfifo', [join(interrupted, '1-fifo/prompt.txt')]);
      await writeAssetFolder(join(interrupted, '2-slow'), 88);
      const child = startCli(['batch', interrupted, '--media-concurrency', '1', '--api-concurrency', '1'], { ...slow.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') });
      try {
        // the process runs in the repository: it names each job relative to it
        await waitFor(() => child.stderr().includes(`[${displayPath(join(interrupted, '2-slow'), REPO)}] wait: `), 'the second job waiting on its task', { timeoutMs: 60_000, detail: child.stderr });
        // Ctrl-C as a terminal sends it: to the whole process group
        process.kill(-child.pid, 'SIGINT');
        const { code } = await child.exited;
        expect(code).toBe(130);
      } finally {
        child.killHard();
      }
      const rows = Object.fromEntries(child.stdout().split('\n').map((l) => l.split(/ {2,}/)).map(([job, ...rest]) => [job, rest.join('  ')]));
      expect(rows[displayPath(join(interrupted, '1-fifo'), REPO)]).toMatch(/^failed at check +0 +- +.+prompt\.txt cannot be used: it is a named pipe \(FIFO\), not a regular file \(rule request\.prompt\)/);
      expect(rows[displayPath(join(interrupted, '2-slow'), REPO)]).toMatch(/^stopped at wait .*interrupted \(SIGINT\)/);
      // the failure is counted as failed, the job Ctrl-C stopped apart from it
      expect(child.stdout()).toContain('0 of 2 jobs done, 1 failed; interrupted: 1 of 2 jobs not finished (1 stopped); run again to resume.\n');
      expectNoStackTrace(child.stdout() + child.stderr());
    } finally {
      await slow.close();
    }
  }, 90_000);

  it('--profile: a FIFO or /dev/zero is a usage error (exit 2) naming what it is', async () => {
    const fifo = await runProcess(['check', join(root, 'fifo-prompt'), '--profile', join(root, 'profile.json')], {});
    expect([fifo.code, fifo.stderr]).toEqual([2, `seedance-preflight: profile ${join(root, 'profile.json')}: it is a named pipe (FIFO), not a regular file; give a JSON file or one of: seed, strict-927k\n`]);
    const zero = await runProcess(['check', join(root, 'fifo-prompt'), '--profile', '/dev/zero'], {});
    expect([zero.code, zero.stderr]).toEqual([2, 'seedance-preflight: profile /dev/zero: it resolves to /dev/zero, a kernel file (/proc, /sys, /dev), not a text file; give a JSON file or one of: seed, strict-927k\n']);
  }, 30_000);

  it('check --request FIFO: a request.json violation (exit 1); with --allow-outside-paths /dev/zero is still refused (a kernel file)', async () => {
    const fifo = await cli(['check', '--request', join(root, 'fifo-request/request.json'), '--json'], { cwd: root });
    expect(fifo.code).toBe(1);
    expect(JSON.parse(fifo.stdout).request.violations.map((v: { rule: string; message: string }) => [v.rule, v.message])).toEqual([
      ['request.json', 'fifo-request/request.json: the request file cannot be used: it is a named pipe (FIFO), not a regular file (rule request.json). To do: replace it with a regular file.'],
    ]);
    const zero = await cli(['check', join(root, 'zero-prompt'), '--allow-outside-paths', '--json'], { cwd: root });
    expect(zero.code).toBe(1);
    expect(JSON.parse(zero.stdout).request.violations.map((v: { rule: string; message: string }) => [v.rule, v.message])).toEqual([
      ['request.prompt', `zero-prompt: the prompt file zero-prompt/prompt.txt cannot be used: it resolves to /dev/zero, a kernel file (/proc, /sys, /dev), not a text file (rule request.prompt). To do: replace it with a regular file.`],
    ]);
  });
});

describe('check: nothing outside a job is opened, let alone printed', () => {
  let job: string;
  let secretMedia: string;
  beforeAll(async () => {
    const outside = join(dir, 'elsewhere');
    job = join(dir, 'outside-job');
    await mkdir(outside);
    await mkdir(job);
    // named like media, holding a secret: a probe would have sniffed it and once printed its first bytes
    secretMedia = join(outside, 'shadow.png');
    await writeFile(secretMedia, `root:${CANARY_SECRET}:19000:0:99999:7:::\n`);
    await writeFile(join(job, 'photo.jpg'), await readFile(fixture('landscape-1280x720.jpg')));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 and image 2', image_urls: ['photo.jpg', '../elsewhere/shadow.png', secretMedia] }));
  });

  it('a media entry outside the job is file.outside_job (not fixable), in text, JSON and JUnit, and never probed', async () => {
    const junit = join(dir, 'outside.xml');
    const text = await cli(['check', '--request', join(job, 'request.json'), '--junit', junit, '--no-cache'], { cwd: dir });
    const json = await cli(['check', '--request', join(job, 'request.json'), '--json', '--no-cache'], { cwd: dir });
    expect([text.code, json.code]).toEqual([1, 1]);
    const doc = JSON.parse(json.stdout);
    // named twice (relative and absolute): reported twice, probed never
    // named from the folder the command ran in
    const outside = doc.files.filter((f: { path: string }) => f.path === 'elsewhere/shadow.png');
    expect(outside).toHaveLength(2);
    expect(outside[1]).toEqual(outside[0]);
    expect(outside[0]).toEqual({
      path: 'elsewhere/shadow.png',
      kind: null,
      ok: false,
      // never probed: nothing measured
      facts: null,
      violations: [
        {
          rule: 'file.outside_job',
          severity: 'error',
          subject: 'elsewhere/shadow.png',
          limit: null,
          actual: 'elsewhere/shadow.png',
          message: `elsewhere/shadow.png: it is outside the job's folder outside-job; nothing outside a job is opened (rule file.outside_job). To do: move the file into the job's folder, or pass --allow-outside-paths if it is kept elsewhere on purpose.`,
          fix: "move the file into the job's folder, or pass --allow-outside-paths if it is kept elsewhere on purpose",
          fixable: false,
          source: 'docs/LIMITS.md#file.outside_job; seedance-preflight: reads stay inside the job (README "What it guarantees"); nothing outside a job is opened',
        },
      ],
    });
    expect(doc.files.find((f: { path: string }) => f.path === 'outside-job/photo.jpg').ok).toBe(true);
    expect(text.stdout).toContain(`✗ elsewhere/shadow.png  not probed\n    error   it is outside the job's folder outside-job; nothing outside a job is opened (rule file.outside_job).`);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('<testcase classname="elsewhere/shadow.png" name="file.outside_job">');
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr, xml]) {
      expect(out).not.toContain(CANARY_SECRET);
      expect(out).not.toContain('root:');
    }
  });

  it('--allow-outside-paths probes it; its bytes are described by kind and size, never shown', async () => {
    const json = await cli(['check', '--request', join(job, 'request.json'), '--json', '--no-cache', '--allow-outside-paths'], { cwd: dir });
    const file = JSON.parse(json.stdout).files.find((f: { path: string }) => f.path === 'elsewhere/shadow.png');
    expect(file.violations.map((v: { rule: string; message: string }) => [v.rule, v.message])).toEqual([
      ['file.unknown_format', `elsewhere/shadow.png: its bytes are not an image, video or audio format (UTF-8 text, 49 bytes) (rule file.unknown_format). To do: replace it with an image (JPEG, PNG, WebP), a video (MP4, MOV) or audio (WAV, MP3).`],
    ]);
    expect(json.stdout).not.toContain(CANARY_SECRET);
  });

  it('an asset folder entry linked outside is file.outside_job too, where it was once sniffed and left out as "not media"', async () => {
    const folder = join(dir, 'linked-folder');
    await mkdir(folder);
    await writeFile(join(folder, 'still.jpg'), await readFile(fixture('landscape-1280x720.jpg')));
    await writeFile(join(folder, 'prompt.txt'), 'image 1\n');
    await symlink(secretMedia, join(folder, 'notes.txt'));
    const json = await cli(['check', folder, '--json', '--no-cache'], { cwd: dir });
    expect(json.code).toBe(1);
    const file = JSON.parse(json.stdout).files.find((f: { path: string }) => f.path === 'linked-folder/notes.txt');
    expect(file.violations.map((v: { rule: string }) => v.rule)).toEqual(['file.outside_job']);
    expect(json.stdout).not.toContain(CANARY_SECRET);
  });

  it('a request file that is itself a link outside its folder is file.outside_job, unread', async () => {
    const linked = join(dir, 'linked-request');
    await mkdir(linked);
    await symlink(secretMedia, join(linked, 'request.json'));
    const json = await cli(['check', linked, '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).request.violations.map((v: { rule: string; message: string }) => [v.rule, v.message])).toEqual([
      ['file.outside_job', `linked-request/request.json: linked-request/request.json resolves to elsewhere/shadow.png, outside the job's folder linked-request; nothing outside a job is opened (rule file.outside_job). To do: move the file into the job's folder, or pass --allow-outside-paths if it is kept elsewhere on purpose.`],
    ]);
    expect(json.stdout).not.toContain(CANARY_SECRET);
  });
});

describe('JSON nested 5,000 deep: a clear error in check and in run', () => {
  let job: string;
  beforeAll(async () => {
    job = join(dir, 'deep');
    await mkdir(job);
    await writeFile(join(job, 'request.json'), `{"model": "seedance-2.0-text-to-video", "prompt": "rain", "model_params": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  });
  const problem = 'the request file cannot be used: it nests arrays and objects 5,001 levels deep, more than the 64 allowed';

  it('check: a request.json violation naming the depth (exit 1)', async () => {
    const json = await cli(['check', job, '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).request.violations.map((v: { rule: string; message: string }) => [v.rule, v.message])).toEqual([
      ['request.json', `deep/request.json: ${problem} (rule request.json). To do: nest arrays and objects at most 64 levels deep (a request needs 3).`],
    ]);
  });

  it('run: stops at check with the same message, no stack trace, nothing sent', async () => {
    const counters = sandbox.simulator.counters();
    const result = await runProcess(['run', job, '--json'], canaryEnv());
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stdout).jobs[0].error;
    expect(error.stage).toBe('check');
    expect(error.message).toBe(`${join(job, 'request.json')}: ${problem} (rule request.json)`);
    expectNoStackTrace(result.stdout + result.stderr);
    expect(sandbox.simulator.counters()).toEqual(counters);
  }, 30_000);
});
