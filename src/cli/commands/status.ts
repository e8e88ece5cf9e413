import type { Command } from 'commander';
import { TaskFailedError } from '../../submit/errors.js';
import { addApiFlags, type ApiFlags } from '../api-flags.js';
import { apiClientFrom } from '../api-client.js';
import { EXIT, type CliIo } from '../io.js';
import { formatTaskJson } from '../output/task-json.js';
import { reportError } from '../output/task-error.js';
import { formatTaskText } from '../output/task-text.js';

export function registerStatus(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('status')
    .summary('show a task: status, progress, result link or error')
    .description(
      'Queries the task once. Exit 0 when the query succeeds and the task is not failed, 1 when it failed or the query failed, 2 for usage errors (no EVOLINK_API_KEY, wrong key).\n' +
        'An API that never answers fails it within 46.5 s by default (3 tries of --request-timeout 15 s, 0.5 s and 1 s between them).',
    )
    .argument('<task-id>', 'the id submit printed (task-unified-…)')
    .addHelpText('after', '\nExamples:\n  seedance-preflight status task-unified-1774857405-abc123\n  seedance-preflight --json status task-unified-1774857405-abc123');
  addApiFlags(command).action(async (taskId: string, flags: ApiFlags, self: Command) => {
    const globals = self.optsWithGlobals() as { json?: boolean; apiBase?: string };
    const client = apiClientFrom(io.env, globals.apiBase, { reportRetriesTo: io, flags });
    try {
      const task = await client.getTask(taskId);
      const failed = task.status === 'failed' || task.status === 'cancelled';
      if (globals.json) io.stdout(formatTaskJson({ ok: !failed, task, error: failed ? reportError(new TaskFailedError(task))!.json : null }));
      else io.stdout(formatTaskText(task));
      setExit(failed ? EXIT.failed : EXIT.ok);
    } catch (error) {
      const reported = reportError(error);
      if (!reported) throw error;
      if (globals.json) io.stdout(formatTaskJson({ ok: false, task: null, error: reported.json }));
      else io.stderr(reported.text);
      setExit(reported.exitCode);
    }
  });
}
