import { describe, expect, it } from 'vitest';
import { checkJob, mergeReports } from '../../src/check/check-job.js';
import type { CheckInput } from '../../src/check/job.js';
import type { CheckOutcome } from '../../src/pipeline/check-targets.js';
import type { RunJobResult } from '../../src/pipeline/run-job.js';
import type { MediaKind } from '../../src/probe/media-info.js';
import { buildReportHtml } from '../../src/report/build-report-html.js';
import { modelFromCheck, modelFromRuns, type ModelContext } from '../../src/report/model-from-results.js';
import type { Thumbnails } from '../../src/report/report-model.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, entry, failure, image, video } from '../helpers/media-info.js';

const ODD = `a <b> & "c" 'd'.png`;
const ODD_HTML = 'a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;.png';

function thumbs(path: string, kind: MediaKind): Thumbnails {
  const key = path.slice(path.lastIndexOf('/') + 1);
  return { kind, main: `r.assets/${key}-main.jpg`, frames: kind === 'video' ? [1, 2, 3, 4].map((n) => `r.assets/${key}-frame-${n}.jpg`) : [], frameTimes: kind === 'video' ? [0.5, 1.5, 2.5, 3.5] : [] };
}

const kinds = new Map<string, MediaKind>();
const ctx: ModelContext = {
  profile: SEED_PROFILE,
  generatedAt: '2026-12-01T12:00:00.000Z',
  thumbs: (path) => (kinds.has(path) ? thumbs(path, kinds.get(path)!) : null),
  href: (path) => `../${path}`,
};

function checked(inputs: CheckInput[]): CheckOutcome {
  for (const input of inputs) for (const m of input.media) if (m.path && m.probe?.ok) kinds.set(m.path, m.probe.info.kind);
  const jobs = inputs.map((input) => checkJob(input, SEED_PROFILE));
  return { report: mergeReports(jobs), jobs, inputs, missingPaths: [], ignored: [] };
}

const wide = image({ path: ODD, format: 'png', extension: 'png', width: 3000, height: 1000, storedWidth: 3000, storedHeight: 1000 });
const slow = video({ path: 'clips/slow.webm', format: 'webm', extension: 'webm', videoCodec: 'vp9', fps: 15, duration: 10, containerDuration: 10, streamDuration: 10 });
const long = video({ path: 'clips/long.mp4', duration: 10, containerDuration: 10, streamDuration: 10 });
const tone = audio({ path: 'tone.mp3' });
const request: CheckInput = {
  label: 'job/request.json',
  request: { model: 'seedance-2.0-reference-to-video', prompt: 'image 1 flies over video 2, then @Image3 & <audio 1>', duration: 5, image_urls: [ODD], video_urls: ['clips/slow.webm', 'clips/long.mp4'], audio_urls: ['tone.mp3'] },
  media: [entry('image_urls', 0, wide), entry('video_urls', 0, slow), entry('video_urls', 1, long), entry('audio_urls', 0, tone)],
  loadViolations: [],
};
const loose: CheckInput = {
  label: 'files',
  request: null,
  media: [{ field: null, index: 0, ref: 'broken.mp4', path: 'broken.mp4', probe: { ok: false, failure: failure() } }],
  loadViolations: [],
};
const outcome = checked([request, loose]);
const html = buildReportHtml(modelFromCheck(outcome, ctx));

/** Each card's id and the rule ids it lists. */
function cards(doc: string): Array<{ id: string; rules: string[] }> {
  return [...doc.matchAll(/<article class="card [a-z]+" id="(card-\d+)" data-kind="[a-z]+" data-rules="([^"]*)" data-file-status="(?:failing|fixed|passing)">/g)].map((m) => ({ id: m[1]!, rules: m[2] ? m[2].split(' ') : [] }));
}

describe('buildReportHtml', () => {
  it('escapes file names with <, &, quotes in text and attributes, and percent-encodes links', () => {
    expect(html).toContain(`<h3>image: ${ODD_HTML} <span class="muted">(image 1)</span> <span class="badge failing">failing</span></h3>`);
    expect(html).toContain(`alt="image ${ODD_HTML} 3000×1000"`);
    expect(html).toContain(`src="r.assets/a%20%3Cb%3E%20%26%20%22c%22%20&#39;d&#39;.png-main.jpg"`);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<audio');
    expect(html).toContain('then <mark class="ref missing" data-ref="image 3" title="the request has no image 3">@Image3</mark> &amp; &lt;<a class="ref" data-ref="audio 1" href="#card-4">audio 1</a>&gt;');
  });

  it('draws one card per file, each listing the rule ids it breaks', () => {
    expect(cards(html)).toEqual([
      { id: 'card-1', rules: ['image.aspect_ratio'] },
      { id: 'card-2', rules: ['video.format', 'video.codec', 'video.fps'] },
      { id: 'card-3', rules: [] },
      { id: 'card-4', rules: [] },
      { id: 'card-5', rules: ['file.corrupt'] },
    ]);
    expect(outcome.report.files.map((f) => f.violations.map((v) => v.rule))).toEqual(cards(html).map((c) => c.rules));
  });

  it('indexes every file first, failing or passing, filterable with CSS alone', () => {
    const rows = [...html.matchAll(/<tr data-file-status="([a-z]+)"><td class="path"><a href="#(card-\d+)">([^<]+)<\/a><\/td><td>([a-z]+)<\/td><td><span class="badge ([a-z]+)">\5<\/span><\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3], m[4], m[6], m[7]]);
    // check: the fix column says what fix would do, one item per rule; the request's cut reaches both videos
    const cut = '<li data-rule="request.video_total_duration">request: trim them in proportion to 15 s in total, none below 2 s</li>';
    expect(rows).toEqual([
      ['failing', 'card-1', ODD_HTML, 'image', '<code class="error">image.aspect_ratio</code>', '<ul class="remedies"><li data-rule="image.aspect_ratio">pad to the nearest allowed ratio (or crop with --fit crop)</li></ul>'],
      [
        'failing',
        'card-2',
        'clips/slow.webm',
        'video',
        '<code class="error">video.format</code> <code class="error">video.codec</code> <code class="error">video.fps</code>',
        `<ul class="remedies"><li data-rule="video.format">convert to MP4 (H.264 + AAC)</li><li data-rule="video.codec">re-encode to H.264</li><li data-rule="video.fps">raise the frame rate to 24 fps</li>${cut}</ul>`,
      ],
      ['passing', 'card-3', 'clips/long.mp4', 'video', '—', `<ul class="remedies">${cut}</ul>`],
      ['passing', 'card-4', 'tone.mp3', 'audio', '—', '—'],
      ['failing', 'card-5', 'broken.mp4', 'unknown', '<code class="error">file.corrupt</code>', '<ul class="remedies"><li data-rule="file.corrupt">cannot be fixed: export or download the file again; a damaged file cannot be repaired</li></ul>'],
    ]);
    expect(html).toContain('<legend>Show files</legend><label><input type="radio" name="files" id="files-all" value="all" checked> all (5)</label><label><input type="radio" name="files" id="files-failing" value="failing"> failing (3)</label><label><input type="radio" name="files" id="files-passing" value="passing"> passing (2)</label>');
    expect(html).toContain('body:has(#files-failing:checked) [data-file-status]:not([data-file-status="failing"])');
  });

  it('shows each rule with its limit, actual value, severity and source row', () => {
    expect(html).toContain(
      '<tr class="error" data-rule="video.fps"><td><code>video.fps</code></td><td>24–60 fps</td><td>15 fps</td><td class="severity">error</td><td class="source">docs/LIMITS.md#video.fps; seedance-2.0-reference-to-video.ja.md video_urls: 24〜60 FPS</td></tr>',
    );
    expect(html).toContain('<p>Could not be read: it is truncated</p>');
  });

  it('links each prompt reference to its card and marks the missing ones', () => {
    const refs = [...html.matchAll(/<(a|mark) class="ref[^"]*" data-ref="([^"]+)"(?: title="[^"]*")?(?: href="#([^"]+)")?>/g)].map((m) => [m[2], m[1] === 'a' ? m[3] : 'missing']);
    expect(refs).toEqual([['image 1', 'card-1'], ['video 2', 'card-3'], ['image 3', 'missing'], ['audio 1', 'card-4']]);
    expect(html).toContain('<h3>video: clips/long.mp4 <span class="muted">(video 2)</span> <span class="badge passing">passing</span></h3>');
  });

  it('draws the 15 s budgets with each file\'s share and the cut fix would make', () => {
    expect(html).toContain('<h4>Video budget: 20 s of 15 s, over by 5 s; after the cut 14.8 s</h4>');
    expect(html).toContain('<li><a href="#card-2">video 1</a>: 10 s → <strong>7.4 s</strong> (cut 2.6 s)</li>');
    expect(html).toContain('<span class="seg" style="width:50.00%" title="video 1: 10 s, cut to 7.4 s"><span class="kept" style="width:74.00%"></span><span class="cut" style="flex:1"></span></span>');
    expect(html).toContain('<span class="limit" style="left:75.00%"');
    expect(html).toContain('<h4>Audio budget: 3 s of 15 s</h4>');
    expect(html).toContain('<tr class=""><td>video</td><td>2</td><td>0–3</td></tr>');
  });

  it('gives every image alt text, loads nothing from the network and runs no script', () => {
    const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(images).toHaveLength(1 + 5 + 5 + 1);
    for (const img of images) expect(img).toMatch(/ alt="[^"]{8,}"/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(/);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
  });
});

describe('buildReportHtml for run and batch', () => {
  const base: RunJobResult = { job: 'jobs/a', ok: true, resumed: [], fixed: [], uploads: [], request: { model: 'seedance-2.0-reference-to-video', prompt: 'video 1' }, taskId: 'task-1', result: { path: 'jobs/a/output/task-1.mp4', bytes: 10 }, qc: null, costDrivers: null, error: null };
  const failed: RunJobResult = { ...base, job: 'jobs/b&c', ok: false, taskId: null, result: null, error: { stage: 'upload', message: 'S3 refused <x>', hint: 'check the bucket' } };
  const withQc: RunJobResult = { ...base, job: 'jobs/d', qc: [{ check: 'duration', severity: 'warning', expectedSeconds: 5, actualSeconds: 4, toleranceSeconds: 0.5, defaulted: false }] };
  kinds.set('jobs/a/output/task-1.mp4', 'video');
  const doc = buildReportHtml(modelFromRuns([base, failed, withQc], 'batch', false, ctx));

  it('starts with a summary table of the jobs, one row per job with status, stage, task id and result', () => {
    const rows = [...doc.matchAll(/<tr data-status="([a-z-]+)"><td><a href="#(job-\d)">([^<]+)<\/a><\/td><td><span class="badge [a-z-]+">[a-z-]+<\/span><\/td><td>([a-z]+)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['done', 'job-1', 'jobs/a', 'download', '<code>task-1</code>', '<a href="../jobs/a/output/task-1.mp4">task-1.mp4</a>'],
      ['failed', 'job-2', 'jobs/b&amp;c', 'upload', '—', 'S3 refused &lt;x&gt;'],
      ['done', 'job-3', 'jobs/d', 'download', '<code>task-1</code>', '<a href="../jobs/a/output/task-1.mp4">task-1.mp4</a>'],
    ]);
    expect(doc.indexOf('<section id="jobs">')).toBeLessThan(doc.indexOf('<section class="job" id="job-1"'));
  });

  it('filters by status with radio buttons and CSS alone (readable and filterable without script)', () => {
    expect(doc).toContain('<label><input type="radio" name="status" id="status-all" value="all" checked> all (3)</label><label><input type="radio" name="status" id="status-done" value="done"> done (2)</label><label><input type="radio" name="status" id="status-failed" value="failed"> failed (1)</label>');
    expect(doc).toContain('body:has(#status-failed:checked) [data-status]:not([data-status="failed"])');
    expect(doc).toContain('<section class="job" id="job-2" data-status="failed">');
  });

  it('a job stopped by Ctrl-C, one never started and one busy are their own statuses (never failed), each with its filter', () => {
    const stopped: RunJobResult = { ...failed, job: 'jobs/e', cancelled: true, error: { stage: 'fix', message: 'interrupted (SIGINT)', hint: 'run again to resume where it stopped' } };
    const notStarted = { ...stopped, job: 'jobs/f', notStarted: true };
    const busy: RunJobResult = { ...failed, job: 'jobs/g', busy: { lock: 'jobs/g/.seedance-preflight/job.lock', holder: null, heartbeatAgeMs: 0, staleAfterMs: 30_000 } };
    const html = buildReportHtml(modelFromRuns([stopped, notStarted, busy], 'batch', false, ctx));
    expect([...html.matchAll(/<tr data-status="([a-z-]+)"><td><a href="#job-\d">([^<]+)<\/a><\/td><td><span class="badge ([a-z-]+)">/g)].map((m) => m.slice(1))).toEqual([
      ['interrupted', 'jobs/e', 'interrupted'],
      ['not-started', 'jobs/f', 'not-started'],
      ['busy', 'jobs/g', 'busy'],
    ]);
    expect(html).toContain('<label><input type="radio" name="status" id="status-all" value="all" checked> all (3)</label><label><input type="radio" name="status" id="status-busy" value="busy"> busy (1)</label><label><input type="radio" name="status" id="status-interrupted" value="interrupted"> interrupted (1)</label><label><input type="radio" name="status" id="status-not-started" value="not-started"> not-started (1)</label>');
    expect(html).toContain('body:has(#status-not-started:checked) [data-status]:not([data-status="not-started"])');
    expect(html).not.toMatch(/<(tr|section)[^>]* data-status="failed"/);
    expect(html).toContain('<section class="job" id="job-1" data-status="interrupted">');
  });

  it("shows the result's poster frame, the failure with what to do, and QC findings when present", () => {
    expect(doc).toContain('<img class="result" src="r.assets/task-1.mp4-main.jpg" alt="poster frame of the result jobs/a/output/task-1.mp4">');
    expect(doc).toContain('<dt>error</dt><dd>S3 refused &lt;x&gt;<br><span class="muted">To do: check the bucket</span></dd>');
    expect(doc).toContain('<h4>Result QC <span class="badge failed">does not match the request</span></h4><ul class="qc"><li>result is 4.0 s; the request asked for 5 s</li></ul>');
    expect(doc.match(/Result QC/g)).toHaveLength(1);
  });
});
