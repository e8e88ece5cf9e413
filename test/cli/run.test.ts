import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { servedResult } from '../helpers/sandbox-media.js';
import { fixture } from '../helpers/fixtures.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { copyDemo, writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-cli-run-', { taskDurationMs: 300 });
// its afterAll checks that the key is in no output of any run of this file
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;

beforeAll(() => {
  ({ sandbox, dir } = box);
});

describe('run: an edited prompt', () => {
  it('says on stderr that the request changed and creates one new task; text and --json name the earlier result', async () => {
    await writeAssetFolder(join(dir, 'iterate'), 31);
    const first = await run(['run', 'iterate']);
    expect(first.code).toBe(0);
    const old = sandbox.simulator.createdTasks().at(-1)!.id;
    await writeFile(join(dir, 'iterate/prompt.txt'), 'Job 31, take two.\n');
    const again = await run(['run', 'iterate', '--json']);
    expect(again.code).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!.id;
    expect(task).not.toBe(old);
    expect(again.stderr).toContain(`[iterate] note: the request changed since task ${old} (prompt): creating a new task\n`);
    const job = JSON.parse(again.stdout).jobs[0];
    expect([job.taskId, job.state, job.notes, job.previousResults]).toEqual([task, 'downloaded', [`the request changed since task ${old} (prompt): creating a new task`], [{ taskId: old, path: `iterate/output/${old}.mp4` }]]);
    await writeFile(join(dir, 'iterate/prompt.txt'), 'Job 31, take three.\n');
    const text = await run(['run', 'iterate']);
    const newest = sandbox.simulator.createdTasks().at(-1)!.id;
    expect(text.stdout).toBe(`✓ iterate  task ${newest} completed → iterate/output/${newest}.mp4\n    kept the earlier result of task ${task} (previous request): iterate/output/${task}.mp4\n` + text.stdout.split('\n').slice(2).join('\n'));
    expect(text.stdout.split('\n').at(-2)).toBe('1 of 1 job done.');
  });
});

describe('run: an asset folder', () => {
  it('prints the task, the result and what was fixed (exit 0); a re-run says what it resumed and creates nothing', async () => {
    await copyDemo(join(dir, 'demo'));
    const before = sandbox.simulator.createdTasks().length;
    const result = await run(['run', 'demo']);
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!;
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    expect(result.stdout).toBe(
      `✓ demo  task ${task.id} completed → demo/output/${task.id}.mp4\n` +
        '    fixed demo/banner.png: pad 3000×1000 → 3000×1200\n' +
        '    fixed demo/clip.webm: container WEBM → MP4; re-encode vp9 → H.264; frame rate 15 → 24 fps\n' +
        '    fixed demo/music.flac: FLAC → MP3\n' +
        '1 of 1 job done.\n',
    );
    for (const stage of ['check', 'fix', 'upload', 'submit', 'wait', 'download', 'done']) expect(result.stderr).toContain(`[demo] ${stage}: `);
    expect((await readFile(join(dir, 'demo/output', `${task.id}.mp4`))).equals(await servedResult(sandbox, task.id))).toBe(true);

    const again = await run(['run', 'demo']);
    expect(again.code).toBe(0);
    // what the first run fixed is still reported, read back from the journal (issue 21, item 5), and said to be from it
    expect(again.stdout).toBe(
      `✓ demo  task ${task.id} completed → demo/output/${task.id}.mp4 (resumed: check, fix, upload, submit, wait, download already done)\n` +
        '    fixed earlier demo/banner.png: pad 3000×1000 → 3000×1200\n' +
        '    fixed earlier demo/clip.webm: container WEBM → MP4; re-encode vp9 → H.264; frame rate 15 → 24 fps\n' +
        '    fixed earlier demo/music.flac: FLAC → MP3\n' +
        '1 of 1 job done.\n',
    );
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
  });

  it('--json: one document with the job, its task, uploads and request (exit 0)', async () => {
    await copyDemo(join(dir, 'demo-json'));
    const result = await run(['run', 'demo-json', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; dryRun: boolean; jobs: Record<string, unknown>[] };
    const task = sandbox.simulator.createdTasks().at(-1)!;
    expect(report.ok).toBe(true);
    expect(report.dryRun).toBe(false);
    expect(report.jobs).toHaveLength(1);
    const job = report.jobs[0]! as { job: string; ok: boolean; taskId: string; result: unknown; resumed: string[]; fixed: { path: string; output: string }[]; uploads: { uploaded: boolean; url: string }[]; request: { image_urls: string[] }; error: unknown };
    expect(job.job).toBe('demo-json');
    expect(job.taskId).toBe(task.id);
    expect(job.result).toEqual({ path: `demo-json/output/${task.id}.mp4`, bytes: (await servedResult(sandbox, task.id)).length });
    expect(job.resumed).toEqual([]);
    expect(job.fixed.map((f) => f.output)).toEqual(['banner.png', 'clip.mp4', 'music.mp3'].map((n) => `demo-json/.seedance-preflight/fixed/${n}`));
    // the same bytes as the first test's demo: already in the bucket, so nothing is sent
    expect(job.uploads.map((u) => u.uploaded)).toEqual([false, false, false]);
    expect(job.request.image_urls).toEqual([job.uploads[0]!.url]);
    expect(job.error).toBeNull();
  });

  it('--dry-run prints the request that would be sent and the cost drivers; uploads and creates nothing (exit 0)', async () => {
    await mkdir(join(dir, 'dry'));
    await copyFile(fixture('landscape-1280x720.jpg'), join(dir, 'dry/a.jpg'));
    await writeFile(join(dir, 'dry/request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 turns', image_urls: ['a.jpg'], duration: 6, content_filter: false }));
    const counters = sandbox.simulator.counters();
    const result = await run(['run', 'dry', '--dry-run']);
    expect(result.code).toBe(0);
    const { createHash } = await import('node:crypto');
    const key = `${createHash('sha256').update(await readFile(fixture('landscape-1280x720.jpg'))).digest('hex')}.jpg`;
    expect(result.stdout).toBe(
      [
        '✓ dry  dry run: checked and fixed; nothing uploaded, nothing billed',
        '    request that would be sent:',
        '      {',
        '        "model": "seedance-2.0-reference-to-video",',
        '        "prompt": "image 1 turns",',
        '        "image_urls": [',
        `          "${sandbox.s3.endpoint}/${sandbox.bucket}/${key}"`,
        '        ],',
        '        "duration": 6,',
        '        "content_filter": false',
        '      }',
        '    cost drivers: 6 s of output video, 0 s of input video, content filter factor 1.1',
        '1 of 1 job ready.',
        '',
      ].join('\n'),
    );
    expect(sandbox.simulator.counters()).toEqual(counters);
  });

  it('--request FILE runs a request file; a stage failure names the stage and what to do (exit 1)', async () => {
    await mkdir(join(dir, 'req'));
    await writeFile(join(dir, 'req/job.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'x', image_urls: ['missing.jpg'], duration: 5 }));
    const creates = sandbox.simulator.counters().create;
    const result = await run(['run', '--request', 'req/job.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`✗ req/job.json  failed at fix: req/missing.jpg: it does not exist\n    to do: replace or remove this file, then run again\n0 of 1 job done, 1 failed.\n`);
    expect(sandbox.simulator.counters().create).toBe(creates);
  });

  it.each([
    [['run'], 'run needs an asset folder PATH or --request FILE (see seedance-preflight run --help)'],
    [['run', 'demo', '--request', 'x.json'], 'run takes an asset folder or --request FILE, not both'],
    [['run', 'demo', '--fit', 'stretch'], '--fit must be pad or crop, not "stretch"'],
    [['run', 'demo', '--timeout', '0'], '--timeout must be a number of seconds greater than 0, not "0"'],
    [['run', 'demo', '--adopt-task', 'task-unified-1', '--restart'], '--adopt-task and --restart exclude each other: adopt the task the lost create made, or restart without it'],
    [['run', 'demo', '--dry-run', '--restart'], '--dry-run sends nothing: it takes neither --adopt-task nor --restart'],
    [['run', '--request', 'nowhere.json'], 'request file nowhere.json does not exist'],
  ])('usage error %j (exit 2)', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`seedance-preflight: ${message}\n`);
  });
});
