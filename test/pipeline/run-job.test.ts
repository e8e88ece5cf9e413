import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobWorkDir } from '../../src/pipeline/work-dir.js';
import { runJob, type JobStage, type RunJobOptions } from '../../src/pipeline/run-job.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { fixture } from '../helpers/fixtures.js';
import { putFixtures, servedResult } from '../helpers/sandbox-media.js';
import { bucketKeys, copyDemo, readJobJournal, sandboxJobOptions, sandboxUpload, startSwitchableRelay, writeAssetFolder, type SwitchableRelay } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-run-job-', { taskDurationMs: 300 });
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  ({ sandbox, dir } = box);
});

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

/** runJob against the sandbox, recording the stages it reported. */
async function run(job: RunJobOptions['job'], extra: Partial<RunJobOptions> = {}) {
  const stages: (JobStage | 'done')[] = [];
  const result = await runJob({ ...sandboxJobOptions(sandbox), job, onStage: (stage) => stages.push(stage), ...extra });
  return { result, stages };
}

describe('runJob: a folder job (the demo)', () => {
  let job: string;
  let relay: SwitchableRelay;
  const tasksBefore = () => sandbox.simulator.createdTasks().length;

  beforeAll(async () => {
    job = await copyDemo(join(dir, 'demo'));
    // the store is reached through a relay that counts the bytes sent to it
    relay = await startSwitchableRelay(sandbox.s3.endpoint);
  });
  afterAll(() => relay.close());

  it('checks, fixes, uploads, submits, waits and downloads the byte-identical result; one task; originals untouched', async () => {
    const originals = await Promise.all(['banner.png', 'clip.webm', 'music.flac', 'request.json'].map((n) => sha256(join(job, n))));
    const before = tasksBefore();
    const { result, stages } = await run({ folder: job }, { upload: sandboxUpload(sandbox, { endpoint: relay.endpoint }) });
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(stages).toEqual(['check', 'fix', 'upload', 'submit', 'wait', 'download', 'done']);
    const tasks = sandbox.simulator.createdTasks();
    expect(tasks.length).toBe(before + 1);
    const task = tasks.at(-1)!;
    expect(task.status).toBe('completed');
    expect(result.taskId).toBe(task.id);
    const served = await servedResult(sandbox, task.id);
    expect(result.result).toEqual({ path: join(job, 'output', `${task.id}.mp4`), bytes: served.length });
    expect((await readFile(join(job, 'output', `${task.id}.mp4`))).equals(served)).toBe(true);
    expect(result.fixed.map((f) => [f.path, f.mode, f.actions.map((a) => a.what), f.output])).toEqual([
      [join(job, 'banner.png'), 'convert', ['pad 3000×1000 → 3000×1200'], join(job, '.seedance-preflight/fixed/banner.png')],
      [join(job, 'clip.webm'), 'reencode', ['container WEBM → MP4', 're-encode vp9 → H.264', 'frame rate 15 → 24 fps'], join(job, '.seedance-preflight/fixed/clip.mp4')],
      [join(job, 'music.flac'), 'reencode', ['FLAC → MP3'], join(job, '.seedance-preflight/fixed/music.mp3')],
    ]);
    // the request sent: the demo's fields, each local file replaced by its uploaded URL
    const keys = await Promise.all(['banner.png', 'clip.mp4', 'music.mp3'].map(async (n) => `${await sha256(join(job, '.seedance-preflight/fixed', n))}.${n.split('.')[1]}`));
    const url = (key: string) => `${relay.endpoint}/${sandbox.bucket}/${key}`;
    expect(result.request).toEqual({
      model: 'seedance-2.0-reference-to-video',
      prompt: 'The banner of image 1 unfurls over the street of video 1, with audio 1 as background music.',
      image_urls: [url(keys[0]!)],
      video_urls: [url(keys[1]!)],
      audio_urls: [url(keys[2]!)],
      duration: 5,
      quality: '720p',
      aspect_ratio: '16:9',
    });
    expect(result.uploads!.map((u) => [u.key, u.uploaded])).toEqual(keys.map((k) => [k, true]));
    expect(await bucketKeys(sandbox)).toEqual(expect.arrayContaining(keys));
    const journal = await readJobJournal(job);
    expect(journal?.submit).toEqual({ state: 'created', at: expect.any(String), taskId: task.id });
    expect(journal?.result).toEqual({ ...result.result, qc: [] });
    expect(await Promise.all(['banner.png', 'clip.webm', 'music.flac', 'request.json'].map((n) => sha256(join(job, n))))).toEqual(originals);
  });

  it('a re-run of the finished job encodes nothing, sends 0 bytes to the store and creates no task', async () => {
    const fixedDir = join(job, '.seedance-preflight/fixed');
    const fixedTimes = await Promise.all((await readdir(fixedDir)).map(async (n) => (await stat(join(fixedDir, n))).mtimeMs));
    const before = tasksBefore();
    const queriesBefore = sandbox.simulator.counters().query;
    const bytesBefore = relay.bytesIn;
    const { result, stages } = await run({ folder: job }, { upload: sandboxUpload(sandbox, { endpoint: relay.endpoint }) });
    expect(result.ok).toBe(true);
    expect(stages).toEqual(['done']);
    expect([...new Set(result.resumed)]).toEqual(['check', 'fix', 'upload', 'submit', 'wait', 'download']);
    expect(result.uploads!.map((u) => u.uploaded)).toEqual([false, false, false]);
    expect(relay.bytesIn - bytesBefore).toBe(0);
    expect(sandbox.simulator.createdTasks().length).toBe(before);
    expect(sandbox.simulator.counters().query).toBe(queriesBefore);
    expect(await Promise.all((await readdir(fixedDir)).map(async (n) => (await stat(join(fixedDir, n))).mtimeMs))).toEqual(fixedTimes);
  });

  it('a re-run after the result file was deleted downloads it again from the recorded task, creating none', async () => {
    const journal = (await readJobJournal(job))!;
    const before = tasksBefore();
    await writeFile(journal.result!.path, ''); // replaced by an atomic download, never appended to
    const { rm } = await import('node:fs/promises');
    await rm(journal.result!.path);
    const { result, stages } = await run({ folder: job });
    expect(stages).toEqual(['download', 'done']);
    expect(result.taskId).toBe(journal.submit!.taskId);
    expect((await readFile(journal.result!.path)).equals(await servedResult(sandbox, journal.submit!.taskId!))).toBe(true);
    expect(sandbox.simulator.createdTasks().length).toBe(before);
  });
});

describe('runJob: a request-file job', () => {
  it('uploads the local paths, keeps the URL already in the store, and downloads the result', async () => {
    const job = join(dir, 'request-job');
    await mkdir(join(job, 'media'), { recursive: true });
    await copyFile(fixture('wide-3000x1000.png'), join(job, 'media/wide.png'));
    await copyFile(fixture('fps-15.mp4'), join(job, 'media/fps-15.mp4'));
    const [storedUrl] = (await putFixtures(sandbox, ['landscape-1280x720.jpg'])) as [string];
    const request = { model: 'seedance-2.0-reference-to-video', prompt: 'image 1 and image 2 over video 1', image_urls: ['media/wide.png', storedUrl], video_urls: ['media/fps-15.mp4'], duration: 4 };
    await writeFile(join(job, 'job.json'), JSON.stringify(request));
    const before = sandbox.simulator.createdTasks().length;
    const { result, stages } = await run({ requestFile: join(job, 'job.json') });
    expect(result.error).toBeNull();
    expect(stages).toEqual(['check', 'fix', 'upload', 'submit', 'wait', 'download', 'done']);
    expect(result.fixed.map((f) => [f.path, f.actions.map((a) => a.what)])).toEqual([
      [join(job, 'media/wide.png'), ['pad 3000×1000 → 3000×1200']],
      [join(job, 'media/fps-15.mp4'), ['frame rate 15 → 24 fps']],
    ]);
    const uploaded = result.uploads!.map((u) => u.url);
    expect(uploaded).toHaveLength(2);
    expect(result.request).toEqual({ ...request, image_urls: [uploaded[0], storedUrl], video_urls: [uploaded[1]] });
    // the work folder and the output sit beside the request file
    const task = sandbox.simulator.createdTasks().at(-1)!;
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    expect(result.result?.path).toBe(join(job, 'output', `${task.id}.mp4`));
    // a request file's journal sits in its own subfolder of the folder's work folder: other request files there have theirs
    const workDir = jobWorkDir({ requestFile: join(job, 'job.json') });
    expect(workDir).toBe(join(job, '.seedance-preflight', `job-${createHash('sha256').update(join(job, 'job.json')).digest('hex').slice(0, 8)}`));
    expect(JSON.parse(await readFile(join(workDir, 'journal.json'), 'utf8')).job).toBe(join(job, 'job.json'));
  });

  it('a finished job\'s version 1 journal (in version 1\'s place) is read without loss: resumed, nothing sent, upgraded to version 2', async () => {
    const job = join(dir, 'v1-job');
    await mkdir(job);
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'a.jpg'));
    await writeFile(join(job, 'job.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 turns', image_urls: ['a.jpg'], duration: 4 }));
    const first = await run({ requestFile: join(job, 'job.json') });
    expect(first.result.error).toBeNull();
    // what version 1 wrote: no fingerprint, no history, in the folder's own work folder
    const workDir = jobWorkDir({ requestFile: join(job, 'job.json') });
    const { fingerprint: _f, inputs: _i, history: _h, hashes: _s, ...v1 } = JSON.parse(await readFile(join(workDir, 'journal.json'), 'utf8'));
    await rm(workDir, { recursive: true });
    await writeFile(join(job, '.seedance-preflight/journal.json'), JSON.stringify({ ...v1, version: 1 }));
    const counters = sandbox.simulator.counters();
    const { result, stages } = await run({ requestFile: join(job, 'job.json') });
    expect(result.error).toBeNull();
    expect(stages).toEqual(['done']);
    expect(result.taskId).toBe(first.result.taskId);
    expect(result.result).toEqual(first.result.result);
    expect(sandbox.simulator.counters()).toEqual(counters);
    const upgraded = JSON.parse(await readFile(join(workDir, 'journal.json'), 'utf8'));
    expect([upgraded.version, upgraded.fingerprint, upgraded.submit, upgraded.result, upgraded.history]).toEqual([2, expect.stringMatching(/^[0-9a-f]{64}$/), v1.submit, v1.result, []]);
  });
});

describe('runJob: a create whose answer never arrived is reported, never re-sent', () => {
  it('a dropped create leaves the journal "unknown"; the re-run reports it with the exact message and creates nothing', async () => {
    const job = await writeAssetFolder(join(dir, 'dropped'), 11);
    sandbox.simulator.dropNextCreateAfterBody(1);
    const before = sandbox.simulator.createdTasks().length;
    const first = await run({ folder: job });
    expect(first.result.ok).toBe(false);
    expect(first.result.error?.stage).toBe('submit');
    // the simulator did create it: that is exactly why it must never be sent again
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
    const journal = (await readJobJournal(job))!;
    expect(journal.submit).toEqual({ state: 'unknown', at: expect.any(String) });
    const creates = sandbox.simulator.counters().create;
    const again = await run({ folder: job });
    expect(again.stages).toEqual([]);
    expect(again.result.error).toEqual({
      stage: 'submit',
      message: `a create request for this job was sent at ${journal.submit!.at}, but its answer never arrived: a task may exist and be billed`,
      hint: `look the task up in your provider's task list: run again with --adopt-task TASK_ID to wait for it, or with --restart if none was created (seedance-preflight never re-sends a create silently; journal ${join(job, '.seedance-preflight/journal.json')})`,
    });
    expect(sandbox.simulator.counters().create).toBe(creates);
    expect(sandbox.simulator.createdTasks().length).toBe(before + 1);
  });

  it('a version 1 journal left in "sending" (killed mid-create) is read and reported the same way; nothing is done', async () => {
    const job = await writeAssetFolder(join(dir, 'sending'), 12);
    const at = '2026-01-02T03:04:05.000Z';
    await mkdir(join(job, '.seedance-preflight'));
    await writeFile(join(job, '.seedance-preflight/journal.json'), JSON.stringify({ version: 1, job, submit: { state: 'sending', at } }));
    const creates = sandbox.simulator.counters().create;
    const keys = await bucketKeys(sandbox);
    const { result, stages } = await run({ folder: job });
    expect(stages).toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      stage: 'submit',
      message: `a create request for this job was sent at ${at}, but its answer never arrived: a task may exist and be billed`,
      hint: `look the task up in your provider's task list: run again with --adopt-task TASK_ID to wait for it, or with --restart if none was created (seedance-preflight never re-sends a create silently; journal ${join(job, '.seedance-preflight/journal.json')})`,
    });
    expect(sandbox.simulator.counters().create).toBe(creates);
    expect(await bucketKeys(sandbox)).toEqual(keys);
  });
});

describe('runJob: dry run', () => {
  it('prints the exact request with the URLs it would use and the cost drivers; uploads nothing, creates nothing', async () => {
    const fresh = await startSandbox({ taskDurationMs: 300 });
    try {
      const job = await copyDemo(join(dir, 'dry'));
      const { result, stages } = await runJob({ ...sandboxJobOptions(fresh), job: { folder: job }, dryRun: true }).then((r) => ({ result: r, stages: [] }));
      expect(stages).toEqual([]);
      expect(result.ok).toBe(true);
      const fixed = join(job, '.seedance-preflight/fixed');
      const url = async (name: string) => `${fresh.s3.endpoint}/${fresh.bucket}/${await sha256(join(fixed, name))}.${name.split('.')[1]}`;
      expect(result.request).toEqual({
        model: 'seedance-2.0-reference-to-video',
        prompt: 'The banner of image 1 unfurls over the street of video 1, with audio 1 as background music.',
        image_urls: [await url('banner.png')],
        video_urls: [await url('clip.mp4')],
        audio_urls: [await url('music.mp3')],
        duration: 5,
        quality: '720p',
        aspect_ratio: '16:9',
      });
      expect(result.costDrivers).toEqual({ outputSeconds: 5, inputVideoSeconds: 4, contentFilterFactor: 1 });
      expect(result.taskId).toBeNull();
      expect(await bucketKeys(fresh)).toEqual([]);
      expect(fresh.simulator.counters().total).toBe(0);
      expect(await readdir(job)).not.toContain('output');
    } finally {
      await fresh.close();
    }
  });
});

describe('runJob: bad input', () => {
  it('an asset folder with nothing usable names the file and what to do; nothing is uploaded or created', async () => {
    const job = join(dir, 'junk');
    await mkdir(job);
    await copyFile(fixture('text-named.mp4'), join(job, 'clip.mp4'));
    await writeFile(join(job, 'prompt.txt'), 'a prompt\n');
    const creates = sandbox.simulator.counters().create;
    const { result } = await run({ folder: job });
    expect(result.error).toEqual({ stage: 'fix', message: `${join(job, 'clip.mp4')}: its bytes are not an image, video or audio format (UTF-8 text, 20 bytes)`, hint: 'replace or remove this file, then run again' });
    expect(sandbox.simulator.counters().create).toBe(creates);
  });

  // with no media a job is text-to-video, which needs only a prompt: that is what is missing
  it('an empty asset folder: nothing to send, named by the folder itself (not the fixed copy)', async () => {
    const job = join(dir, 'empty');
    await mkdir(job);
    const tasks = sandbox.simulator.createdTasks().length;
    const { result } = await run({ folder: job });
    expect(result.error).toEqual({
      stage: 'check',
      message: `${job}: prompt is missing (rule request.prompt)`,
      hint: 'write a prompt ("prompt" in the request, prompt.txt in an asset folder, or --prompt)',
    });
    expect(sandbox.simulator.createdTasks().length).toBe(tasks);
  });

  it('a request.json that is not JSON: the file, the parser\'s position and the fix', async () => {
    const job = join(dir, 'not-json');
    await mkdir(job);
    await writeFile(join(job, 'request.json'), '{"model": "seedance-2.0-reference-to-video", prompt: 1}');
    const { result } = await run({ folder: job });
    expect(result.error).toEqual({
      stage: 'check',
      message: `${join(job, 'request.json')}: the request file cannot be used: it is not valid JSON (Expected double-quoted property name in JSON at position 45) (rule request.json)`,
      hint: "write the request as a JSON object with the API's field names",
    });
  });

  it('a request.json that breaks the schema names the field in the user\'s own file, not the fixed copy', async () => {
    const job = join(dir, 'schema');
    await mkdir(job);
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'a.jpg'));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1', image_urls: ['a.jpg'], duration: 'five' }));
    const creates = sandbox.simulator.counters().create;
    const { result } = await run({ folder: job });
    expect(result.error).toEqual({
      stage: 'check',
      message: `${join(job, 'request.json')}: duration "five" is not a whole number of seconds from 4 to 15; allowed: 4–15 s (rule request.duration)`,
      hint: 'set "duration" to an integer from 4 to 15',
    });
    expect(sandbox.simulator.counters().create).toBe(creates);
  });
});
