/**
 * Times `check --json` on 200 loose media files, cold and warm cache, against a hand-written serial ffprobe loop.
 * Run: npm run bench:check (writes bench/results/check.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinary } from '../src/probe/binaries.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist/cli/bin.js');
const mediaDir = join(tmpdir(), 'seedance-bench-check-200');
const RUNS = 5;
const TARGETS = { cold: 0.6, warm: 0.1 };

const ffmpeg = (...args: string[]) => execFileSync(toolBinary('ffmpeg').path, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
const testsrc = (size: string, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`];
const tone = (seconds: number, rate = 44100) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p'];
const vp9 = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'];
const aac = ['-c:a', 'aac', '-b:a', '64k'];

/** ~10 distinct sources; each is copied under many names (copies are distinct files to the cache: own path and inode). */
const sources: { ext: string; prefix: string; copies: number; make: (path: string) => Promise<unknown> | unknown }[] = [
  { prefix: 'clip', ext: 'mp4', copies: 25, make: (p) => ffmpeg(...testsrc('854x480', 3), ...h264, p) },
  { prefix: 'clip', ext: 'mp4', copies: 15, make: (p) => ffmpeg(...testsrc('1280x720', 5), ...tone(5), ...h264, ...aac, '-shortest', p) },
  { prefix: 'clip', ext: 'mov', copies: 15, make: (p) => ffmpeg(...testsrc('1280x720', 2), ...h264, p) },
  { prefix: 'clip', ext: 'mkv', copies: 10, make: (p) => ffmpeg(...testsrc('854x480', 6), ...tone(6), ...h264, ...aac, '-shortest', p) },
  { prefix: 'clip', ext: 'webm', copies: 15, make: (p) => ffmpeg(...testsrc('854x480', 4), ...vp9, p) },
  { prefix: 'image', ext: 'jpg', copies: 30, make: async (p) => (await solid(1920, 1080)).jpeg().toFile(p) },
  { prefix: 'image', ext: 'png', copies: 20, make: async (p) => (await solid(800, 1200)).png().toFile(p) },
  { prefix: 'image', ext: 'png', copies: 10, make: async (p) => (await solid(200, 200)).png().toFile(p) }, // too small: a violation
  { prefix: 'image', ext: 'webp', copies: 20, make: async (p) => (await solid(1024, 1024)).webp().toFile(p) },
  { prefix: 'audio', ext: 'mp3', copies: 25, make: (p) => ffmpeg(...tone(4), '-c:a', 'libmp3lame', '-b:a', '64k', p) },
  { prefix: 'audio', ext: 'wav', copies: 15, make: (p) => ffmpeg(...tone(3, 16000), '-c:a', 'pcm_s16le', p) },
];
const TOTAL = sources.reduce((n, s) => n + s.copies, 0);

// sharp is imported only to generate: a bench process without libvips loaded forks ffprobe a little faster in the baseline
async function solid(width: number, height: number) {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width, height, channels: 3, background: { r: (width * 7) % 256, g: 160, b: (height * 3) % 256 } } });
}

/** The 200 files, made once and reused while the folder still holds exactly that many. */
async function ensureMedia(): Promise<string[]> {
  if (!existsSync(mediaDir) || readdirSync(mediaDir).length !== TOTAL) {
    rmSync(mediaDir, { recursive: true, force: true });
    mkdirSync(mediaDir, { recursive: true });
    const counters = new Map<string, number>();
    for (const [i, source] of sources.entries()) {
      const original = join(mediaDir, `.source-${i}.${source.ext}`);
      await source.make(original);
      for (let c = 0; c < source.copies; c++) {
        const n = (counters.get(source.prefix) ?? 0) + 1;
        counters.set(source.prefix, n);
        copyFileSync(original, join(mediaDir, `${source.prefix}-${n}.${source.ext}`));
      }
      rmSync(original);
    }
  }
  // natural order, so the command line reads clip-1, clip-2, … clip-10
  return readdirSync(mediaDir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => join(mediaDir, name));
}

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
