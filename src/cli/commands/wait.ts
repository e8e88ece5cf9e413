import { resolve } from 'node:path';
import { displayPath } from '../../shared/display-path.js';
import type { Command } from 'commander';
import type { ApiClient } from '../../submit/client.js';
import { isCancelled } from '../../shared/cancel.js';
import { TaskFailedError } from '../../submit/errors.js';
import { waitAndDownload, type WaitAndDownloadResult } from '../../submit/wait-and-download.js';
import { apiClientFrom } from '../api-client.js';
import { EXIT, type CliIo } from '../io.js';
import { parseSeconds } from '../parse-seconds.js';
import { formatTaskJson } from '../output/task-json.js';
import { reportError } from '../output/task-error.js';
import { createTaskProgress } from '../output/task-progress.js';
import { formatTaskText } from '../output/task-text.js';
import { interruptOnSignals } from '../signals.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';

export interface WaitFlags extends ApiFlags {
  download?: string;
  timeout?: string;
  pollInterval?: string;
}

interface GlobalFlags {
  json?: boolean;
  apiBase?: string;
}

export function registerWait(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('wait')
    .summary('wait for a task to finish, and download its video')
    .description(
      'Polls the task (1 s, growing to every 5 s) until it is completed, failed or cancelled, showing its progress on stderr.\n' +
        'With --download, saves results[0] to FILE as soon as the task completes (the link expires after 24 hours).\n' +
        'Exit 0 when completed (and downloaded), 1 when the task failed, the wait timed out or was interrupted, 2 for usage errors.',
    )
    .argument('<task-id>', 'the id submit printed (task-unified-…)')
    .option('--download <file>', 'save the result video here (written atomically)')
    .option('--timeout <seconds>', 'stop waiting after this long (the task goes on at the provider)')
    .option('--poll-interval <seconds>', 'first delay between queries; it grows to 5 s (default 1)');
  addApiFlags(command)
    .addHelpText('after', '\nExamples:\n  seedance-preflight wait task-unified-1774857405-abc123 --download out.mp4\n  seedance-preflight wait task-unified-1774857405-abc123 --timeout 600 --json')
    .action(async (taskId: string, flags: WaitFlags, self: Command) => {
      const globals = self.optsWithGlobals() as GlobalFlags;
      const client = apiClientFrom(io.env, globals.apiBase, { reportRetriesTo: io, flags, firstPollDelayMs: () => parseSeconds('--poll-interval', flags.pollInterval) });
      setExit(await waitAndReport(client, taskId, flags, io, Boolean(globals.json), {}));
    });
}

/** Waits (and downloads), printing the task or the error; resolves to the exit code. */
export async function waitAndReport(client: ApiClient, taskId: string, flags: WaitFlags, io: CliIo, json: boolean, extra: Record<string, unknown>): Promise<number> {
  const timeoutMs = parseSeconds('--timeout', flags.timeout);
  const progress = await createTaskProgress(io);
  const interrupt = interruptOnSignals();
  let result: WaitAndDownloadResult;
  try {
    result = await waitAndDownload(client, taskId, { timeoutMs, signal: interrupt.signal, onProgress: (task) => progress.onProgress(task), downloadTo: flags.download ? resolve(io.cwd, flags.download) : undefined });
  } catch (error) {
    progress.stop();
    if (isCancelled(error)) {
      const message = `stopped waiting (${String(error.reason)}); the task goes on at the provider: seedance-preflight wait ${taskId} resumes`;
      if (json) io.stdout(formatTaskJson({ ok: false, ...extra, task: null, error: { kind: error.kind, message, hint: `run seedance-preflight wait ${taskId}` } }));
      else io.stderr(`seedance-preflight: ${message}\n`);
      return EXIT.failed;
    }
    const reported = reportError(error);
    if (!reported) throw error;
    if (json) io.stdout(formatTaskJson({ ok: false, ...extra, task: null, error: reported.json }));
    else io.stderr(reported.text);
    return reported.exitCode;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  const ok = result.task.status === 'completed';
  // the saved file as every output shows paths: relative to the folder the command ran in
  const download = result.download && { ...result.download, path: displayPath(result.download.path, io.cwd) };
  if (json) {
    const error = ok ? null : reportError(new TaskFailedError(result.task))!.json;
    io.stdout(formatTaskJson({ ok, ...extra, task: result.task, download, error }));
  } else {
    io.stdout(formatTaskText(result.task, download));
  }
  return ok ? EXIT.ok : EXIT.failed;
}
