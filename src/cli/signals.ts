/** A signal that aborts on Ctrl-C or SIGTERM, so a long wait or encode ends cleanly; dispose removes the handlers. */
export function interruptOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => controller.abort(name);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 2 → 130, SIGTERM 15 → 143). */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The exit code of a run that `signal` interrupted, or null when it was not interrupted. */
export function interruptedExitCode(signal: AbortSignal): number | null {
  if (!signal.aborted) return null;
  return SIGNAL_EXIT[String(signal.reason)] ?? 130;
}
