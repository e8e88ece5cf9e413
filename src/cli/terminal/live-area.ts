import type { Paint } from './color.js';
import { applyProgress, emptyProgress, type ProgressState } from './progress-model.js';
import type { ProgressEvent } from './progress-event.js';
import { renderFrame } from './render-progress.js';
import { screenRows } from './fit.js';

/** Redraws at most this often (10 a second): a 200-file fix sends thousands of encode updates. */
export const REDRAW_MS = 100;
/** The clock and ETA tick this often while no event comes (a task that takes minutes). */
const TICK_MS = 1000;

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
/** Back to the first row of the area (`rows` up, column 0), and clear from there to the end of the screen. */
const erase = (rows: number) => (rows ? `\r\x1b[${rows}A\x1b[J` : '\r\x1b[J');

export interface LiveAreaOptions {
  noun: 'job' | 'file';
  total?: number;
  /** Writes to the terminal (standard error, through the output's redactor). */
  write: (text: string) => void;
  size: () => { columns: number; rows: number };
  /** The terminal's stream: its 'resize' redraws the area at the new width. */
  resizes?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  paint: Paint;
  now?: () => number;
}

/**
 * The live area's thin shell: folds events into the state, redraws the frame in place (rate-limited, only when its
 * text changed), and prints permanent lines above it without tearing it. The frame itself is renderFrame's.
 */
export class LiveArea {
  readonly state: ProgressState;
  /** The lines last drawn: after a narrowing they wrap, and take more rows than lines. */
  private drawn: string[] = [];
  private lastFrame = '';
  private lastDraw = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly ticker: NodeJS.Timeout;
  private stopped = false;
  private readonly now: () => number;
  // a second Ctrl-C ends the process at once: the cursor is shown again on the way out
  private readonly restore = () => this.options.write(SHOW_CURSOR);
  // the same text at a new width is drawn again: the old lines may wrap, or the new width show more
  private readonly resized = () => this.draw(true);

  constructor(private readonly options: LiveAreaOptions) {
    this.now = options.now ?? Date.now;
    this.state = emptyProgress(options.noun, this.now(), options.total ?? 0);
    this.ticker = setInterval(() => this.draw(), TICK_MS).unref();
    process.once('exit', this.restore);
    options.resizes?.on('resize', this.resized);
  }

  update(event: ProgressEvent): void {
    if (this.stopped || !applyProgress(this.state, event)) return;
    if (this.timer) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, wait).unref();
  }

  /** A permanent message (a warning, a note, a verbose line) above the area, the area drawn again under it. */
  above(text: string): void {
    if (this.stopped) return this.options.write(text);
    const frame = this.frame();
    this.options.write(`${this.erased()}${text}${text.endsWith('\n') ? '' : '\n'}${frame}`);
    this.shown(frame);
  }

  /** Clears the area and shows the cursor again: what follows (the summary) starts where the area was. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.ticker);
    process.off('exit', this.restore);
    this.options.resizes?.off('resize', this.resized);
    if (this.lastFrame) this.options.write(`${this.erased()}${SHOW_CURSOR}`);
  }

  private frame(): string {
    const lines = renderFrame(this.state, this.now(), this.options.size(), this.options.paint);
    return `${lines.join('\n')}\n`;
  }

  private draw(force = false): void {
    if (this.stopped) return;
    const frame = this.frame();
    if (frame === this.lastFrame && !force) return;
    this.options.write(`${this.erased()}${frame}`);
    this.shown(frame);
  }

  /** Erases the frame drawn, by the rows its lines take at the width now; before the first frame, hides the cursor. */
  private erased(): string {
    return this.lastFrame ? erase(screenRows(this.drawn, this.options.size().columns)) : HIDE_CURSOR;
  }

  private shown(frame: string): void {
    this.lastFrame = frame;
    this.drawn = frame.split('\n').slice(0, -1);
    this.lastDraw = this.now();
  }
}
