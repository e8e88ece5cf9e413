/** ffmpeg's -progress output, read incrementally: key=value lines, a block per update. */
export interface ProgressState {
  /** Seconds of output written so far. */
  outSeconds: number;
  /** Video frames written so far (0 for audio). */
  frames: number;
  done: boolean;
}

/** Pure: folds one chunk of -progress text (possibly cut mid-line) into the state; returns the unparsed tail. */
export function readProgress(state: ProgressState, pending: string, chunk: string): string {
  const text = pending + chunk;
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    // out_time_ms is in microseconds despite its name (ffmpeg's own quirk); out_time_us is the same, newer
    if ((key === 'out_time_ms' || key === 'out_time_us') && /^\d+$/.test(value)) state.outSeconds = Number(value) / 1e6;
    if (key === 'frame' && /^\d+$/.test(value)) state.frames = Number(value);
    if (key === 'progress' && value === 'end') state.done = true;
  }
  return tail;
}
