import type { WriteStream } from 'node:tty';
import { UsageError, type CliIo } from '../io.js';
import { colorWanted, NO_PAINT, paintFor, type Paint } from './color.js';
import type { LiveArea } from './live-area.js';
import type { ProgressEvent } from './progress-event.js';

/** The global options that shape the terminal: -q, -v, --no-progress, --no-color. */
export interface TerminalSettings {
  quiet: boolean;
  verbose: boolean;
  progress: boolean;
  color: boolean;
}

const DEFAULT_SETTINGS: TerminalSettings = { quiet: false, verbose: false, progress: true, color: true };

/** The settings from the program's options (after the config file and environment filled them); -q with -v is a usage error. */
export function terminalSettings(options: { quiet?: boolean; verbose?: boolean; progress?: boolean; color?: boolean }): TerminalSettings {
  if (options.quiet && options.verbose) throw new UsageError('-q/--quiet and -v/--verbose exclude each other: give one');
  return { quiet: Boolean(options.quiet), verbose: Boolean(options.verbose), progress: options.progress !== false, color: options.color !== false };
}

/** What a command tells as it works; a view in a log, on a terminal, or nowhere (-q). */
export interface ProgressView {
  update(event: ProgressEvent): void;
  stop(): void;
  /** A live area on a terminal (else lines in a log, or nothing). */
  readonly live: boolean;
}

export interface ViewOptions {
  noun: 'job' | 'file';
  total?: number;
  /** Lines in a log (run, batch, the queue follower); fix, check and upload print none there: their summary says it all. */
  log: boolean;
  /** In a log, the overall line after each item ends, after this label ("batch"). */
  overallLabel?: string;
}

/** A view that shows nothing (-q; a dry run, which encodes nothing). */
export const NO_VIEW: ProgressView = { update: () => undefined, stop: () => undefined, live: false };

/**
 * A run's standard error: permanent lines (printed above the live area while one is drawn), informational lines (left
 * out by -q), progress views (a live area on a terminal, plain lines in a log), and -v's verbose lines.
 */
export class Terminal {
  private settings: TerminalSettings = DEFAULT_SETTINGS;
  private live: LiveArea | null = null;
  private verboseSink: typeof import('../../shared/verbose-log.js') | null = null;
  paint: Paint = NO_PAINT;

  constructor(private readonly io: CliIo) {}

  async configure(settings: TerminalSettings): Promise<void> {
    this.settings = settings;
    this.paint = paintFor(colorWanted({ flag: settings.color, env: this.io.env, isTTY: this.io.stderrIsTTY }));
    if (!settings.verbose) return;
    // loaded only with -v: start-up never pays for it. Verbose lines are permanent lines: above the live area, through
    // the output's redactor like every other
    this.verboseSink = await import('../../shared/verbose-log.js');
    this.verboseSink.setVerboseSink((line) => this.stderr(line.endsWith('\n') ? line : `${line}\n`));
  }

  get quiet(): boolean {
    return this.settings.quiet;
  }

  /** A permanent line: errors, warnings, summaries on stderr. */
  readonly stderr = (text: string): void => {
    if (this.live) this.live.above(text);
    else this.io.stderr(text);
  };

  /** An informational line (a stage, a note, what was selected): not under -q. */
  readonly info = (text: string): void => {
    if (!this.settings.quiet) this.stderr(text);
  };

  /** The command's progress view: nothing under -q; a live area on a terminal (unless --no-progress); else plain lines. */
  async view(options: ViewOptions): Promise<ProgressView> {
    if (this.settings.quiet) return NO_VIEW;
    const stream = this.io.progressStream as WriteStream | undefined;
    if (this.io.stderrIsTTY && stream && this.settings.progress && !this.live) {
      // loaded only for a live view: --version and logs never pay for it
      const { LiveArea } = await import('./live-area.js');
      const area = new LiveArea({ noun: options.noun, total: options.total, write: this.io.stderr, size: () => ({ columns: stream.columns || 80, rows: stream.rows || 24 }), resizes: stream, paint: this.paint });
      this.live = area;
      return {
        live: true,
        update: (event) => area.update(event),
        stop: () => {
          area.stop();
          if (this.live === area) this.live = null;
        },
      };
    }
    if (!options.log) return NO_VIEW;
    const { LogView } = await import('./log-view.js');
    return new LogView(options, this.info, this.paint);
  }

  /** Ends the run's terminal: a live area left drawn is cleared, the verbose sink removed. */
  close(): void {
    this.live?.stop();
    this.live = null;
    this.verboseSink?.setVerboseSink(null);
    this.verboseSink = null;
  }
}

/** The run's terminal, or one with the default settings for an io made without one (tests, benches). */
export function terminalOf(io: CliIo): Terminal {
  return io.terminal ?? new Terminal(io);
}
