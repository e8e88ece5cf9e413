/**
 * The same 40 asset folders (each a 2 s 640×360 15 fps clip needing a re-encode, a PNG, a FLAC needing conversion,
 * prompt.txt) through every stage on the sandbox, as a local batch (`batch ROOT`, one process) and as a queue batch
 * (`batch ROOT --queue`, followed to the end, with 2 `worker` processes on this machine, started beforehand as a fleet
 * would be). Both use the built bundle, the same media concurrency in total (the cores: 2 workers × cores/2) and API
 * concurrency, cold caches and a fresh store. Figures: wall time of each (target: queue ≤ 1.10× local), Redis commands
 * per job (MONITOR of a Redis started for the bench alone: commands sent by clients, and those run inside BullMQ's Lua
 * scripts; INFO commandstats deltas by command), peak RSS of each worker (VmHWM) and of the local batch.
 * Run: npm run bench:queue [-- --rounds N] (builds first; writes bench/results/queue.json); --jobs N to try it on fewer
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import { BUILT_BIN, REPO, peakRssMB, startCli, waitFor, type CliProcess } from '../test/helpers/cli-process.js';
import { writeAssetFolder } from '../test/helpers/sandbox-job.js';
import { privateRedis } from '../test/helpers/private-redis.js';

const WORKERS = 2;
const API_CONCURRENCY = 4;
const TASK_MS = 500;
const flag = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const ROUNDS = flag('--rounds', 2);
/** 40 is the measured batch; fewer only to try the bench out. */
const JOBS = flag('--jobs', 40);
const cores = availableParallelism();
const workerMedia = Math.max(1, Math.floor(cores / WORKERS));
const benchDir = join(tmpdir(), 'seedance-bench-queue');
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface RunFigures {
  wallSeconds: number;
  exit: number | null;
  peakRssMB: number[];
  redis?: { sentByClients: number; runInScripts: number; byCommand: Record<string, number> };
}

/** Every command Redis has run so far, by name (those run inside Lua scripts included), without the bench's own INFO. */
async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const commandstats = await redis.info('commandstats');
  return new Map([...commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter((m) => m[1] !== 'info').map((m) => [m[1]!, Number(m[2])]));
}

/** Counts the commands Redis runs from now on: sent by clients (round trips), and run by Lua scripts (BullMQ's). */
async function countCommands(url: string): Promise<{ stop(): Promise<{ sent: number; inScripts: number }> }> {
  const counts = { sent: 0, inScripts: 0 };
  const client = new Redis(url);
  const monitor = await client.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') counts.inScripts++;
    else if (args[0]?.toLowerCase() !== 'info') counts.sent++;
  });
  return {
    stop: async () => {
      monitor.disconnect();
      client.disconnect();
      return counts;
    },
  };
}

/** Samples the peak RSS of processes every 200 ms until stopped (VmHWM only grows: the last sample is the peak). */
function sampleRss(processes: () => CliProcess[]): { stop(): number[] } {
  const peaks = new Map<number, number>();
  const timer = setInterval(() => {
    for (const p of processes()) void peakRssMB(p.pid).then((mb) => mb !== null && peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, mb)));
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return processes().map((p) => round(peaks.get(p.pid) ?? 0, 1));
    },
  };
}

/** A fresh copy of the folders, a fresh sandbox (empty store, no task) and fresh caches: every run starts cold. */
async function freshRun(label: string): Promise<{ root: string; env: Record<string, string>; close(): Promise<void> }> {
  const root = join(benchDir, label);
  await rm(root, { recursive: true, force: true });
  await cp(join(benchDir, 'template'), join(root, 'folders'), { recursive: true });
  const sandbox = await startSandbox({ taskDurationMs: TASK_MS });
  return { root: join(root, 'folders'), env: { ...sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(root, 'cache') }, close: () => sandbox.close() };
}

async function localRun(label: string): Promise<RunFigures> {
  const run = await freshRun(label);
  try {
    const t0 = performance.now();
    const batch = startCli(['batch', run.root, '--media-concurrency', String(cores), '--api-concurrency', String(API_CONCURRENCY), '--json'], run.env, { bin: BUILT_BIN });
    const rss = sampleRss(() => [batch]);
    const ended = await batch.exited;
    const wallSeconds = round((performance.now() - t0) / 1000);
    const peak = rss.stop();
    requireAllDone(label, batch, ended.code);
    return { wallSeconds, exit: ended.code, peakRssMB: peak };
  } finally {
    await run.close();
  }
}

async function queueRun(label: string, redisUrl: string): Promise<RunFigures> {
  const run = await freshRun(label);
  const queueArgs = ['--queue', redisUrl, '--queue-name', `bench-${label}`];
  const redis = new Redis(redisUrl);
  const workers = Array.from({ length: WORKERS }, () => startCli(['worker', ...queueArgs, '--media-concurrency', String(workerMedia), '--api-concurrency', String(API_CONCURRENCY)], run.env, { bin: BUILT_BIN }));
  try {
    await waitFor(() => workers.every((w) => w.stderr().includes('taking jobs')), 'the workers to start', { timeoutMs: 60_000, detail: () => workers.map((w) => w.stderr()).join('\n') });
    const rss = sampleRss(() => workers);
    const before = await commandStats(redis);
    const counter = await countCommands(redisUrl);
    const t0 = performance.now();
    const batch = startCli(['batch', run.root, ...queueArgs, '--json'], run.env, { bin: BUILT_BIN });
    const ended = await batch.exited;
    const wallSeconds = round((performance.now() - t0) / 1000);
    const counted = await counter.stop();
    const after = await commandStats(redis);
    const peak = rss.stop();
    requireAllDone(label, batch, ended.code);
    const deltas: [string, number][] = [...after].map(([name, calls]) => [name, calls - (before.get(name) ?? 0)]);
    const byCommand: Record<string, number> = Object.fromEntries(deltas.filter(([, calls]) => calls > 0).sort((a, b) => b[1] - a[1]));
    return { wallSeconds, exit: ended.code, peakRssMB: peak, redis: { sentByClients: counted.sent, runInScripts: counted.inScripts, byCommand } };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await redis.flushall();
    await redis.quit();
    await run.close();
  }
}

function requireAllDone(label: string, batch: CliProcess, code: number | null): void {
  const report = JSON.parse(batch.stdout() || '{}') as { jobs?: { ok: boolean }[] };
  const done = report.jobs?.filter((j) => j.ok).length ?? 0;
  if (code !== 0 || done !== JOBS) throw new Error(`${label}: exit ${code}, ${done} of ${JOBS} jobs done\n${batch.stderr().slice(-2000)}`);
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((n) => round(n));
  console.log(`load average ${loadBefore.join(' ')} on ${cores} cores${loadBefore[0]! >= 2 ? ' (not quiet: figures are noisier)' : ''}`);
  await rm(benchDir, { recursive: true, force: true });
  await mkdir(join(benchDir, 'template'), { recursive: true });
  for (let i = 0; i < JOBS; i += 10) await Promise.all(Array.from({ length: Math.min(10, JOBS - i) }, (_, k) => writeAssetFolder(join(benchDir, 'template', `job-${i + k + 1}`), 500 + i + k)));
  // a Redis server of the bench's own on a free port, so that INFO deltas count our commands only
  const redis = await privateRedis();
  const rounds: { local: RunFigures; queue: RunFigures; ratio: number }[] = [];
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      // alternate the order, so that a drift in the machine's load favours neither
      const local = r % 2 === 1 ? await localRun(`local-${r}`) : null;
      const queue = await queueRun(`queue-${r}`, redis.url);
      const localFigures = local ?? (await localRun(`local-${r}`));
      rounds.push({ local: localFigures, queue, ratio: round(queue.wallSeconds / localFigures.wallSeconds, 3) });
      console.log(`round ${r}: local ${localFigures.wallSeconds} s, queue ${queue.wallSeconds} s, ratio ${rounds.at(-1)!.ratio}`);
    }
  } finally {
    await redis.stop();
    await rm(benchDir, { recursive: true, force: true });
  }
  const best = (pick: (r: (typeof rounds)[number]) => number) => Math.min(...rounds.map(pick));
  const localBest = best((r) => r.local.wallSeconds);
  const queueBest = best((r) => r.queue.wallSeconds);
  const commandsPerJob = rounds.map((r) => round((r.queue.redis!.sentByClients + r.queue.redis!.runInScripts) / JOBS, 1));
  const clientCommandsPerJob = rounds.map((r) => round(r.queue.redis!.sentByClients / JOBS, 1));
  const report = {
    date: new Date().toISOString(),
    machine: { platform: `${platform()} ${release()}`, cpu: cpus()[0]?.model ?? 'unknown', cores, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg().map((n) => round(n)) },
    batch: `${JOBS} asset folders (clip.mp4 2 s 640×360 15 fps → 854×480 24 fps, still.png, music.flac → MP3, prompt.txt); sandbox task ${TASK_MS} ms; local: --media-concurrency ${cores}; queue: ${WORKERS} workers × --media-concurrency ${workerMedia}; --api-concurrency ${API_CONCURRENCY}; built bundle`,
    rounds,
    wallSeconds: { localBest, queueBest, ratioOfBest: round(queueBest / localBest, 3), ratios: rounds.map((r) => r.ratio) },
    redisCommandsPerJob: { all: commandsPerJob, sentByClients: clientCommandsPerJob, note: 'all = sent by clients + run inside Lua scripts (MONITOR of the bench\'s own Redis, from enqueue to the last job\'s end; idle workers\' blocking polls included)' },
    peakRssMB: { workers: rounds.map((r) => r.queue.peakRssMB), localBatch: rounds.map((r) => r.local.peakRssMB[0]) },
    targets: { queueWithinTenPercent: queueBest / localBest <= 1.1 },
  };
  await mkdir(join(REPO, 'bench/results'), { recursive: true });
  await writeFile(join(REPO, 'bench/results/queue.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.table(
    rounds.map((r, i) => ({
      round: i + 1,
      'local s': r.local.wallSeconds,
      'queue s': r.queue.wallSeconds,
      'queue/local': r.ratio,
      'Redis cmds/job (all)': commandsPerJob[i],
      'Redis cmds/job (sent)': clientCommandsPerJob[i],
      'worker peak RSS MB': r.queue.peakRssMB.join(', '),
      'local peak RSS MB': r.local.peakRssMB[0],
    })),
  );
  console.log(`best of ${ROUNDS}: local ${localBest} s, queue ${queueBest} s: ${report.wallSeconds.ratioOfBest}× (target ≤ 1.10×); load average after ${report.machine.loadAverageAfter.join(' ')}`);
}

await main();
