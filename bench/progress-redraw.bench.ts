/**
 * What the live progress area costs, and what the terminal work costs at start-up (issue 22, item 1):
 *  (1) CPU time of this process (process.cpuUsage: node only, ffmpeg's children not counted) for `fix` of 200 files
 *      with the live area (stderr a terminal of 120×40, writes through the output's redactor into /dev/null) and
 *      without it (stderr not a terminal), alternating, each REPS times; the medians compared. Target: under 2 %.
 *      On a loaded machine that difference is noise of a few %: the area's own work is measured too, by drawing the
 *      frames it drew per run (a job line and the overall line, through the redactor) and timing them.
 *  (2) `seedance-preflight --version` (the built bin), 20 runs each, interleaved, before (commit 8461fc3, built in a
 *      worktree: BENCH_BEFORE_BIN, default /tmp/wt-old/dist/cli/bin.js) and after: wall time, and CPU time (user +
 *      system, /usr/bin/time), which a loaded machine disturbs less. Target: no slower.
 * Run: npm run build && npx tsx bench/progress-redraw.bench.ts (writes bench/results/progress-redraw.json).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { NO_PAINT } from '../src/cli/terminal/color.js';
import { applyProgress, emptyProgress } from '../src/cli/terminal/progress-model.js';
import { renderFrame } from '../src/cli/terminal/render-progress.js';
import type { CliIo } from '../src/cli/io.js';
import { toolBinary } from '../src/probe/binaries.js';
import { outputRedactor } from '../src/shared/redact.js';
import { writeAtomically } from '../src/shared/write-atomically.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_PROGRESS_FILES ?? 200);
const REPS = Number(process.env.BENCH_PROGRESS_REPS ?? 3);
const VERSION_RUNS = 20;
const TARGETS = { redrawCpuShare: 0.02, versionRatio: 1 };
const beforeBin = process.env.BENCH_BEFORE_BIN ?? '/tmp/wt-old/dist/cli/bin.js';
const afterBin = join(root, 'dist/cli/bin.js');

const work = mkdtempSync(join(tmpdir(), 'seedance-bench-progress-'));
const sources = join(work, 'sources');
mkdirSync(sources);
// 200 one-second FLACs: each a fix (→ MP3) by one short ffmpeg run that reports its progress, as a real fix does
const ffmpeg = toolBinary('ffmpeg').path;
// loose files, each checked and fixed on its own (a folder would be one request, with a request's rules)
const files = Array.from({ length: FILES }, (_, i) => join('sources', `tone-${String(i).padStart(3, '0')}.flac`));
for (const [i, file] of files.entries()) {
  const made = spawnSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${200 + i}:sample_rate=16000:duration=1`, '-c:a', 'flac', '-y', join(work, file)]);
  if (made.status !== 0) throw new Error(`ffmpeg: ${made.stderr.toString()}`);
}

const devNull = createWriteStream('/dev/null');
const redact = outputRedactor(process.env);
let frames = 0;
let frameBytes = 0;

/** One fix of every file into a fresh folder (no fix cache: every file is encoded); CPU microseconds of this process. */
async function fixOnce(live: boolean, run: number): Promise<{ cpuMs: number; wallMs: number }> {
  let stdout = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => {
      if (live) {
        frames++;
        frameBytes += text.length;
      }
      devNull.write(redact(text));
    },
    env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(work, `cache-${run}`) },
    cwd: work,
    stderrIsTTY: live,
    // the live area reads the terminal's size from its stream; it writes through io.stderr
    progressStream: Object.assign(devNull, { columns: 120, rows: 40 }) as unknown as NodeJS.WritableStream,
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const code = await runCli(['fix', ...files, '--out', `out-${run}`, '--no-cache', '--concurrency', '2'], io);
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`fix exited ${code}: ${stdout}`);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - start };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  // a first run of each warms the modules (the live area's are loaded on first use) and the JIT
  await fixOnce(true, -1);
  await fixOnce(false, 0);
  frames = 0;
  frameBytes = 0;
  const withLive: { cpuMs: number; wallMs: number }[] = [];
  const without: { cpuMs: number; wallMs: number }[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    // alternated, and the order flipped each time: drift of the machine falls on both alike
    const order = rep % 2 === 0 ? [true, false] : [false, true];
    for (const live of order) (live ? withLive : without).push(await fixOnce(live, 1 + rep * 2 + (live ? 0 : 1)));
  }
  const liveCpu = median(withLive.map((r) => r.cpuMs));
  const plainCpu = median(without.map((r) => r.cpuMs));
  const redraw = {
    files: FILES,
    reps: REPS,
    cpuMsWithLiveArea: withLive.map((r) => Math.round(r.cpuMs)),
    cpuMsWithout: without.map((r) => Math.round(r.cpuMs)),
    wallMsWithLiveArea: withLive.map((r) => Math.round(r.wallMs)),
    wallMsWithout: without.map((r) => Math.round(r.wallMs)),
    medianCpuMsWithLiveArea: Math.round(liveCpu),
    medianCpuMsWithout: Math.round(plainCpu),
    /** (with − without) / without, of the medians. */
    cpuShare: (liveCpu - plainCpu) / plainCpu,
    writesPerRun: Math.round(frames / REPS),
    bytesPerRun: Math.round(frameBytes / REPS),
    target: TARGETS.redrawCpuShare,
  };
  // the area's own work: one frame (two files at work and the overall line) rendered and redacted, timed over many
  const state = emptyProgress('file', Date.now(), FILES);
  for (const key of ['sources/tone-107.flac', 'sources/tone-108.flac']) applyProgress(state, { type: 'encode', key, file: key, fraction: 0.42 });
  const FRAMES = 20_000;
  const frameCpu = process.cpuUsage();
  for (let i = 0; i < FRAMES; i++) devNull.write(redact(`\r\x1b[3A\x1b[J${renderFrame(state, Date.now(), { columns: 120, rows: 40 }, NO_PAINT).join('\n')}\n`));
  const perFrameMs = (process.cpuUsage(frameCpu).user + process.cpuUsage(frameCpu).system) / 1000 / FRAMES;
  Object.assign(redraw, { cpuMsPerFrame: Number(perFrameMs.toFixed(4)), drawnCpuMsPerRun: Number((perFrameMs * (frames / REPS)).toFixed(1)), drawnShare: (perFrameMs * (frames / REPS)) / plainCpu });
  console.table([redraw]);

  let version: Record<string, unknown> = { skipped: `no build of the earlier commit at ${beforeBin} (git worktree add /tmp/wt-old 8461fc3; ln -s <repo>/node_modules; node scripts/bundle-cli.mjs)` };
  if (existsSync(beforeBin) && existsSync(afterBin)) {
    /** Wall and CPU (user + system) milliseconds of one run, as /usr/bin/time reports them. */
    const time = (bin: string) => {
      const ran = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, bin, '--version'], { encoding: 'utf8' });
      if (ran.status !== 0) throw new Error(`${bin} --version exited ${ran.status}: ${ran.stderr}`);
      const [wall, user, system] = ran.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      return { wall: wall! * 1000, cpu: (user! + system!) * 1000 };
    };
    const baseline = () => {
      const start = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - start;
    };
    // one of each first: the disk cache holds both
    time(beforeBin);
    time(afterBin);
    const before: { wall: number; cpu: number }[] = [];
    const after: { wall: number; cpu: number }[] = [];
    const node: number[] = [];
    for (let i = 0; i < VERSION_RUNS; i++) {
      before.push(time(beforeBin));
      after.push(time(afterBin));
      node.push(baseline());
    }
    const of = (runs: readonly { wall: number; cpu: number }[], key: 'wall' | 'cpu') => median(runs.map((r) => r[key]));
    version = {
      runs: VERSION_RUNS,
      medianWallMsBefore: Math.round(of(before, 'wall')),
      medianWallMsAfter: Math.round(of(after, 'wall')),
      wallRatio: Number((of(after, 'wall') / of(before, 'wall')).toFixed(3)),
      medianCpuMsBefore: Math.round(of(before, 'cpu')),
      medianCpuMsAfter: Math.round(of(after, 'cpu')),
      cpuRatio: Number((of(after, 'cpu') / of(before, 'cpu')).toFixed(3)),
      medianWallMsNodeE0: Math.round(median(node)),
      target: TARGETS.versionRatio,
    };
    console.table([version]);
  }
  const out = join(root, 'bench/results/progress-redraw.json');
  await writeAtomically(out, `${JSON.stringify({ date: new Date().toISOString(), machine: { platform: `${platform()} ${release()}`, cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))) }, redraw, version }, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  devNull.end();
  rmSync(work, { recursive: true, force: true });
}
