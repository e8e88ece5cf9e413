/**
 * How many queries a wait makes, and how long a completed task goes unnoticed, with the default poll policy.
 * 1. The schedule, computed (pure): tasks of 10, 60, 165 (the documents' example estimate) and 300 s.
 * 2. A real wait over HTTP against the simulator with a 60 s task: queries counted by the simulator, and the
 *    time from the task's completion to the result download's first request.
 * Run: npx tsx bench/wait.bench.ts [--task-seconds 60] (writes bench/results/wait.json)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import { writeAtomically } from '../src/shared/write-atomically.js';
import { createApiClient } from '../src/submit/client.js';
import { DEFAULT_POLL_POLICY, pollTimes } from '../src/submit/poll-policy.js';
import { waitAndDownload } from '../src/submit/wait-and-download.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--task-seconds');
const taskSeconds = flag > 0 ? Number(process.argv[flag + 1]) : 60;

function planned(seconds: number) {
  const lowest = pollTimes(seconds * 1000, DEFAULT_POLL_POLICY, () => 0);
  // the most jitter takes off every delay: more queries, earlier notice
  const most = pollTimes(seconds * 1000, DEFAULT_POLL_POLICY, () => 0.999999);
  return {
    taskSeconds: seconds,
    queries: lowest.length,
    queriesWithMostJitter: most.length,
    unnoticedMs: lowest.at(-1)! - seconds * 1000,
    unnoticedMsWithMostJitter: most.at(-1)! - seconds * 1000,
  };
}

const schedule = [10, 60, 165, 300].map(planned);
console.log('poll policy', DEFAULT_POLL_POLICY);
console.table(schedule);

const sandbox = await startSandbox({ taskDurationMs: taskSeconds * 1000 });
const dir = mkdtempSync(join(tmpdir(), 'seedance-bench-wait-'));
try {
  const client = createApiClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.apiBaseUrl });
  const task = await client.createTask({ model: 'seedance-2.0-text-to-video', prompt: 'benchmark', duration: 4 });
  const queriesBefore = sandbox.simulator.counters().query;
  let downloadCalledAt = 0;
  const started = Date.now();
  const result = await waitAndDownload(client, task.id, { downloadTo: join(dir, 'out.mp4'), onDownloadStart: () => void (downloadCalledAt = Date.now()) });
  const finishedAt = sandbox.simulator.timeline(task.id)!.finishedAt!;
  const downloadRequest = sandbox.simulator.requestLog().find((entry) => entry.kind === 'download')!;
  const measured = {
    taskSeconds,
    status: result.task.status,
    queries: sandbox.simulator.counters().query - queriesBefore,
    waitWallMs: Date.now() - started,
    completionToDownloadCallMs: downloadCalledAt - finishedAt,
    completionToDownloadRequestMs: downloadRequest.at - finishedAt,
    downloadedBytes: result.download?.bytes ?? 0,
  };
  console.table([measured]);
  const out = join(root, 'bench/results/wait.json');
  await writeAtomically(out, `${JSON.stringify({ date: new Date().toISOString(), machine: { platform: platform(), release: release(), cpus: cpus().length, node: process.version }, pollPolicy: DEFAULT_POLL_POLICY, schedule, measured }, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
