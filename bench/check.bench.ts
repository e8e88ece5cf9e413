/**
 * Times `check --json` on 200 loose media files, cold and warm cache, against a hand-written serial ffprobe loop.
 * Run: npm run bench:check (writes bench/results/check.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinary } from '../src/probe/binaries.js';
import { ensureMedia, mediaDir, TOTAL } from './check-media.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist/cli/bin.js');
const RUNS = 5;
const TARGETS = { cold: 0.6, warm: 0.1 };

function seconds(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** (a) what a user would write by hand: one ffprobe after another. */
function baseline(files: string[]): number {
  const ffprobe = toolBinary('ffprobe').path;
  return seconds(() => {
    for (const file of files) execFileSync(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  });
}

/** (b)/(c) the CLI over the loose files; exit 1 (violations found) is expected, anything else is a failure. */
function check(files: string[], cacheDir: string): number {
  let result: ReturnType<typeof spawnSync> | undefined;
  const time = seconds(() => {
    result = spawnSync(process.execPath, [bin, 'check', '--json', ...files], {
      env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: cacheDir },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  });
  const { status, stdout, stderr } = result!;
  // runCli maps an unexpected error to exit 1 too, so also demand a JSON report covering every file
  let listed = -1;
  try {
    listed = (JSON.parse(String(stdout)) as { files: unknown[] }).files.length;
  } catch {
    // not JSON: reported below
  }
  if ((status !== 0 && status !== 1) || listed !== files.length || /unexpected error/.test(String(stderr))) {
    throw new Error(`check failed: exit ${status}, ${listed} files listed\n${String(stderr).slice(0, 2000)}`);
  }
  return time;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  // the bench measures the built CLI, so build it when missing
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const files = await ensureMedia();
  if (files.length !== TOTAL) throw new Error(`expected ${TOTAL} files in ${mediaDir}, found ${files.length}`);

  const runs = { baseline: [] as number[], cold: [] as number[], warm: [] as number[] };
  for (let run = 1; run <= RUNS; run++) {
    // a fresh cache dir per run: the cold check probes everything, the warm one right after reuses it all
    const cacheDir = mkdtempSync(join(tmpdir(), 'seedance-bench-cache-'));
    try {
      runs.baseline.push(baseline(files));
      runs.cold.push(check(files, cacheDir));
      runs.warm.push(check(files, cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    console.error(`run ${run}: baseline ${runs.baseline.at(-1)!.toFixed(2)} s, cold ${runs.cold.at(-1)!.toFixed(2)} s, warm ${runs.warm.at(-1)!.toFixed(2)} s`);
  }

  const base = median(runs.baseline);
  const cold = median(runs.cold);
  const warm = median(runs.warm);
  const result = {
    date: new Date().toISOString(),
    files: { total: files.length, dir: mediaDir, byExtension: countBy(files.map((f) => f.split('.').pop()!)) },
    machine: { availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, os: `${platform()} ${release()}` },
    runsSeconds: { baseline: runs.baseline.map((x) => round(x)), cold: runs.cold.map((x) => round(x)), warm: runs.warm.map((x) => round(x)) },
    medianSeconds: { baseline: round(base), cold: round(cold), warm: round(warm) },
    ratios: { coldToBaseline: round(cold / base), warmToBaseline: round(warm / base) },
    targets: { coldToBaseline: TARGETS.cold, warmToBaseline: TARGETS.warm },
    meetsTargets: { cold: cold / base <= TARGETS.cold, warm: warm / base <= TARGETS.warm },
  };

  console.log(`\n${files.length} files, ${RUNS} runs each (median); ${result.machine.availableParallelism} cores, node ${process.version}, ${result.machine.os}`);
  const row = (label: string, s: number, target: string) => console.log(`${label.padEnd(28)}${s.toFixed(2).padStart(8)} s${(s / base).toFixed(2).padStart(8)}×  ${target}`);
  console.log(`${'measurement'.padEnd(28)}${'median'.padStart(10)}${'ratio'.padStart(9)}  target`);
  row('baseline (serial ffprobe)', base, '');
  row('check --json, cold cache', cold, `≤ ${TARGETS.cold}×  ${result.meetsTargets.cold ? 'met' : 'MISSED'}`);
  row('check --json, warm cache', warm, `≤ ${TARGETS.warm}×  ${result.meetsTargets.warm ? 'met' : 'MISSED'}`);

  const out = join(root, 'bench/results/check.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${out}`);
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

await main();
