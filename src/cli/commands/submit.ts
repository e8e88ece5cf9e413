import { resolve } from 'node:path';
import type { Command } from 'commander';
import { displayPath } from '../../shared/display-path.js';
import { RequestFileError } from '../../pipeline/request-file.js';
import { resolveBaseUrl } from '../../submit/base-url.js';
import { CreateOutcomeUnknownError } from '../../submit/errors.js';
import { prepareRequest } from '../../pipeline/prepare-submit.js';
import { apiClientFrom } from '../api-client.js';
import { requireSettings } from '../settings-check.js';
import { addApiFlags } from '../api-flags.js';
import type { ApiClient } from '../../submit/client.js';
import { lockJob } from '../../pipeline/job-lock.js';
import { busyHint, busyMessage, commandSummary, lockStaleMs } from '../../pipeline/lock-holder.js';
import { jobWorkDir } from '../../pipeline/work-dir.js';
import { loadProfileOption } from '../parse-options.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { checkReportJson } from '../output/check-json.js';
import { formatTaskJson } from '../output/task-json.js';
import { reportError } from '../output/task-error.js';
import { formatTaskText } from '../output/task-text.js';
import { formatCreated, formatDryRun, formatSubmitRefusal } from '../output/submit-text.js';
import { parseSeconds } from '../parse-seconds.js';
import { createUnderLock } from './submit-under-lock.js';
import { waitAndReport, type WaitFlags } from './wait.js';

interface SubmitFlags extends WaitFlags {
  request?: string;
  wait?: boolean;
  dryRun?: boolean;
  verifyUrls: boolean;
}

export function registerSubmit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('submit')
    .summary('create a video task from a request file whose media are URLs')
    .description(
      'Checks the request against every documented rule (and, unless --no-verify-urls, that each media URL answers a GET with a media type),\n' +
        'then POSTs it to /v1/videos/generations with EVOLINK_API_KEY. A request that breaks a rule is refused: nothing is sent or billed.\n' +
        'A create is retried on 429 (after Retry-After) and 5xx answers, never after the connection failed once the body may have been sent.\n' +
        'The create and the wait hold the request file\'s lock (as `run --request` does): a second process on the same file is refused.\n' +
        'Exit 0 when created (and, with --wait, completed), 1 when refused or failed, 2 for usage errors (no EVOLINK_API_KEY, wrong key),\n' +
        '75 when another process holds the request file\'s lock.',
    )
    .option('--request <file>', 'the request (JSON with the API field names; media as http(s) URLs)')
    .option('--wait', 'wait for the task to finish, showing progress on stderr')
    .option('--download <file>', 'wait, then save the result video here (implies --wait)')
    .option('--timeout <seconds>', 'with --wait: stop waiting after this long (the task goes on)')
    .option('--poll-interval <seconds>', 'with --wait: first delay between queries; it grows to 5 s (default 1)')
    .option('--dry-run', 'check and print the exact request, send nothing')
    .option('--no-verify-urls', 'do not GET the media URLs before sending');
  addApiFlags(command)
    .addHelpText('after', '\nExamples:\n  seedance-preflight submit --request job.json --download out.mp4\n  seedance-preflight submit --request job.json --dry-run --json')
    .action(async (flags: SubmitFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { json?: boolean; apiBase?: string; profile?: string };
      setExit(await runSubmit(flags, { json: Boolean(globals.json), apiBase: globals.apiBase, profile: globals.profile }, io));
    });
}

async function runSubmit(flags: SubmitFlags, globals: { json: boolean; apiBase?: string; profile?: string }, io: CliIo): Promise<number> {
  if (!flags.request) throw new UsageError('submit needs --request FILE (see seedance-preflight submit --help)');
  // the key is checked first, so a missing key costs no URL checks; a dry run needs none
  requireSettings('submit', { apiBase: globals.apiBase }, io.env, { dryRun: flags.dryRun });
  const client = flags.dryRun ? null : apiClientFrom(io.env, globals.apiBase, { reportRetriesTo: io, flags, firstPollDelayMs: () => parseSeconds('--poll-interval', flags.pollInterval) });
  const profile = await loadProfileOption(globals.profile);
  const requestFile = resolve(io.cwd, flags.request);
  const prepared = await prepareRequest(requestFile, profile, { verifyUrls: flags.verifyUrls }).catch((error: unknown) => {
    throw error instanceof RequestFileError ? new UsageError(error.message) : error;
  });
  const dryRun = Boolean(flags.dryRun);
  if (!prepared.ok || !prepared.request) {
    if (globals.json) io.stdout(formatTaskJson({ ok: false, dryRun, request: prepared.request, check: checkReportJson(prepared.report, io.cwd), task: null }));
    else io.stdout(formatSubmitRefusal(prepared.report, requestFile, io.cwd));
    return EXIT.failed;
  }
  const request = prepared.request;
  if (!client) {
    const url = `${resolveBaseUrl(globals.apiBase, io.env)}/v1/videos/generations`;
    io.stdout(globals.json ? formatTaskJson({ ok: true, dryRun, request, task: null }) : formatDryRun(request, url));
    return EXIT.ok;
  }

  // one process per job: a `run --request` or another submit of this file holds the same lock, in its work folder
  const stale = lockStaleMs(io.env);
  if (!stale.ok) throw new UsageError(stale.message);
  const attempt = await lockJob(jobWorkDir({ requestFile }), { command: commandSummary(process.argv), staleMs: stale.ms });
  if (!attempt.ok) {
    const [message, hint] = [busyMessage(attempt.busy), busyHint(attempt.busy)];
    if (globals.json) io.stdout(formatTaskJson({ ok: false, dryRun, request, task: null, error: { kind: 'busy', message, hint }, busy: attempt.busy }));
    else io.stderr(`seedance-preflight: ${displayPath(flags.request, io.cwd)}: ${message}\n  to do: ${hint}\n`);
    return EXIT.busy;
  }
  return createUnderLock({ lock: attempt.lock, label: displayPath(flags.request, io.cwd), request, json: globals.json, io }, () => createAndWait(client, request, flags, globals.json, io));
}

/** The create, then (with --wait or --download) the wait, under the request file's lock. */
async function createAndWait(client: ApiClient, request: Record<string, unknown>, flags: SubmitFlags, json: boolean, io: CliIo): Promise<number> {
  const dryRun = false;
  let task;
  try {
    task = await client.createTask(request);
  } catch (error) {
    const reported = reportError(error);
    if (!reported) throw error;
    const sent = error instanceof CreateOutcomeUnknownError ? `  what was sent: the request in ${displayPath(flags.request!, io.cwd)}\n` : '';
    if (json) io.stdout(formatTaskJson({ ok: false, dryRun, request, task: null, error: reported.json }));
    else io.stderr(reported.text + sent);
    return reported.exitCode;
  }
  if (!flags.wait && !flags.download) {
    io.stdout(json ? formatTaskJson({ ok: true, dryRun, request, task }) : formatCreated(task) + formatTaskText(task));
    return EXIT.ok;
  }
  if (!json) io.stdout(formatCreated(task));
  return waitAndReport(client, task.id, flags, io, json, { dryRun, request, taskId: task.id });
}
