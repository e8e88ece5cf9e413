/**
 * The -v/--verbose channel: each ffmpeg/ffprobe command and HTTP request as one line, handed to whatever sink the CLI
 * sets (the terminal's live area, standard error). With no sink every call is one variable test: callers that format
 * ask verboseEnabled() first, so nothing is built when verbose output is off.
 */
import { watchHttp } from './verbose-http.js';

export type VerboseSink = (line: string) => void;

let sink: VerboseSink | null = null;

/** Sets where verbose lines go (HTTP requests are watched while one is set); null turns verbose output off (the default). */
export function setVerboseSink(next: VerboseSink | null): void {
  sink = next;
  watchHttp(next === null ? null : verboseLog);
}

/** Whether a sink is set: callers check it before building a line. */
export function verboseEnabled(): boolean {
  return sink !== null;
}

/** Hands one line to the sink; does nothing without one. Lines carry no secrets: callers redact before calling. */
export function verboseLog(line: string): void {
  if (sink === null) return;
  try {
    sink(line);
  } catch {
    // called from process and diagnostics-channel events, where a throw would be uncaught: a failing sink loses the line only
  }
}
