import { describe, expect, it } from 'vitest';
import { checkJob, mergeReports } from '../../src/check/check-job.js';
import type { CheckInput } from '../../src/check/job.js';
import type { Violation } from '../../src/check/violation.js';
import type { FixPlan } from '../../src/normalize/fix-plan.js';
import { planFix } from '../../src/normalize/plan-fix.js';
import type { CheckOutcome } from '../../src/pipeline/check-targets.js';
import type { FixedFileReport, FixOutcome } from '../../src/pipeline/fix-targets.js';
import type { RunJobResult } from '../../src/pipeline/run-job.js';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { buildReportHtml } from '../../src/report/build-report-html.js';
import { fileStatus, isRewritten, type FixFacts } from '../../src/pipeline/file-status.js';
import { modelFromCheck, modelFromFix, modelFromRuns, type ModelContext } from '../../src/report/model-from-results.js';
import type { ReportModel } from '../../src/report/report-model.js';
import { displayPath } from '../../src/shared/display-path.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, entry, image, video } from '../helpers/media-info.js';

/** The folder the command "ran in": results carry absolute paths under it and beside it. */
const CWD = '/home/ana/work';
const ctx: ModelContext = { profile: SEED_PROFILE, generatedAt: '2026-12-01T12:00:00.000Z', thumbs: () => null, href: (p) => p, display: (p) => displayPath(p, CWD) };

const error = (rule: Violation['rule'], subject: string, fix = 'do the thing', fixable = true): Violation => ({ rule, severity: 'error', subject, limit: null, actual: null, problem: `${rule} is wrong`, fix, fixable, source: 'docs/LIMITS.md' });
const warning = (rule: Violation['rule'], subject: string): Violation => ({ ...error(rule, subject), severity: 'warning' });

describe('fileStatus and isRewritten: the one meaning of "fixed"', () => {
  const fix = (overrides: Partial<FixFacts>): FixFacts => ({ ok: true, output: 'out/x', mode: 'reencode', actions: [{}], ...overrides });
  it.each<[string, Violation[], FixFacts | null, 'failing' | 'fixed' | 'passing', boolean]>([
    ['check: an error', [error('video.fps', 'x')], null, 'failing', false],
    ['check: a warning only', [warning('video.pixels_for_quality', 'x')], null, 'passing', false],
    ['check: nothing', [], null, 'passing', false],
    ['re-encoded after an error', [error('video.fps', 'x')], fix({}), 'fixed', true],
    ['re-encoded for a warning', [warning('video.pixels_for_quality', 'x')], fix({}), 'fixed', true],
    ['re-encoded with no rule of its own (the request cut it)', [], fix({ actions: [{}] }), 'fixed', true],
    ['remuxed', [error('video.format', 'x')], fix({ mode: 'remux' }), 'fixed', true],
    ['converted', [error('image.format', 'x')], fix({ mode: 'convert' }), 'fixed', true],
    ['copied under its format\'s extension', [warning('file.extension_mismatch', 'x')], fix({ mode: 'copy' }), 'fixed', true],
    ['copied as it is', [], fix({ mode: 'copy', actions: [] }), 'passing', false],
    ['fix failed', [error('video.fps', 'x')], fix({ ok: false, output: null }), 'failing', false],
    ['fix failed on a file with a warning only', [warning('video.hdr', 'x')], fix({ ok: false, output: null }), 'failing', false],
    ['dry run: planned, nothing written', [error('video.fps', 'x')], fix({ output: null }), 'failing', false],
    ['dry run: planned for a warning', [warning('video.pixels_for_quality', 'x')], fix({ output: null }), 'passing', false],
    ['Ctrl-C before its turn, source broken', [error('video.fps', 'x')], fix({ ok: false, output: null, interrupted: 'not started' }), 'failing', false],
    ['Ctrl-C stopped its encode, source passing', [warning('video.hdr', 'x')], fix({ ok: false, output: null, interrupted: 'stopped' }), 'passing', false],
  ])('%s', (_name, violations, facts, status, rewritten) => {
    expect(fileStatus(violations, facts)).toBe(status);
    expect(facts ? isRewritten(facts) : false).toBe(rewritten);
  });
});

/** A fixed file as the pipeline reports it: the real planner's plan and actions for the source. */
function fixed(info: MediaInfo, violations: Violation[], output: string | null, overrides: Partial<FixedFileReport> = {}, durationShare?: number): FixedFileReport {
  const plan: FixPlan = planFix({ ok: true, info }, violations, SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3', durationShare });
  return { path: info.path, kind: info.kind, violations, mode: plan.mode, actions: plan.actions, output, outputInfo: null, cached: false, ok: true, error: null, outputViolations: [], plan, ...overrides };
}

const header = (model: ReportModel) => buildReportHtml(model).match(/<header>.*?<p class="muted">(.*?); generated /s)![1];
const filters = (model: ReportModel) => [...buildReportHtml(model).matchAll(/<input type="radio" name="files" id="files-[a-z]+" value="[a-z]+"(?: checked)?> ([a-z]+ \(\d+\))<\/label>/g)].map((m) => m[1]);

describe('modelFromFix: one count of fixed files, paths as typed from the working folder', () => {
  const job = `${CWD}/jobs/a`;
  const slow = video({ path: `${job}/slow.webm`, format: 'webm', extension: 'webm', videoCodec: 'vp9', fps: 15 });
  const long = video({ path: `${job}/long.mp4`, duration: 10, containerDuration: 10, streamDuration: 10 });
  const still = image({ path: `${job}/still.jpg` });
  const named = image({ path: `${job}/named.png`, extensionMatches: false, extension: 'png' });
  const broken = video({ path: `${job}/broken.mov`, format: 'mov', extension: 'mov', videoCodec: 'prores' });
  const waiting = audio({ path: '/srv/elsewhere/music.flac', format: 'flac', extension: 'flac', audioCodec: 'flac' });
  const input: CheckInput = {
    label: `${job}/request.json`,
    request: { model: 'seedance-2.0-reference-to-video', prompt: 'video 1, video 2', duration: 5, video_urls: ['slow.webm', 'long.mp4', 'broken.mov'], image_urls: ['still.jpg', 'named.png'], audio_urls: ['../../../../srv/elsewhere/music.flac'] },
    media: [entry('video_urls', 0, slow), entry('video_urls', 1, long), entry('video_urls', 2, broken), entry('image_urls', 0, still), entry('image_urls', 1, named), entry('audio_urls', 0, waiting)],
    loadViolations: [],
  };
  const found = checkJob(input, SEED_PROFILE);
  const own = (path: string) => found.files.find((f) => f.path === path)!.violations;
  const out = `${CWD}/out`;
  const outcome: FixOutcome = {
    ok: false,
    dryRun: false,
    missingPaths: [],
    ignored: [],
    inputs: [input],
    jobs: [
      {
        label: `${job}/request.json`,
        outDir: out,
        files: [
          fixed(slow, own(slow.path), `${out}/slow.mp4`),
          // breaks no rule of its own: re-encoded to take its share of the combined 15 s
          fixed(long, own(long.path), `${out}/long.mp4`, {}, 7),
          fixed(broken, own(broken.path), null, { ok: false, error: 'ffmpeg failed: no decoder' }),
          fixed(still, own(still.path), `${out}/still.jpg`),
          fixed(named, own(named.path), `${out}/named.jpg`),
          fixed(waiting, own(waiting.path), null, { ok: false, interrupted: 'not started', error: 'not started: interrupted (SIGINT)' }),
        ],
        requestOutput: null,
        requestBlockedBy: ['broken.mov'],
        request: { ok: true, violations: [] },
      },
    ],
  };
  const model = modelFromFix(outcome, [input], ctx);
  const cards = model.sections[0]!.cards;

  it('gives each file one status; fixed means a changed copy was written', () => {
    expect(own(long.path)).toEqual([]);
    expect(cards.map((c) => [c.path, c.status, c.fix?.mode])).toEqual([
      ['jobs/a/slow.webm', 'fixed', 'reencode'],
      ['jobs/a/long.mp4', 'fixed', 'reencode'],
      ['jobs/a/broken.mov', 'failing', 'reencode'],
      ['jobs/a/still.jpg', 'passing', 'copy'],
      ['jobs/a/named.png', 'fixed', 'copy'],
      // nothing in common with the working folder but the root: shown absolute
      ['/srv/elsewhere/music.flac', 'failing', 'reencode'],
    ]);
  });

  it('counts each status once, and the header and the filters say the same numbers', () => {
    // found before fixing: slow.webm's format, codec and fps, broken.mov's codec, music.flac's format and the request's
    // 16 s of video (errors); named.png's extension (a warning)
    expect(model.counts).toEqual({ files: 6, failing: 2, fixed: 3, passing: 1, planned: 0, errors: 6, warnings: 1 });
    expect(header(model)).toBe('6 media files: 2 failing, 3 fixed, 1 passing; found before fixing: 6 errors, 1 warning');
    expect(filters(model)).toEqual(['all (6)', 'failing (2)', 'fixed (3)', 'passing (1)']);
  });

  it('shows outputs, subjects and the ffmpeg operation relative to the working folder, never absolute', () => {
    expect(cards.map((c) => c.fix!.output)).toEqual(['out/slow.mp4', 'out/long.mp4', null, 'out/still.jpg', 'out/named.jpg', null]);
    expect(cards[0]!.violations.map((v) => v.subject)).toEqual(['jobs/a/slow.webm', 'jobs/a/slow.webm', 'jobs/a/slow.webm']);
    // the operation as the user could type it from there: its input and output (the flags between are the encoder's)
    expect(cards[1]!.fix!.operation).toMatch(/^ffmpeg -i jobs\/a\/long\.mp4 .* -t 7 .* out\/long\.mp4$/);
    expect(model.sections[0]!.title).toBe('jobs/a/request.json');
    expect(model.sections[0]!.request!.label).toBe('jobs/a/request.json');
    expect(buildReportHtml(model)).not.toContain(CWD);
  });

  it('says what the fix was in the index: the mode, or that it failed or did not start', () => {
    const cells = [...buildReportHtml(model).matchAll(/<tr data-file-status="[a-z]+">.*?<td>([^<]*)<\/td><\/tr>/g)].map((m) => m[1]);
    expect(cells).toEqual(['re-encode', 're-encode', 're-encode: failed', 'copy', 'renamed copy', 're-encode: not started']);
  });
});

describe('modelFromCheck: a file named twice is one card, each rule once, with the fix each file gets', () => {
  const tiny = image({ path: `${CWD}/job/tiny.png`, format: 'png', extension: 'png', width: 200, height: 200, storedWidth: 200, storedHeight: 200 });
  const clip = video({ path: `${CWD}/job/clip.mp4`, duration: 9, containerDuration: 9, streamDuration: 9 });
  const other = video({ path: `${CWD}/job/other.mp4`, duration: 9, containerDuration: 9, streamDuration: 9, fps: 15 });
  const input: CheckInput = {
    label: `${CWD}/job/request.json`,
    request: { model: 'seedance-2.0-reference-to-video', prompt: 'image 1 and image 2', image_urls: ['tiny.png', 'tiny.png'], video_urls: ['clip.mp4', 'other.mp4'] },
    media: [entry('image_urls', 0, tiny), entry('image_urls', 1, tiny), entry('video_urls', 0, clip), entry('video_urls', 1, other)],
    loadViolations: [],
  };
  const job = checkJob(input, SEED_PROFILE);
  const outcome: CheckOutcome = { report: mergeReports([job]), jobs: [job], inputs: [input], missingPaths: [], ignored: [] };
  const model = modelFromCheck(outcome, ctx);
  const cards = model.sections[0]!.cards;

  it('check reports tiny.png twice, with image.dimensions twice each time (width and height)', () => {
    expect(job.files.map((f) => [f.path, f.violations.map((v) => v.rule)])).toEqual([
      [tiny.path, ['image.dimensions', 'image.dimensions']],
      [tiny.path, ['image.dimensions', 'image.dimensions']],
      [clip.path, []],
      [other.path, ['video.fps']],
    ]);
  });

  it('draws one card per file, named by both entries, each rule once', () => {
    expect(cards.map((c) => ({ path: c.path, names: c.names, rules: c.rules, violations: c.violations.length, status: c.status }))).toEqual([
      { path: 'job/tiny.png', names: ['image 1', 'image 2'], rules: [{ rule: 'image.dimensions', severity: 'error' }], violations: 2, status: 'failing' },
      { path: 'job/clip.mp4', names: ['video 1'], rules: [], violations: 0, status: 'passing' },
      { path: 'job/other.mp4', names: ['video 2'], rules: [{ rule: 'video.fps', severity: 'error' }], violations: 1, status: 'failing' },
    ]);
    expect([...buildReportHtml(model).matchAll(/<tr class="error" data-rule="image.dimensions">/g)]).toHaveLength(1);
  });

  it('says which fix each file gets: its own rules, and the request\'s cut for every video it names', () => {
    expect(cards.map((c) => c.remedies)).toEqual([
      [{ rule: 'image.dimensions', fix: 'scale up so the width is at least 300 px, keeping the aspect ratio; scale up so the height is at least 300 px, keeping the aspect ratio', fixable: true }],
      [{ rule: 'request.video_total_duration', fix: 'request: trim them in proportion to 15 s in total, none below 2 s', fixable: true }],
      [
        { rule: 'video.fps', fix: 'raise the frame rate to 24 fps', fixable: true },
        { rule: 'request.video_total_duration', fix: 'request: trim them in proportion to 15 s in total, none below 2 s', fixable: true },
      ],
    ]);
  });

  it('counts the violations of the files once each, and the request\'s', () => {
    expect(model.counts).toEqual({ files: 3, failing: 2, fixed: 0, passing: 1, planned: 0, errors: 4, warnings: 0 });
    expect(header(model)).toBe('3 media files: 2 failing, 1 passing; 4 errors, 0 warnings');
    expect(filters(model)).toEqual(['all (3)', 'failing (2)', 'passing (1)']);
  });

  it("leaves the file's name out of a message under its own card, and the request's under the request", () => {
    const html = buildReportHtml(model);
    expect(html).toContain('<tr class="message"><td></td><td colspan="4">frame rate is 15 fps; allowed: 24–60 fps (rule video.fps). Fix: raise the frame rate to 24 fps (seedance-preflight fix does this).</td></tr>');
    expect(html).toContain(
      '<tr class="message"><td></td><td colspan="4">the video files last 18 s together; allowed: at most 15 s (rule request.video_total_duration). Fix: trim them in proportion to 15 s in total, none below 2 s (seedance-preflight fix does this).</td></tr>',
    );
    expect(html).not.toContain(CWD);
  });
});

describe('modelFromRuns: job labels, results and fixed files relative to the working folder', () => {
  const source = video({ path: `${CWD}/jobs/b/clip.webm`, format: 'webm', extension: 'webm', videoCodec: 'vp9' });
  const copied = image({ path: `${CWD}/jobs/b/still.jpg` });
  const result: RunJobResult = {
    job: `${CWD}/jobs/b`,
    ok: true,
    resumed: [],
    fixed: [
      fixed(source, [error('video.codec', source.path, 're-encode to H.264')], `${CWD}/jobs/b/.seedance-preflight/fixed/clip.mp4`),
      fixed(copied, [], `${CWD}/jobs/b/.seedance-preflight/fixed/still.jpg`),
    ],
    uploads: [],
    request: null,
    taskId: 'task-9',
    result: { path: `${CWD}/jobs/b/output/task-9.mp4`, bytes: 10 },
    qc: [],
    costDrivers: null,
    error: null,
  };
  const model = modelFromRuns([result], 'batch', false, ctx);

  it('shows every path as typed from the working folder', () => {
    expect(model.jobs.map((j) => [j.label, j.resultPath])).toEqual([['jobs/b', 'jobs/b/output/task-9.mp4']]);
    expect(model.sections[0]!.cards.map((c) => [c.path, c.fix!.output, c.status])).toEqual([
      ['jobs/b/clip.webm', 'jobs/b/.seedance-preflight/fixed/clip.mp4', 'fixed'],
      ['jobs/b/still.jpg', 'jobs/b/.seedance-preflight/fixed/still.jpg', 'passing'],
    ]);
    expect(model.counts).toEqual({ files: 2, failing: 0, fixed: 1, passing: 1, planned: 0, errors: 1, warnings: 0 });
    expect(header(model)).toBe('2 media files: 0 failing, 1 fixed, 1 passing; found before fixing: 1 error, 0 warnings');
  });

  it('a fix --dry-run counts the files it would change apart from the fixed ones', () => {
    const dry = modelFromRuns([{ ...result, fixed: result.fixed.map((f) => ({ ...f, output: null })) }], 'run', true, ctx);
    expect(dry.counts).toEqual({ files: 2, failing: 1, fixed: 0, passing: 1, planned: 1, errors: 1, warnings: 0 });
    expect(header(dry)).toBe('2 media files: 1 failing, 0 fixed, 1 passing, 1 to fix (dry run, nothing written); found before fixing: 1 error, 0 warnings');
  });
});
