/**
 * Times `check --json` on two folders, cold and warm cache, against a hand-written serial ffprobe loop: the 200-file mix
 * (bench/check-media.ts) and every committed fixture three times over (bench/check-fixture-mix.ts). For each it also
 * measures, in this process and one file at a time, what a file costs on each path (in-process, ffprobe, sharp), and
 * counts the files the in-process reader handed to ffprobe, by reason. The damage checks (src/probe/damage) are also
 * timed alone, a file at a time: their share of a cold check is what file.damaged costs.
 * Run: npm run bench:check (writes bench/results/check.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinary } from '../src/probe/binaries.js';
import { probeFile, sniffFile, type ProbeRoute } from '../src/probe/probe-file.js';
import { assessDamage } from '../src/probe/damage/assess-damage.js';
import { ensureMedia, mediaDir, TOTAL } from './check-media.js';
import { ensureFixtureMix, fixtureMixDir } from './check-fixture-mix.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist/cli/bin.js');
const RUNS = 5;
/** Issue 15's targets against the serial ffprobe loop; the moonshot is reported beside them. */
const TARGETS = { cold: 0.35, coldMoonshot: 0.15, warm: 0.05 };

function seconds(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** (a) what a user would write by hand: one ffprobe after another (a file ffprobe rejects just moves on). */
function baseline(files: string[]): number {
  const ffprobe = toolBinary('ffprobe').path;
  return seconds(() => {
    for (const file of files) spawnSync(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { stdio: ['ignore', 'pipe', 'ignore'] });
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

interface PathCosts {
  /** Mean milliseconds a file, probed alone and serially in this process, by the path it took. */
  msPerFile: { inProcess: number | null; ffprobe: number | null; fallback: number | null; image: number | null };
  files: { inProcess: number; fallback: number; image: number; other: number };
  /** Files the in-process reader handed to ffprobe, by reason code, then by the full reason. */
  fallbacksByCode: Record<string, number>;
  fallbacks: Record<string, number>;
  /** The damage checks alone (already part of every probe above): milliseconds a file by format, their sum, and the files found damaged. */
  damage: { msPerFile: number | null; msByFormat: Record<string, number>; totalSeconds: number; damaged: number };
}

/** Each file probed alone: by the default route (in-process first), and each video/audio file again by ffprobe alone. */
async function pathCosts(files: string[]): Promise<PathCosts> {
  const times = { inProcess: [] as number[], ffprobe: [] as number[], fallback: [] as number[], image: [] as number[] };
  const reasons: string[] = [];
  const counts = { inProcess: 0, fallback: 0, image: 0, other: 0 };
  const damageTimes: Array<[string, number]> = [];
  let damaged = 0;
  // load sharp, mediabunny and the decoder list first: their one-off cost is not a file's
  for (const warm of files.slice(0, 20)) await probeFile(warm);
  for (const file of files) {
    let route: ProbeRoute | undefined;
    const start = performance.now();
    await probeFile(file, { onRoute: (r) => (route = r) });
    const ms = performance.now() - start;
    const sniffed = await sniffFile(file);
    if (sniffed.ok && sniffed.kind !== null) {
      const damageStart = performance.now();
      if (await assessDamage(file, sniffed.facts.format)) damaged++;
      damageTimes.push([sniffed.facts.format, performance.now() - damageStart]);
    }
    if (!route) {
      // no route: an image (sharp, or ffprobe for BMP, PSD, JPEG 2000), or a file that failed before any reader
      if (sniffed.ok && sniffed.kind === 'image') {
        times.image.push(ms);
        counts.image++;
      } else counts.other++;
      continue;
    }
    if (route.reader === 'in-process') {
      times.inProcess.push(ms);
      counts.inProcess++;
    } else {
      times.fallback.push(ms);
      counts.fallback++;
      reasons.push(`${route.fallback!.code}: ${route.fallback!.detail}`);
    }
    const ffStart = performance.now();
    await probeFile(file, { reader: 'ffprobe' });
    times.ffprobe.push(performance.now() - ffStart);
  }
  const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length, 2) : null);
  return {
    msPerFile: { inProcess: mean(times.inProcess), ffprobe: mean(times.ffprobe), fallback: mean(times.fallback), image: mean(times.image) },
    files: counts,
    fallbacksByCode: countBy(reasons.map((r) => r.slice(0, r.indexOf(':')))),
    fallbacks: countBy(reasons),
    damage: {
      msPerFile: mean(damageTimes.map(([, ms]) => ms)),
      msByFormat: Object.fromEntries(Object.keys(countBy(damageTimes.map(([f]) => f))).sort().map((f) => [f, mean(damageTimes.filter(([g]) => g === f).map(([, ms]) => ms))!])),
      totalSeconds: round(damageTimes.reduce((sum, [, ms]) => sum + ms, 0) / 1000),
      damaged,
    },
  };
}

async function measureMix(label: string, files: string[]) {
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
    console.error(`${label} run ${run}: baseline ${runs.baseline.at(-1)!.toFixed(2)} s, cold ${runs.cold.at(-1)!.toFixed(2)} s, warm ${runs.warm.at(-1)!.toFixed(2)} s (load ${loadavg()[0]!.toFixed(2)})`);
  }
  const base = median(runs.baseline);
  const cold = median(runs.cold);
  const warm = median(runs.warm);
  return {
    files: { total: files.length, dir: dirname(files[0]!), byExtension: countBy(files.map((f) => f.split('.').pop()!)) },
    runsSeconds: { baseline: runs.baseline.map((x) => round(x)), cold: runs.cold.map((x) => round(x)), warm: runs.warm.map((x) => round(x)) },
    medianSeconds: { baseline: round(base), cold: round(cold), warm: round(warm) },
    ratios: { coldToBaseline: round(cold / base), warmToBaseline: round(warm / base) },
    meetsTargets: { cold: cold / base <= TARGETS.cold, coldMoonshot: cold / base <= TARGETS.coldMoonshot, warm: warm / base <= TARGETS.warm },
    paths: await pathCosts(files),
  };
}

async function main(): Promise<void> {
  // the bench measures the built CLI, so build it when missing
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const mixed = await ensureMedia();
  if (mixed.length !== TOTAL) throw new Error(`expected ${TOTAL} files in ${mediaDir}, found ${mixed.length}`);
  const fixtures = ensureFixtureMix();
  if (!fixtures.length) throw new Error(`no files in ${fixtureMixDir}`);

  const loadBefore = loadavg().map((x) => round(x, 2));
  const mixes = { mixed200: await measureMix('200-file mix', mixed), fixtures: await measureMix('fixture mix', fixtures) };
  const result = {
    date: new Date().toISOString(),
    machine: { availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, os: `${platform()} ${release()}` },
    loadAverage: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
    targets: { coldToBaseline: TARGETS.cold, coldMoonshot: TARGETS.coldMoonshot, warmToBaseline: TARGETS.warm },
    mixes,
  };

  console.log(`\n${RUNS} runs each (median); ${result.machine.availableParallelism} cores, node ${process.version}, ${result.machine.os}; load ${loadBefore.join(' ')} → ${result.loadAverage.after.join(' ')}`);
  for (const [label, mix] of [['200-file mix', mixes.mixed200], [`fixture mix (${mixes.fixtures.files.total} files)`, mixes.fixtures]] as const) {
    const base = mix.medianSeconds.baseline;
    const row = (name: string, s: number, target: string) => console.log(`${name.padEnd(28)}${s.toFixed(2).padStart(8)} s${(s / base).toFixed(2).padStart(8)}×  ${target}`);
    console.log(`\n${label}\n${'measurement'.padEnd(28)}${'median'.padStart(10)}${'ratio'.padStart(9)}  target`);
    row('baseline (serial ffprobe)', base, '');
    row('check --json, cold cache', mix.medianSeconds.cold, `≤ ${TARGETS.cold}×  ${mix.meetsTargets.cold ? 'met' : 'MISSED'} (moonshot ≤ ${TARGETS.coldMoonshot}×: ${mix.meetsTargets.coldMoonshot ? 'met' : 'missed'})`);
    row('check --json, warm cache', mix.medianSeconds.warm, `≤ ${TARGETS.warm}×  ${mix.meetsTargets.warm ? 'met' : 'MISSED'}`);
    const { msPerFile: ms, files } = mix.paths;
    console.log(`per file, alone: in-process ${ms.inProcess ?? '-'} ms (${files.inProcess} files), ffprobe path ${ms.ffprobe ?? '-'} ms, fallback ${ms.fallback ?? '-'} ms (${files.fallback} files), image ${ms.image ?? '-'} ms (${files.image} files)`);
    for (const [reason, count] of Object.entries(mix.paths.fallbacks)) console.log(`    ${String(count).padStart(3)} × ${reason}`);
    const { damage } = mix.paths;
    console.log(`damage checks alone: ${damage.msPerFile ?? '-'} ms a file, ${damage.totalSeconds} s in all = ${(damage.totalSeconds / mix.medianSeconds.cold).toFixed(3)}× the cold check (${damage.damaged} found damaged); by format: ${Object.entries(damage.msByFormat).map(([f, ms]) => `${f} ${ms} ms`).join(', ')}`);
  }

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
