import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { enqueueFolders, type EnqueuedJob } from '../../queue/enqueue.js';
import { followJobs } from '../../queue/follow.js';
import { queuedProgressEvent, type QueuedProgress } from '../../queue/job-data.js';
import { describeRedisTarget } from '../../queue/redis-url.js';
import type { ProgressEvent } from '../terminal/progress-event.js';
import { displayPath } from '../../shared/display-path.js';
import { stageDetail } from '../output/stage-detail.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadProfileOption, parseFixFlags } from '../parse-options.js';
import { parseSeconds } from '../parse-seconds.js';
import { connectQueue, queueTargetFrom } from '../queue-flags.js';
import { interruptedExitCode, interruptOnSignals } from '../signals.js';
import { endedEvent, printBatchOutputs, selectBatchFolders, selectionJson, type BatchOptions } from './batch.js';
import { terminalOf } from '../terminal/terminal.js';
import { guardBatchOutputs } from '../run-output-guard.js';

/** Flags of a local batch that mean nothing to an enqueuer: the workers run the jobs. */
const LOCAL_ONLY: readonly [keyof BatchOptions, string][] = [
  ['dryRun', '--dry-run'],
  ['sandbox', '--sandbox'],
  ['report', '--report'],
  ['mediaConcurrency', '--media-concurrency'],
  ['apiConcurrency', '--api-concurrency'],
  ['requestTimeout', '--request-timeout'],
  ['encodeTimeout', '--encode-timeout'],
  ['restart', '--restart'],
];

/** `batch ROOT --queue URL`: one job per asset folder, then (unless --no-wait) follow them to the same summary as a local batch. */
export async function runQueuedBatch(root: string, options: BatchOptions, io: CliIo): Promise<number> {
  for (const [key, flag] of LOCAL_ONLY) {
    if (options[key] !== undefined) throw new UsageError(`${flag} does not go with --queue: ${key === 'mediaConcurrency' || key === 'apiConcurrency' || key === 'requestTimeout' || key === 'encodeTimeout' ? 'give it to each seedance-preflight worker' : 'the workers run the jobs; run a local batch for it'}`);
  }
  const { fit, audioFormat } = parseFixFlags(options);
  const timeoutMs = parseSeconds('--timeout', options.timeout);
  const profile = await loadProfileOption(options.profile);
  const { target, queueName } = queueTargetFrom(options, io.env);
  const rootPath = resolve(io.cwd, root);
  await guardBatchOutputs(rootPath, { cwd: io.cwd, junit: options.junit, profile: options.profile });
  const selection = await selectBatchFolders(root, rootPath, options, io);
  const where = describeRedisTarget(target);
  // following may take hours: a lost connection is retried, and said so
  const redis = await connectQueue(target, {
    onReconnecting: (reason) => io.stderr(`lost the connection to Redis at ${where} (${reason}): reconnecting every second; the jobs go on\n`),
    onReconnected: () => io.stderr(`the connection to Redis at ${where} is back\n`),
  });
  const queue = new Queue(queueName, { connection: redis });
  try {
    const jobs: EnqueuedJob[] = await enqueueFolders(queue, rootPath, { fit, audioFormat, profile, allowOutsidePaths: Boolean(options.allowOutsidePaths), ...(timeoutMs !== undefined && { timeoutMs }) }, selection.selected);
    const summary = `queue ${queueName} at ${where}: ${enqueuedSummary(jobs)}\n`;
    if (!options.wait) {
      // enqueuing is all this command does: what it enqueued is its output (for scripts: the job ids)
      io.stdout(options.json ? `${JSON.stringify({ queue: queueName, ...selectionJson(selection), jobs: jobs.map((j) => ({ id: j.id, job: j.relativePath, outcome: j.outcome })) }, null, 2)}\n` : summary);
      return EXIT.ok;
    }
    // Ctrl-C or SIGTERM stops following; the jobs go on in the queue (caught before the line a user may answer with Ctrl-C)
    const interrupt = interruptOnSignals();
    const terminal = terminalOf(io);
    let results;
    terminal.info(summary);
    // as a local batch shows its jobs: a line per job at work and the overall line, or in a log a line per event. A
    // worker reports its wait stage, then the task it waits on, in the same words: the view prints such a repeat once
    const view = await terminal.view({ noun: 'job', total: jobs.length, log: true, overallLabel: 'batch' });
    const stages = new Map<string, string>();
    try {
      results = await followJobs(queue, redis, jobs, {
        signal: interrupt.signal,
        onProgress: (job, progress) => {
          for (const event of followedEvents(job, progress, io.cwd, stages)) view.update(event);
        },
        onEnded: (job, result) => endedEvent(view, displayPath(job.folder, io.cwd), result),
        onRequeued: (job, state) => io.stderr(`[${displayPath(job.folder, io.cwd)}] vanished from queue ${queueName} before it ended (Redis lost its keys?); its journal says: ${state}. Enqueued again: a worker resumes it from its journal, without a second task\n`),
      });
    } finally {
      view.stop();
      interrupt.dispose();
    }
    if (!results) {
      io.stderr(`stopped following: the jobs go on in queue ${queueName} (seedance-preflight queue status --queue ${where}${queueName === 'seedance-preflight' ? '' : ` --queue-name ${queueName}`})\n`);
      return interruptedExitCode(interrupt.signal) ?? EXIT.failed;
    }
    // each job by its folder here (a worker may mount ROOT elsewhere): outputs show it relative to the command's folder
    const here = results.map((r, i) => ({ ...r, job: jobs[i]!.folder }));
    await printBatchOutputs(here, options, io, { dryRun: false, extra: selectionJson(selection), selection });
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** "3 jobs: 2 added, 1 already queued" (and how many failed ones were put back to wait). */
export function enqueuedSummary(jobs: readonly EnqueuedJob[]): string {
  const count = (outcome: EnqueuedJob['outcome']) => jobs.filter((j) => j.outcome === outcome).length;
  const retried = count('retried');
  return `${jobs.length} job${jobs.length === 1 ? '' : 's'}: ${count('added')} added, ${count('queued')} already queued${retried ? `, ${retried} failed before and queued again` : ''}`;
}

/**
 * A worker's update as the local batch's view takes it: the stage, or how far it is (an encode's percent, an upload's
 * bytes, the task's poll), its files named from the job's folder as here. An event whose stage this follower has not
 * shown (it started following late) comes after that stage; an event this version does not know is its stage.
 */
export function followedEvents(job: EnqueuedJob, progress: QueuedProgress, cwd: string, stages: Map<string, string>): ProgressEvent[] {
  const key = displayPath(job.folder, cwd);
  const stage: ProgressEvent = { type: 'stage', key, stage: progress.stage, detail: stageDetail(progress.stage, progress.detail, cwd) };
  const seen = `${progress.stage}\0${progress.detail}`;
  const known = stages.get(job.id) === seen;
  stages.set(job.id, seen);
  const event = queuedProgressEvent(progress);
  // a stage told again (the wait stage, then its task, in the same words) is no new line
  const before = known ? [] : [stage];
  if (!event) return before;
  if (event.type === 'task') return [...before, { type: 'task', key, id: event.id, status: event.status, progress: event.progress, etaSeconds: event.etaSeconds }];
  const file = displayPath(join(job.folder, event.file), cwd);
  return [...before, event.type === 'encode' ? { type: 'encode', key, file, fraction: event.fraction } : { type: 'upload', key, file, loaded: event.loaded, bytes: event.bytes }];
}
