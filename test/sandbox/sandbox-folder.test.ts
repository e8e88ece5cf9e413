import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimSandboxDir } from '../../src/sandbox/sandbox-lock.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import type { Task } from '../../src/submit/task.js';
import { REPO, startCli, startSandboxProcess, waitFor } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { displayPath, displayPathsIn } from '../../src/shared/display-path.js';
import { copyDemo, persistedTasks, readJobJournal } from '../helpers/sandbox-job.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

/** The sandbox folder: objects, tasks, key and ports outlive the sandbox; one process uses a folder at a time. */
let temp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await tempDir('sp-sandbox-folder-');
});
afterAll(() => temp?.cleanup());

/** A path as a command run from `cwd` names it (relative when under it): the tests hold wherever the repository is. */
const shown = (path: string, cwd = process.cwd()) => displayPath(path, cwd);

const text = { model: 'seedance-2.0-text-to-video', prompt: 'a frog on a lily pad', duration: 4, quality: '480p', aspect_ratio: '16:9', generate_audio: false };

async function create(base: string, key: string, body: unknown): Promise<Task> {
  const response = await fetch(`${base}/v1/videos/generations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Task;
}

async function query(base: string, key: string, id: string): Promise<Task> {
  return (await (await fetch(`${base}/v1/tasks/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Task;
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  return server;
}

describe('a sandbox started on a folder', () => {
  it('keeps its key (0600), ports and tasks: a task whose end passed while it was down is completed at start, and its video is served', async () => {
    const dir = join(temp.dir, 'restart');
    const first = await startSandbox({ stateDir: dir, taskDurationMs: 400 });
    const task = await create(first.apiBaseUrl, first.apiKey, text);
    // stopped at once: the task has not ended
    await first.close();
    const kept = await persistedTasks(dir);
    expect(kept.map((t) => [t.id, t.final, t.spec])).toEqual([[task.id, null, { seconds: 4, width: 864, height: 496, audio: false }]]);
    expect(((await stat(join(dir, 'api-key'))).mode & 0o777).toString(8)).toBe('600');
    expect((await readFile(join(dir, 'api-key'), 'utf8')).trim()).toBe(first.apiKey);
    expect(JSON.parse(await readFile(join(dir, 'ports.json'), 'utf8'))).toEqual({ api: first.simulator.port, s3: first.s3.port });
    await waitFor(() => Date.now() > kept[0]!.createdAt + 400, 'the task end to pass', { timeoutMs: 5000, everyMs: 50 });

    const second = await startSandbox({ stateDir: dir, taskDurationMs: 400 });
    try {
      expect([second.apiKey, second.apiBaseUrl, second.s3.endpoint]).toEqual([first.apiKey, first.apiBaseUrl, first.s3.endpoint]);
      const now = await query(second.apiBaseUrl, second.apiKey, task.id);
      expect([now.status, now.progress, now.results]).toEqual(['completed', 100, [`${second.apiBaseUrl}/files/${task.id}.mp4`]]);
      const video = await fetch(now.results![0]!);
      expect([video.status, video.headers.get('content-type')]).toEqual([200, 'video/mp4']);
      const file = join(dir, 'result.mp4');
      await writeFile(file, Buffer.from(await video.arrayBuffer()));
      // read by Debian's own ffprobe, not the project's
      const { stdout } = await promisify(execFile)('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,width,height:format=duration', '-of', 'json', file]);
      const probed = JSON.parse(stdout) as { streams: { codec_type: string; width?: number; height?: number }[]; format: { duration: string } };
      expect(probed.streams.map((s) => [s.codec_type, s.width, s.height])).toEqual([['video', 864, 496]]);
      expect(Math.round(Number(probed.format.duration))).toBe(4);
    } finally {
      await second.close();
    }
    expect((await persistedTasks(dir)).map((t) => [t.id, t.final?.status])).toEqual([[task.id, 'completed']]);
  });

  it('takes other ports when last time\'s are taken, and records them', async () => {
    const dir = join(temp.dir, 'ports');
    const first = await startSandbox({ stateDir: dir });
    await first.close();
    const held = await Promise.all([occupy(first.simulator.port), occupy(first.s3.port)]);
    try {
      const second = await startSandbox({ stateDir: dir });
      await second.close();
      expect(second.simulator.port).not.toBe(first.simulator.port);
      expect(second.s3.port).not.toBe(first.s3.port);
      expect(JSON.parse(await readFile(join(dir, 'ports.json'), 'utf8'))).toEqual({ api: second.simulator.port, s3: second.s3.port });
    } finally {
      await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});

describe('the sandbox folder, as the command line is given it', () => {
  it('a task file that is not the sandbox\'s: one line naming it and what to do, exit 2, the folder given back', async () => {
    const dir = join(temp.dir, 'damaged');
    const job = await copyDemo(join(temp.dir, 'damaged-job'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'tasks.json'), '{"tasks": [');
    const env = { SEEDANCE_SANDBOX_DIR: dir, SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'cache') };
    const run = await cli(['run', job, '--sandbox'], { env });
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', `seedance-preflight: cannot start the sandbox in ${shown(dir)}: ${displayPathsIn(join(dir, 'tasks.json'), process.cwd())} is not the sandbox's task file (not JSON): move it aside to start the sandbox with no tasks\n`]);
    // the lock was given back: the same error again, not "busy"
    expect((await cli(['run', job, '--sandbox'], { env })).code).toBe(2);
  });

  it('a --sandbox-dir given relative to the working folder is named as given, never as an absolute path', async () => {
    const job = await copyDemo(join(temp.dir, 'relative-job'));
    await writeFile(join(temp.dir, 'afile'), 'not a folder');
    const run = await cli(['run', job, '--sandbox', '--sandbox-dir', 'afile/sb'], { cwd: temp.dir, env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'cache') } });
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', 'seedance-preflight: cannot use the sandbox folder afile/sb (ENOTDIR): give --sandbox-dir a writable folder\n']);
  });

  it('batch --sandbox-dir keeps its tasks in that folder: one per job', async () => {
    const dir = join(temp.dir, 'batch-sb');
    const root = join(temp.dir, 'batch-root');
    await copyDemo(join(root, 'a'));
    await copyDemo(join(root, 'b'));
    const run = await cli(['batch', root, '--sandbox', '--sandbox-dir', dir], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'batch-cache') } });
    expect(run.code).toBe(0);
    const tasks = await persistedTasks(dir);
    expect(tasks.map((t) => t.final?.status)).toEqual(['completed', 'completed']);
    const journals = await Promise.all(['a', 'b'].map((name) => readJobJournal(join(root, name))));
    expect(new Set(journals.map((j) => j?.submit?.taskId))).toEqual(new Set(tasks.map((t) => t.id)));
  });

  it('--sandbox-dir without --sandbox is a usage error', async () => {
    const run = await cli(['run', join(temp.dir, 'nowhere'), '--sandbox-dir', join(temp.dir, 'sb')]);
    expect([run.code, run.stderr]).toEqual([2, 'seedance-preflight: --sandbox-dir needs --sandbox\n']);
  });
});

describe('two commands on one sandbox folder', () => {
  it('a --sandbox run while another --sandbox run holds the folder: one line, exit 75, nothing done', async () => {
    const dir = join(temp.dir, 'busy');
    const job = await copyDemo(join(temp.dir, 'busy-job'));
    const claim = await claimSandboxDir(dir, {});
    if (!claim.ok) throw new Error('the folder should be free');
    await claim.held.publish({ pid: process.pid, kind: 'in-process', apiBaseUrl: 'http://127.0.0.1:9', s3Endpoint: 'http://127.0.0.1:9', bucket: 'seedance', keyStored: true });
    try {
      const run = await cli(['run', job, '--sandbox', '--sandbox-dir', dir], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'cache') } });
      expect(run.code).toBe(75);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(`^seedance-preflight: busy: the sandbox folder ${escapeRegExp(shown(dir))} is in use by pid ${process.pid} on \\S+ \\([^)]*\\), holding it since \\S+, last heartbeat \\d+ s ago; run \`seedance-preflight sandbox\` in another shell to share one sandbox between commands, or give this one its own folder with --sandbox-dir DIR\\n$`),
      );
      expect(await readJobJournal(job)).toBeNull();
    } finally {
      await claim.held.release();
    }
  });

  it('a `sandbox` command on a folder another process holds: one line, exit 75', async () => {
    const dir = join(temp.dir, 'busy-command');
    const claim = await claimSandboxDir(dir, {});
    if (!claim.ok) throw new Error('the folder should be free');
    try {
      const second = startCli(['sandbox', '--sandbox-dir', dir], {});
      expect(await second.exited).toEqual({ code: 75, signal: null });
      expect(second.stdout()).toBe('');
      expect(second.stderr()).toMatch(new RegExp(`^seedance-preflight: busy: the sandbox folder ${escapeRegExp(shown(dir, REPO))} is in use by pid ${process.pid} on \\S+ \\([^)]*\\), holding it since \\S+, last heartbeat \\d+ s ago; run \`seedance-preflight sandbox\` in another shell to share one sandbox between commands, or give this one its own folder with --sandbox-dir DIR\\n$`));
    } finally {
      await claim.held.release();
    }
  });

  it('a --sandbox run while a `sandbox` process started with its own --api-key holds the folder: one line saying to use its printed settings, exit 75', { timeout: 120_000 }, async () => {
    const dir = join(temp.dir, 'own-key');
    const sandbox = startCli(['--json', 'sandbox', '--sandbox-dir', dir, '--api-key', 'sk-sandbox-given-on-the-line'], {});
    try {
      await waitFor(() => sandbox.stdout().trimEnd().endsWith('}'), 'the sandbox settings', { timeoutMs: 60_000, detail: sandbox.stderr });
      const run = await cli(['run', join(temp.dir, 'own-key-job'), '--sandbox'], { env: { SEEDANCE_SANDBOX_DIR: dir } });
      expect([run.code, run.stdout, run.stderr]).toEqual([75, '', `seedance-preflight: busy: the sandbox folder ${shown(dir)} is held by the sandbox process ${sandbox.pid}, started with its own --api-key: run without --sandbox, with the settings that process printed\n`]);
    } finally {
      sandbox.child.kill('SIGTERM');
      await sandbox.exited;
    }
  });

  it('a --sandbox run while a `sandbox` process holds the folder: the run uses that sandbox; its key is never printed', { timeout: 120_000 }, async () => {
    const dir = join(temp.dir, 'shared');
    const job = await copyDemo(join(temp.dir, 'shared-job'));
    const sandbox = await startSandboxProcess({ directory: dir, taskDurationSeconds: 0.5 });
    try {
      const key = (await readFile(join(dir, 'api-key'), 'utf8')).trim();
      expect(sandbox.settings.env.EVOLINK_API_KEY).toBe(key);
      expect(sandbox.settings.sandboxDir).toBe(dir);
      const run = await cli(['run', job, '--sandbox'], { env: { SEEDANCE_SANDBOX_DIR: dir, SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'cache') } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split('\n')[0]).toBe(`sandbox: using the sandbox process ${sandbox.process.pid} that holds ${shown(dir)}: S3 store at ${sandbox.settings.s3Endpoint}, API simulator at ${sandbox.settings.apiBaseUrl}`);
      expect(`${run.stdout}${run.stderr}`).not.toContain(key);
      const stats = (await (await fetch(`${sandbox.settings.apiBaseUrl}/_sandbox/stats`, { headers: { authorization: `Bearer ${key}` } })).json()) as { tasks: { id: string }[] };
      expect(stats.tasks.map((t) => t.id)).toEqual([(await readJobJournal(job))!.submit!.taskId]);
    } finally {
      await sandbox.stop();
    }
    expect((await persistedTasks(dir)).map((t) => t.final?.status)).toEqual(['completed']);
  });
});
