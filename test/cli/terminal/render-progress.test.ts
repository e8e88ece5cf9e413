import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PAINT, paintFor } from '../../../src/cli/terminal/color.js';
import { columns } from '../../../src/cli/terminal/fit.js';
import { applyProgress, emptyProgress, etaMs, type ProgressState } from '../../../src/cli/terminal/progress-model.js';
import type { ProgressEvent } from '../../../src/cli/terminal/progress-event.js';
import { plainLine, renderFrame } from '../../../src/cli/terminal/render-progress.js';

const T0 = 1_000_000;

function stateAfter(noun: 'job' | 'file', total: number, events: readonly ProgressEvent[]): ProgressState {
  const state = emptyProgress(noun, T0, total);
  for (const event of events) applyProgress(state, event);
  return state;
}

const SIZE = { columns: 81, rows: 24 };

describe('the live frame', () => {
  it.each<[string, 'job' | 'file', number, ProgressEvent[], number, string[]]>([
    ['nothing yet', 'job', 5, [], 0, ['5 jobs: 0 done, 0 failed, 5 remaining · 0:00 elapsed · ETA -:--']],
    [
      'a batch: a stage detail, an encode, an upload, a task, two ended',
      'job',
      5,
      [
        { type: 'stage', key: 'jobs/a', stage: 'check', detail: 'probing and checking every file' },
        { type: 'stage', key: 'jobs/b', stage: 'fix', detail: '1 of 2 files need fixing' },
        { type: 'encode', key: 'jobs/b', file: 'jobs/b/clip.webm', fraction: 0.42 },
        { type: 'stage', key: 'jobs/c', stage: 'upload', detail: '1 file to media' },
        { type: 'upload', key: 'jobs/c', file: 'jobs/c/hero.png', loaded: 1536 * 1024, bytes: 12 * 1024 * 1024 },
        { type: 'stage', key: 'jobs/d', stage: 'done', detail: 'result jobs/d/output/t.mp4' },
        { type: 'ended', key: 'jobs/d', outcome: 'done', detail: 'done' },
        { type: 'stage', key: 'jobs/e', stage: 'wait', detail: 'task t-1' },
        { type: 'task', key: 'jobs/e', id: 't-1', status: 'processing', progress: 40, etaSeconds: 12 },
      ],
      20_000,
      [
        'check    jobs/a  probing and checking every file',
        'fix      jobs/b · clip.webm  42%',
        'upload   jobs/c · hero.png  1.5 MiB of 12.0 MiB',
        'wait     jobs/e  processing 40% · about 12 s',
        // f = (1 + 0/6 + (1 + .42)/6 + (2 + .125)/6 + (4 + .4)/6) / 5 = 0.4648; 20 s × (1 − f) / f = 23.03 s
        '5 jobs: 1 done, 0 failed, 4 remaining · 0:20 elapsed · ETA 0:24',
      ],
    ],
    [
      'a fix: files end when their encode does',
      'file',
      0,
      [
        { type: 'total', count: 3 },
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 1 },
        { type: 'encode', key: 'b.mov', file: 'b.mov', fraction: 0.5 },
      ],
      3_000,
      ['encode   b.mov  50%', '3 files: 1 done, 0 failed, 2 remaining · 0:03 elapsed · ETA 0:03'],
    ],
    [
      'a fix: a file whose encode reports 1 twice is done once, the total unchanged',
      'file',
      3,
      [
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 1 },
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 1 },
        { type: 'encode', key: 'b.mov', file: 'b.mov', fraction: 0.5 },
      ],
      3_000,
      ['encode   b.mov  50%', '3 files: 1 done, 0 failed, 2 remaining · 0:03 elapsed · ETA 0:03'],
    ],
    [
      'a fix: an encode event for a file that ended shows nothing and counts nothing',
      'file',
      3,
      [
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 1 },
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.3 },
        { type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 1 },
      ],
      3_000,
      ['3 files: 1 done, 0 failed, 2 remaining · 0:03 elapsed · ETA 0:06'],
    ],
    [
      'events after a job ended: a late poll is not shown, a repeated end not counted, a later outcome replaces the first',
      'job',
      2,
      [
        { type: 'ended', key: 'a', outcome: 'failed', detail: 'failed at wait' },
        { type: 'task', key: 'a', id: 't', status: 'processing', progress: 50, etaSeconds: null },
        { type: 'stage', key: 'a', stage: 'wait', detail: 'task t' },
        { type: 'ended', key: 'a', outcome: 'failed', detail: 'failed at wait' },
        { type: 'ended', key: 'b', outcome: 'other', detail: 'busy' },
        { type: 'ended', key: 'b', outcome: 'done', detail: 'done' },
      ],
      2_000,
      ['2 jobs: 1 done, 1 failed, 0 remaining · 0:02 elapsed · ETA 0:00'],
    ],
    [
      'busy and interrupted jobs are counted apart',
      'job',
      3,
      [
        { type: 'ended', key: 'a', outcome: 'other', detail: 'busy' },
        { type: 'ended', key: 'b', outcome: 'failed', detail: 'failed at fix' },
      ],
      2_000,
      ['3 jobs: 0 done, 1 failed, 1 not done, 1 remaining · 0:02 elapsed · ETA 0:01'],
    ],
  ])('%s', (_name, noun, total, events, elapsed, expected) => {
    expect(renderFrame(stateAfter(noun, total, events), T0 + elapsed, SIZE, NO_PAINT)).toEqual(expected);
  });

  it('cuts a long name in its middle and keeps the percent; never wider than the terminal less one column', () => {
    const state = stateAfter('file', 1, [{ type: 'encode', key: 'shoots/2026-12-07/a-very-long-folder-name/clip-final-final.webm', file: 'x', fraction: 0.07 }]);
    const lines = renderFrame(state, T0 + 500, { columns: 41, rows: 10 }, NO_PAINT);
    expect(lines).toEqual(['encode   shoots/2026-1…inal.webm · x  7%', '1 file: 0 done, 0 failed, 1 remaining ·…']);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
  });

  it.each([
    ['a CJK name', 'ショット/最終クリップ_バージョン2.webm', 'encode   ショット/最終…ジョン2.webm  7%'],
    ['an emoji name', 'shoot 🎬🎬/take-🎉-final-final-final.mov', 'encode   shoot 🎬🎬/ta…nal-final.mov  7%'],
  ])('fits %s in 40 columns, a wide character counted as two', (_name, key, expected) => {
    const [line] = renderFrame(stateAfter('file', 1, [{ type: 'encode', key, file: key, fraction: 0.07 }]), T0, { columns: 41, rows: 10 }, NO_PAINT);
    expect(line).toBe(expected);
    expect(columns(line!)).toBeLessThanOrEqual(40);
  });

  it('shows as many items as the screen holds, then how many more', () => {
    const events: ProgressEvent[] = ['a', 'b', 'c', 'd'].map((key) => ({ type: 'stage', key, stage: 'check', detail: 'probing' }));
    expect(renderFrame(stateAfter('job', 4, events), T0, { columns: 40, rows: 5 }, NO_PAINT)).toEqual(['check    a  probing', 'check    b  probing', '… and 2 more', '4 jobs: 0 done, 0 failed, 4 remaining …']);
  });

  it('paints the status words only, and cuts before painting (no escape is cut)', () => {
    const state = stateAfter('job', 2, [{ type: 'ended', key: 'a', outcome: 'done', detail: 'done' }, { type: 'ended', key: 'b', outcome: 'failed', detail: 'failed at fix' }]);
    const [line] = renderFrame(state, T0 + 1000, { columns: 80, rows: 5 }, paintFor(true));
    expect(line).toBe('2 jobs: \x1b[32m1 done\x1b[39m, \x1b[31m1 failed\x1b[39m, 0 remaining · 0:01 elapsed · ETA 0:00');
    const [cut] = renderFrame(state, T0 + 1000, { columns: 14, rows: 5 }, paintFor(true));
    expect(cut).toBe('2 jobs: \x1b[32m1 do…\x1b[39m');
  });
});

describe('the counts of a fix', () => {
  const FILES = ['a', 'b', 'c', 'd'];
  const event = fc.oneof(
    fc.record({ type: fc.constant('encode' as const), key: fc.constantFrom(...FILES), fraction: fc.constantFrom(0, 0.5, 0.99, 1, 1.2) }).map((e): ProgressEvent => ({ ...e, file: e.key })),
    fc.record({ type: fc.constant('ended' as const), key: fc.constantFrom(...FILES), outcome: fc.constantFrom('done' as const, 'failed' as const) }).map((e): ProgressEvent => ({ ...e, detail: e.outcome })),
  );

  it('done + failed + remaining is the files, and done never exceeds the files ended, for any events (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const state = stateAfter('file', FILES.length, events);
        const ended = new Set(events.filter((e) => e.type === 'ended' || (e.type === 'encode' && e.fraction >= 1)).map((e) => (e as { key: string }).key));
        const remaining = Math.max(0, state.total - state.done - state.failed - state.other);
        expect(state.total).toBe(FILES.length);
        expect(state.done + state.failed + remaining).toBe(FILES.length);
        expect(state.done).toBeLessThanOrEqual(ended.size);
      }),
    );
  });
});

describe('the ETA', () => {
  it.each<[string, ProgressEvent[], number, number | null]>([
    ['unknown under 1 s', [{ type: 'encode', key: 'a', file: 'a', fraction: 0.5 }], 999, null],
    ['unknown under 1 %', [{ type: 'encode', key: 'a', file: 'a', fraction: 0.005 }], 60_000, null],
    ['half done in 10 s: 10 s left', [{ type: 'encode', key: 'a', file: 'a', fraction: 0.5 }], 10_000, 10_000],
    ['all done: 0', [{ type: 'encode', key: 'a', file: 'a', fraction: 1 }], 5_000, 0],
  ])('%s', (_name, events, elapsed, expected) => {
    expect(etaMs(stateAfter('file', 1, events), T0 + elapsed)).toBe(expected);
  });
});

describe('lines in a log', () => {
  it.each<[ProgressEvent, string | null]>([
    [{ type: 'stage', key: 'jobs/a', stage: 'upload', detail: '3 files to media' }, '[jobs/a] upload: 3 files to media'],
    [{ type: 'task', key: 'demo', id: 't', status: 'processing', progress: 40, etaSeconds: 12 }, '[demo] wait: processing 40% (about 12 s)'],
    [{ type: 'task', key: 'demo', id: 't', status: 'pending', progress: null, etaSeconds: null }, '[demo] wait: pending 0%'],
    [{ type: 'ended', key: 'root/junk', outcome: 'failed', detail: 'failed at fix' }, '[root/junk] ended: failed at fix'],
    [{ type: 'ended', key: 'root/a', outcome: 'done', detail: 'done' }, '[root/a] ended: done'],
    [{ type: 'encode', key: 'a', file: 'a', fraction: 0.5 }, null],
    [{ type: 'upload', key: 'a', file: 'a', loaded: 1, bytes: 2 }, null],
    [{ type: 'total', count: 3 }, null],
  ])('%j → %j', (event, expected) => {
    expect(plainLine(event, NO_PAINT)).toBe(expected);
  });

  it('colours the status word of an ended line when colour is on', () => {
    expect(plainLine({ type: 'ended', key: 'a', outcome: 'done', detail: 'done' }, paintFor(true))).toBe('[a] ended: \x1b[32mdone\x1b[39m');
    expect(plainLine({ type: 'stage', key: 'a', stage: 'done', detail: 'result out.mp4' }, paintFor(true))).toBe('[a] \x1b[32mdone\x1b[39m: result out.mp4');
  });
});

describe('a job moving on', () => {
  it('starts each stage from nothing: the fix’s file and percent are no part of the upload’s line', () => {
    const state = stateAfter('job', 1, [
      { type: 'stage', key: 'jobs/a', stage: 'fix', detail: '1 of 1 files need fixing' },
      { type: 'encode', key: 'jobs/a', file: 'jobs/a/clip.webm', fraction: 1 },
      { type: 'stage', key: 'jobs/a', stage: 'upload', detail: '1 file to media' },
    ]);
    expect(renderFrame(state, T0, SIZE, NO_PAINT)[0]).toBe('upload   jobs/a  1 file to media');
  });
});
