import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../src/probe/probe-file.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { fixture } from '../helpers/fixtures.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-result-qc-', { taskDurationMs: 300 });
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;

beforeAll(() => {
  ({ sandbox, dir } = box);
});

/** An asset folder holding one conforming image and a request.json with these fields. */
async function job(name: string, image: string, fields: Record<string, unknown>): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  const file = `image.${image.split('.').pop()}`;
  await copyFile(fixture(image), join(dir, name, file));
  await writeFile(join(dir, name, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'image 1 slowly turns', image_urls: [file], ...fields }));
}

/** The served result's duration as the project's probe reads it (what QC compares). */
async function servedSeconds(taskId: string): Promise<number> {
  const probe = await probeFile(sandbox.simulator.resultFile(taskId)!);
  if (!probe.ok || probe.info.kind !== 'video' || probe.info.duration === null) throw new Error(`the result of ${taskId} is not a video with a duration`);
  return probe.info.duration;
}

describe('result QC against the sandbox over real HTTP', () => {
  it('warns when the simulator returns a 5 s video for a 10 s request: in text, on a re-run, and in JSON (exit 0)', async () => {
    await job('short', 'landscape-1280x720.jpg', { duration: 10 });
    sandbox.simulator.alterNextResults(1, { seconds: 5 });
    const result = await run(['run', 'short']);
    expect(result.code, result.stderr).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!;
    expect(result.stdout).toBe(
      `✓ short  task ${task.id} completed → short/output/${task.id}.mp4\n` +
        '    warning result is 5.0 s; the request asked for 10 s\n' +
        '1 of 1 job done; 1 result differs from its request.\n',
    );

    // the findings are kept in the journal: a re-run reports them without probing or asking the API again
    const requests = sandbox.simulator.counters().total;
    const again = await run(['run', 'short', '--json']);
    expect(again.code).toBe(0);
    expect(sandbox.simulator.counters().total).toBe(requests);
    const report = JSON.parse(again.stdout) as { ok: boolean; jobs: { taskId: string; result: unknown; qc: unknown }[] };
    expect(report.ok).toBe(true);
    expect(report.jobs[0]!.taskId).toBe(task.id);
    expect(report.jobs[0]!.result).toEqual({ path: `short/output/${task.id}.mp4`, bytes: (await readFile(sandbox.simulator.resultFile(task.id)!)).length });
    expect(report.jobs[0]!.qc).toEqual([
      { check: 'duration', severity: 'warning', expectedSeconds: 10, actualSeconds: await servedSeconds(task.id), toleranceSeconds: 0.5, defaulted: false, message: 'result is 5.0 s; the request asked for 10 s' },
    ]);

    // a crash between the download and the QC leaves a journal without findings: the next run checks the file it has
    const journalPath = join(dir, 'short/.seedance-preflight/journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { result: { qc?: unknown } };
    delete journal.result.qc;
    await writeFile(journalPath, JSON.stringify(journal));
    const recovered = await run(['run', 'short']);
    expect(recovered.stdout).toBe(
      `✓ short  task ${task.id} completed → short/output/${task.id}.mp4 (resumed: check, fix, upload, submit, wait, download already done)\n` +
        '    warning result is 5.0 s; the request asked for 10 s\n' +
        '1 of 1 job done; 1 result differs from its request.\n',
    );
    expect(sandbox.simulator.counters().total).toBe(requests);
  });

  it('says nothing when the result matches: adaptive follows image 1 (800×600 → 4:3, 1112×834), 4 s, no audio asked', async () => {
    await job('matching', 'valid-800x600.webp', { duration: 4, aspect_ratio: 'adaptive', generate_audio: false });
    const result = await run(['run', 'matching', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!;
    const probe = await probeFile(sandbox.simulator.resultFile(task.id)!);
    // the sandbox answered as the documents say, so there is nothing to warn about
    expect(probe.ok && probe.info.kind === 'video' ? [probe.info.width, probe.info.height, probe.info.hasAudio] : probe).toEqual([1112, 834, false]);
    const report = JSON.parse(result.stdout) as { jobs: { qc: unknown }[] };
    expect(report.jobs[0]!.qc).toEqual([]);
    const text = await run(['run', 'matching']);
    expect(text.stdout).toBe(`✓ matching  task ${task.id} completed → matching/output/${task.id}.mp4 (resumed: check, fix, upload, submit, wait, download already done)\n1 of 1 job done.\n`);
  });

  it('batch: each job with a wrong result has its warning under the table and in the JUnit output', async () => {
    await job('root/a', 'landscape-1280x720.jpg', { quality: '480p' });
    await job('root/b', 'landscape-1280x720.jpg', { quality: '480p', aspect_ratio: '9:16' });
    // both tasks lose their audio and come back at 720p 16:9
    sandbox.simulator.alterNextResults(2, { audio: false, width: 1280, height: 720 });
    const result = await run(['batch', 'root', '--junit', 'batch.xml']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(-5)).toEqual([
      'warning root/a: result is 1280×720; the request asked for 480p 16:9, which is 864×496',
      'warning root/a: result has no audio; the request asked for audio (generate_audio is true by default)',
      'warning root/b: result is 1280×720; the request asked for 480p 9:16, which is 496×864',
      'warning root/b: result has no audio; the request asked for audio (generate_audio is true by default)',
      '2 of 2 jobs done; 2 results differ from their requests.',
    ]);
    const xml = await readFile(join(dir, 'batch.xml'), 'utf8');
    expect(xml).toContain('<system-out><![CDATA[warning: result is 1280×720; the request asked for 480p 16:9, which is 864×496\nwarning: result has no audio; the request asked for audio (generate_audio is true by default)]]></system-out>');
    expect(xml).toContain('<system-out><![CDATA[warning: result is 1280×720; the request asked for 480p 9:16, which is 496×864\nwarning: result has no audio; the request asked for audio (generate_audio is true by default)]]></system-out>');
    expect(xml).not.toContain('<failure');
  });
});
