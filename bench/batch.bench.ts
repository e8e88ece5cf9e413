/**
 * A batch of 50 generated asset folders (each a 2 s 640×360 15 fps clip needing a re-encode, a PNG, a FLAC needing
 * conversion, prompt.txt) through every stage on the sandbox, in-process: wall time, CPU time (this process and its
 * ffmpeg children) over wall time = cores kept busy, peak RSS; then the re-run of the finished batch (targets: no
 * encoding, 0 API requests, 0 bytes sent to the store or the API, no task, under 0.2 s per job); then the prompt of
 * 5 jobs edited and the batch run again (target: exactly 5 new tasks, the earlier results kept).
 * Run: npx tsx bench/batch.bench.ts [--media-concurrency N] (writes bench/results/batch.json)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../src/pipeline/run-batch.js';
import type { RunJobResult } from '../src/pipeline/run-job.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import { sandboxClient } from '../test/helpers/sandbox-client.js';
import { sandboxJobOptions, sandboxUpload, startSwitchableRelay, writeAssetFolder } from '../test/helpers/sandbox-job.js';

const JOBS = 50;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const batchRoot = join(tmpdir(), 'seedance-bench-batch-50');
const flag = process.argv.indexOf('--media-concurrency');
const mediaConcurrency = flag > 0 ? Number(process.argv[flag + 1]) : availableParallelism();
const ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds of this process and of its reaped children (ffmpeg), from /proc/self/stat (utime, stime, cutime, cstime). */
function cpuSeconds(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // after "pid (comm) ", field 14 of stat is index 11 here
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]) / ticks) as [number, number, number, number];
  return { self: utime + stime, children: cutime + cstime };
}

async function measure(label: string, work: () => Promise<RunJobResult[]>) {
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const results = await work();
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds();
  const self = cpu1.self - cpu0.self;
  const children = cpu1.children - cpu0.children;
  const figures = {
    label,
    jobs: results.length,
    done: results.filter((r) => r.ok).length,
    wallSeconds: round(wall),
    secondsPerJob: round(wall / results.length, 4),
    cpuSeconds: { process: round(self), ffmpegChildren: round(children), total: round(self + children) },
    coresBusy: round((self + children) / wall),
  };
  return { results, figures };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What the machine gives: `cores` single-threaded encodes at once, their CPU time over wall time (a shared or throttled host gives less than cores). */
async function machineCores(): Promise<number> {
  const { toolBinary } = await import('../src/probe/binaries.js');
  const { runProcess } = await import('../src/shared/spawn.js');
  const cpu0 = cpuSeconds().children;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: availableParallelism() }, (_, i) => runProcess(toolBinary('ffmpeg').path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=24:duration=4', '-c:v', 'libx264', '-threads', '1', '-f', 'null', '-'], { timeoutMs: 60_000 }).then(() => i)));
  return round((cpuSeconds().children - cpu0) / ((performance.now() - t0) / 1000));
}

async function main(): Promise<void> {
  const available = await machineCores();
  console.log(`the machine gives ${available} cores of CPU time to ${availableParallelism()} parallel encodes`);
  rmSync(batchRoot, { recursive: true, force: true });
  mkdirSync(batchRoot, { recursive: true });
  const t0 = performance.now();
  for (let i = 0; i < JOBS; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => writeAssetFolder(join(batchRoot, `job-${i + k + 1}`), 100 + i + k)));
  console.log(`generated ${JOBS} asset folders in ${round((performance.now() - t0) / 1000)} s`);

  const sandbox = await startSandbox({ taskDurationMs: 500 });
  // the SDK reaches the store, and the client the API, through relays that count the bytes sent
  const relay = await startSwitchableRelay(sandbox.s3.endpoint);
  const apiRelay = await startSwitchableRelay(sandbox.apiBaseUrl);
  const client = sandboxClient(sandbox, { baseUrl: apiRelay.endpoint, poll: { initialDelayMs: 50, maxDelayMs: 100 } });
  const options = { ...sandboxJobOptions(sandbox), client, upload: sandboxUpload(sandbox, { endpoint: relay.endpoint }), root: batchRoot, mediaConcurrency, apiConcurrency: 10 };
  try {
    const stagesSeen = new Map<string, number>();
    const count = (_job: string, stage: string) => stagesSeen.set(stage, (stagesSeen.get(stage) ?? 0) + 1);

    const first = await measure('first run', () => runBatch({ ...options, onStage: count }));
    const firstStages = Object.fromEntries(stagesSeen);
    const firstBytes = relay.bytesIn;
    const firstApiBytes = apiRelay.bytesIn;
    const firstApiRequests = sandbox.simulator.counters().total;
    const tasksAfterFirst = sandbox.simulator.createdTasks().length;
    stagesSeen.clear();

    const again = await measure('re-run of the finished batch', () => runBatch({ ...options, onStage: count }));
    const rerun = {
      ...again.figures,
      stagesReported: Object.fromEntries(stagesSeen),
      bytesSentToStore: relay.bytesIn - firstBytes,
      apiRequests: sandbox.simulator.counters().total - firstApiRequests,
      bytesSentToApi: apiRelay.bytesIn - firstApiBytes,
      tasksCreated: sandbox.simulator.createdTasks().length - tasksAfterFirst,
      filesUploaded: again.results.flatMap((r) => r.uploads ?? []).filter((u) => u.uploaded).length,
    };
    stagesSeen.clear();

    // a new user's day: edit the prompt of a few jobs and run the batch again
    const EDITED = 5;
    for (let i = 1; i <= EDITED; i++) writeFileSync(join(batchRoot, `job-${i}`, 'prompt.txt'), `Job ${i}, second take.\n`);
    const tasksBeforeEdit = sandbox.simulator.createdTasks().length;
    const edited = await measure(`re-run after editing ${EDITED} prompts`, () => runBatch({ ...options, onStage: count }));
    const editedRun = {
      ...edited.figures,
      stagesReported: Object.fromEntries(stagesSeen),
      tasksCreated: sandbox.simulator.createdTasks().length - tasksBeforeEdit,
      earlierResultsKept: edited.results.flatMap((r) => r.previousResults ?? []).filter((p) => existsSync(p.path)).length,
    };
    const report = {
      date: new Date().toISOString(),
      machine: { platform: `${platform()} ${release()}`, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), coresBusyWithParallelEncodes: available, node: process.version },
      batch: `${JOBS} asset folders: clip.mp4 (2 s 640×360 15 fps H.264 → 854×480 24 fps), still.png, music.flac (→ MP3), prompt.txt; sandbox task duration 500 ms; media concurrency ${mediaConcurrency}, API concurrency 10`,
      first: { ...first.figures, stagesReported: firstStages, bytesSentToStore: firstBytes, tasksCreated: tasksAfterFirst },
      rerun,
      editedPrompts: editedRun,
      peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
      targets: {
        rerunNoEncoding: rerun.cpuSeconds.ffmpegChildren === 0 && !rerun.stagesReported.fix,
        rerunNoUpload: rerun.bytesSentToStore === 0 && rerun.filesUploaded === 0,
        rerunNoApiRequest: rerun.apiRequests === 0 && rerun.bytesSentToApi === 0,
        rerunNoTask: rerun.tasksCreated === 0,
        rerunUnderTwoTenthsOfASecondPerJob: rerun.secondsPerJob < 0.2,
        editedPromptsOneTaskEach: editedRun.tasksCreated === EDITED && editedRun.earlierResultsKept === EDITED,
      },
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/batch.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    if (first.figures.done !== JOBS) throw new Error(`only ${first.figures.done} of ${JOBS} jobs finished: ${JSON.stringify(first.results.find((r) => !r.ok)?.error)}`);
  } finally {
    await relay.close();
    await apiRelay.close();
    await sandbox.close();
  }
}

await main();
