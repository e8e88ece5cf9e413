import type { CliIo } from './io.js';

interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI logs, --json consumers). */
export async function createProgress(io: CliIo, label: string): Promise<Progress> {
  if (!io.stderrIsTTY || !io.progressStream) return SILENT;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { stream: io.progressStream, format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
