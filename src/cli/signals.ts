import { EXIT_OUTPUT_CLOSED, OUTPUT_CLOSED_EVENT } from './closed-output.js';

/** A signal that aborts on Ctrl-C, SIGTERM or a closed output pipe, so a long wait or encode ends cleanly; dispose removes the handlers. */
export function interruptOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // a second Ctrl-C ends at once (writes are atomic, the journal stays resumable): a user who presses it twice means it
  const onSignal = (name: NodeJS.Signals) => (controller.signal.aborted ? process.exit(SIGNAL_EXIT[name] ?? 130) : controller.abort(name));
  // the reader of our output went away (`… | head`): stop as cleanly as on SIGTERM, reported as SIGPIPE
  const onOutputClosed = () => controller.abort('SIGPIPE');
  // on, not once: the lock library's signal-exit re-raises a signal no other listener holds, killing us before a clean stop
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.once(OUTPUT_CLOSED_EVENT, onOutputClosed);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off(OUTPUT_CLOSED_EVENT, onOutputClosed);
    },
  };
}

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 2 → 130, SIGTERM 15 → 143, SIGPIPE 13 → 141). */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGPIPE: EXIT_OUTPUT_CLOSED };

/** The exit code of a run that `signal` interrupted, or null when it was not interrupted. */
export function interruptedExitCode(signal: AbortSignal): number | null {
  if (!signal.aborted) return null;
  return SIGNAL_EXIT[String(signal.reason)] ?? 130;
}
