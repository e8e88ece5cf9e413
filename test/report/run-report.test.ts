import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { useSandboxCli } from '../helpers/run-cli.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-report-run-', { taskDurationMs: 300 });
// its afterAll checks that the key is in no output of any run of this file
const { run } = useSandboxCli(box, { probeCache: true });
let sandbox: Sandbox;
let dir: string;
beforeAll(() => ({ sandbox, dir } = box));

/** The job rows of the summary table: status, stage, task id cell, result cell. */
function jobRows(html: string): string[][] {
  return [...html.matchAll(/<tr data-status="([a-z-]+)"><td><a href="#job-\d+">([^<]+)<\/a><\/td><td>.*?<\/td><td>([a-z]+)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1));
}

describe('--report on run and batch (against the sandbox)', () => {
  it('run: the job summary with its task and result link, the result poster, and a before/after pair per fixed file', async () => {
    await copyDemo(join(dir, 'demo'));
    const result = await run(['run', 'demo', '--report', 'run.html']);
    expect(result.code).toBe(0);
    const task = sandbox.simulator.createdTasks().at(-1)!;
    expect(result.stderr).toMatch(/\nreport: run\.html \(\d+ thumbnails in run\.assets\/, [\d.]+ KB in all\)\n$/);
    const html = await readFile(join(dir, 'run.html'), 'utf8');
    expect(jobRows(html)).toEqual([['done', 'demo', 'download', `<code>${task.id}</code>`, `<a href="demo/output/${task.id}.mp4">${task.id}.mp4</a>`]]);
    expect(html).toMatch(new RegExp(`<img class="result" src="run\\.assets/[0-9a-f]{32}-main\\.jpg" alt="poster frame of the result demo/output/${task.id}.mp4">`));
    const pairs = [...html.matchAll(/<div class="pair"><div class="before"><figure class="thumb"><img class="main" src="([^"]+)" alt="before: ([^"]+)">.*?<div class="after"><figure class="thumb"><img class="main" src="([^"]+)" alt="after: ([^"]+)">/g)].map((m) => [m[2], m[4]]);
    expect(pairs).toEqual([
      // shown relative to the folder the command ran in
      ['image demo/banner.png 3000×1000', 'image demo/.seedance-preflight/fixed/banner.png 3000×1200'],
      ['poster frame of video demo/clip.webm 854×480, 4 s', 'poster frame of video demo/.seedance-preflight/fixed/clip.mp4 854×480, 4 s'],
      ['waveform of audio demo/music.flac, 4 s', 'waveform of audio demo/.seedance-preflight/fixed/music.mp3, 4.05 s'],
    ]);
    // the sandbox's result matches the request: its QC has no findings
    expect(html).toContain('<h4>Result QC <span class="badge ok">matches the request</span></h4>');
    // the prompt's references lead to the cards, traced through the uploaded URLs
    expect(html).toContain('The banner of <a class="ref" data-ref="image 1" href="#card-1">image 1</a> unfurls over the street of <a class="ref" data-ref="video 1" href="#card-2">video 1</a>');
    const assets = await readdir(join(dir, 'run.assets'));
    for (const src of html.matchAll(/src="run\.assets\/([^"]+)"/g)) expect(assets).toContain(src[1]);
  }, 120_000);

  it('batch --dry-run: one row per job, dry-run status, and the cost drivers of each request', async () => {
    await copyDemo(join(dir, 'jobs/a'));
    await mkdir(join(dir, 'jobs/b'), { recursive: true });
    await writeFile(join(dir, 'jobs/b/request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'video 1', video_urls: ['missing.mp4'] }));
    const result = await run(['batch', 'jobs', '--dry-run', '--report', 'batch.html']);
    expect(result.code).toBe(1);
    const html = await readFile(join(dir, 'batch.html'), 'utf8');
    const rows = jobRows(html);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['dry-run', 'jobs/a', 'fix'],
      ['failed', 'jobs/b', 'fix'],
    ]);
    expect(html).toContain('<h4>Cost drivers (dry run)</h4><dl class="facts"><dt>output seconds</dt><dd>5 s</dd><dt>input video seconds</dt><dd>4 s</dd><dt>content filter factor</dt><dd>1×</dd></dl>');
    expect(html).toContain('<label><input type="radio" name="status" id="status-dry-run" value="dry-run"> dry-run (1)</label>');
  }, 120_000);
});
