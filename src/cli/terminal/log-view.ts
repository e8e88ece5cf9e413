import type { Paint } from './color.js';
import { applyProgress, emptyProgress, type ProgressState } from './progress-model.js';
import type { ProgressEvent } from './progress-event.js';
import { overallLine, plainLine } from './render-progress.js';
import type { ProgressView, ViewOptions } from './terminal.js';

/**
 * Progress in a log: one line per event, never the same line twice in a row for one item (a worker reports its wait
 * stage, then the task it waits on, in the same words), no escapes but the colour FORCE_COLOR asks for.
 */
export class LogView implements ProgressView {
  private readonly state: ProgressState;
  private readonly last = new Map<string, string>();
  /** Items whose "done: result …" line was printed: their "ended: done" would say it again. */
  private readonly doneShown = new Set<string>();
  readonly live = false;

  constructor(private readonly options: ViewOptions, private readonly write: (text: string) => void, private readonly paint: Paint, private readonly now: () => number = Date.now) {
    this.state = emptyProgress(options.noun, now(), options.total ?? 0);
  }

  update(event: ProgressEvent): void {
    applyProgress(this.state, event);
    if (event.type === 'stage' && event.stage === 'done') this.doneShown.add(event.key);
    const repeatsDone = event.type === 'ended' && event.outcome === 'done' && this.doneShown.has(event.key);
    const line = repeatsDone ? null : plainLine(event, this.paint);
    if (line !== null && event.type !== 'total' && this.last.get(event.key) !== line) {
      this.last.set(event.key, line);
      this.write(`${line}\n`);
    }
    if (event.type === 'ended' && this.options.overallLabel) this.write(`${this.options.overallLabel}: ${overallLine(this.state, this.now(), Infinity, this.paint)}\n`);
  }

  stop(): void {}
}
