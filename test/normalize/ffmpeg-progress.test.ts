import { describe, expect, it } from 'vitest';
import { readProgress, type ProgressState } from '../../src/normalize/ffmpeg-progress.js';

describe('readProgress', () => {
  it('folds blocks, even when a chunk cuts a line in two', () => {
    const state: ProgressState = { outSeconds: 0, frames: 0, done: false };
    let tail = readProgress(state, '', 'frame=10\nfps=0.0\nout_time_ms=1500000\nout_ti');
    expect(state).toEqual({ outSeconds: 1.5, frames: 10, done: false });
    expect(tail).toBe('out_ti');
    tail = readProgress(state, tail, 'me_ms=2250000\nprogress=continue\n');
    expect(state).toEqual({ outSeconds: 2.25, frames: 10, done: false });
    tail = readProgress(state, tail, 'out_time_us=3000000\nprogress=end\n');
    expect(state).toEqual({ outSeconds: 3, frames: 10, done: true });
    expect(tail).toBe('');
  });

  it('ignores N/A positions and lines without a value', () => {
    const state: ProgressState = { outSeconds: 0.5, frames: 3, done: false };
    readProgress(state, '', 'out_time_ms=N/A\nframe=N/A\ngarbage\n');
    expect(state).toEqual({ outSeconds: 0.5, frames: 3, done: false });
  });
});
