import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_PAINT } from '../../../src/cli/terminal/color.js';
import { LiveArea, REDRAW_MS } from '../../../src/cli/terminal/live-area.js';
import { LogView } from '../../../src/cli/terminal/log-view.js';

const T0 = 1_000_000;

describe('the live area', () => {
  afterEach(() => vi.useRealTimers());

  function area() {
    vi.useFakeTimers({ now: T0 });
    const writes: string[] = [];
    const live = new LiveArea({ noun: 'file', total: 2, write: (text) => void writes.push(text), size: () => ({ columns: 80, rows: 10 }), paint: NO_PAINT });
    return { live, writes };
  }

  it('draws at most once per 100 ms, only when the frame changed, hiding the cursor first', () => {
    const { live, writes } = area();
    for (let i = 1; i <= 50; i++) live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: i / 100 });
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(writes).toEqual(['\x1b[?25lencode   a.webm  50%\n2 files: 0 done, 0 failed, 2 remaining · 0:00 elapsed · ETA -:--\n']);
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.505 });
    vi.advanceTimersByTime(0);
    // the same percent: nothing shown changed, nothing drawn
    expect(writes).toHaveLength(1);
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.6 });
    vi.advanceTimersByTime(REDRAW_MS - 1);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes[1]).toBe('\r\x1b[2A\x1b[Jencode   a.webm  60%\n2 files: 0 done, 0 failed, 2 remaining · 0:00 elapsed · ETA -:--\n');
    live.stop();
  });

  it('prints a permanent line above the area, redraws the area under it, and clears it on stop with the cursor shown', () => {
    const { live, writes } = area();
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.2 });
    vi.advanceTimersByTime(0);
    live.above('seedance-preflight: warning: a\n');
    expect(writes[1]).toBe('\r\x1b[2A\x1b[Jseedance-preflight: warning: a\nencode   a.webm  20%\n2 files: 0 done, 0 failed, 2 remaining · 0:00 elapsed · ETA -:--\n');
    live.stop();
    expect(writes[2]).toBe('\r\x1b[2A\x1b[J\x1b[?25h');
    // stopped: later lines are written as they are, nothing is drawn again
    live.above('after\n');
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.9 });
    vi.advanceTimersByTime(5000);
    expect(writes.slice(3)).toEqual(['after\n']);
  });

  it('ticks the clock once a second while no event comes', () => {
    const { live, writes } = area();
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.2 });
    vi.advanceTimersByTime(0);
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(2);
    // a fifth of one of two files in 1 s: 9 s to go
    expect(writes[1]).toContain('0:01 elapsed · ETA 0:09');
    live.stop();
  });
});

describe('the live area on a resized terminal', () => {
  afterEach(() => vi.useRealTimers());

  it('erases the rows the last frame takes at the new width, and redraws at once on resize; the listener goes on stop', () => {
    vi.useFakeTimers({ now: T0 });
    const writes: string[] = [];
    const size = { columns: 80, rows: 10 };
    const stream = new EventEmitter();
    const live = new LiveArea({ noun: 'file', total: 2, write: (text) => void writes.push(text), size: () => size, resizes: stream, paint: NO_PAINT });
    live.update({ type: 'encode', key: 'a.webm', file: 'a.webm', fraction: 0.2 });
    vi.advanceTimersByTime(0);
    expect(stream.listenerCount('resize')).toBe(1);
    // the overall line drawn at 80 columns is 65 wide: at 30 it wraps on 3 rows, the item line on 1
    size.columns = 30;
    stream.emit('resize');
    expect(writes[1]).toBe('\r\x1b[4A\x1b[Jencode   a.webm  20%\n2 files: 0 done, 0 failed, 2…\n');
    size.columns = 80;
    stream.emit('resize');
    expect(writes[2]).toBe('\r\x1b[2A\x1b[Jencode   a.webm  20%\n2 files: 0 done, 0 failed, 2 remaining · 0:00 elapsed · ETA -:--\n');
    live.stop();
    expect(stream.listenerCount('resize')).toBe(0);
  });
});

describe('progress in a log', () => {
  it('prints one line per event, never the same line twice in a row for a job, then the overall line after each job ends', () => {
    const lines: string[] = [];
    const view = new LogView({ noun: 'job', total: 2, log: true, overallLabel: 'batch' }, (text) => void lines.push(text), NO_PAINT, () => T0);
    view.update({ type: 'stage', key: 'root/a', stage: 'wait', detail: 'task t-1' });
    // a worker reports its wait stage, then the task it waits on, in the same words
    view.update({ type: 'stage', key: 'root/a', stage: 'wait', detail: 'task t-1' });
    view.update({ type: 'encode', key: 'root/b', file: 'root/b/x.webm', fraction: 0.5 });
    view.update({ type: 'task', key: 'root/a', id: 't-1', status: 'processing', progress: 10, etaSeconds: null });
    view.update({ type: 'task', key: 'root/a', id: 't-1', status: 'processing', progress: 10, etaSeconds: null });
    view.update({ type: 'ended', key: 'root/a', outcome: 'done', detail: 'done' });
    expect(lines).toEqual(['[root/a] wait: task t-1\n', '[root/a] wait: processing 10%\n', '[root/a] ended: done\n', 'batch: 2 jobs: 1 done, 0 failed, 1 remaining · 0:00 elapsed · ETA -:--\n']);
  });

  it('leaves out "ended: done" after the job\'s "done: result" line (it says nothing new), not an ending that carries news', () => {
    const lines: string[] = [];
    const view = new LogView({ noun: 'job', total: 3, log: true }, (text) => void lines.push(text), NO_PAINT, () => T0);
    view.update({ type: 'stage', key: 'a', stage: 'done', detail: 'result a/output/t.mp4' });
    view.update({ type: 'ended', key: 'a', outcome: 'done', detail: 'done' });
    view.update({ type: 'ended', key: 'b', outcome: 'other', detail: 'busy' });
    view.update({ type: 'stage', key: 'c', stage: 'fix', detail: '1 of 1 files need fixing' });
    view.update({ type: 'ended', key: 'c', outcome: 'failed', detail: 'failed at fix' });
    expect(lines).toEqual(['[a] done: result a/output/t.mp4\n', '[b] ended: busy\n', '[c] fix: 1 of 1 files need fixing\n', '[c] ended: failed at fix\n']);
  });
});
