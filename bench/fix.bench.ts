/**
 * fix against hand-written ffmpeg commands for the same change, in one run:
 *  (1) per case, `seedance-preflight fix` (end to end: probe, check, plan, encode, verify) vs the best single ffmpeg command;
 *  (2) a container-only fix (remux) vs re-encoding the same file;
 *  (3) SSIM of each re-encoded output against its source at the same size (ffmpeg's ssim filter).
 * Run: npm run bench:fix (builds first; writes bench/results/fix.json). BENCH_FIX_ONLY=HLG runs the cases whose name
 * holds that text, without the remux comparison, into bench/results/fix-only.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinary } from '../src/probe/binaries.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist/cli/bin.js');
const work = join(tmpdir(), 'seedance-bench-fix-v2');
const RUNS = Number(process.env.BENCH_FIX_RUNS ?? 5);
const TARGETS = { fixVsHand: 1.15, remuxSpeedup: 10, ssim: 0.98 };
const ffmpegPath = toolBinary('ffmpeg').path;
const ffmpeg = (...args: string[]) => execFileSync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
// a zooming Mandelbrot: fine moving detail, so the SSIM is not flattered by flat synthetic frames
const pattern = (size: string, rate: number, seconds: number) => ['-f', 'lavfi', '-i', `mandelbrot=size=${size}:rate=${rate},trim=duration=${seconds}`];
const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
const X264 = ['-c:v', 'libx264', '-preset', 'fast', '-crf', '18', '-pix_fmt', 'yuv420p'];
const OUT_MP4 = ['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'];
/** The tone curve fix applies to HLG (src/normalize/ffmpeg-args.ts tonemapFilters). */
const HLG_TONEMAP = 'zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p';

interface Case {
  name: string;
  source: string;
  make: (path: string) => void;
  /** The hand-written command for the same change (output path last). */
  hand: (input: string, output: string) => string[];
  /** Output compared with the source at the same size and frame rate; null when frames are retimed. */
  ssimAgainst: ((input: string, output: string) => string[]) | null;
}

const cases: Case[] = [
  {
    name: 'VP9 WebM 1280×720 30 fps → H.264 MP4 (codec + container)',
    source: 'vp9.webm',
    make: (p) => ffmpeg(...pattern('1280x720', 30, 5), ...tone(5), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '4M', '-c:a', 'libopus', '-shortest', p),
    hand: (i, o) => ['-i', i, ...X264, ...OUT_MP4, o],
    ssimAgainst: (i, o) => ['-i', o, '-i', i, '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-'],
  },
  {
    name: '15 fps → 24 fps (frame rate)',
    source: 'fps15.mp4',
    make: (p) => ffmpeg(...pattern('1280x720', 15, 5), ...tone(5), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', p),
    hand: (i, o) => ['-i', i, '-vf', 'fps=24', ...X264, '-c:a', 'copy', '-movflags', '+faststart', o],
    ssimAgainst: null,
  },
  {
    name: '640×360 → 854×480 (scale up to the pixel minimum)',
    source: 'small.mp4',
    make: (p) => ffmpeg(...pattern('640x360', 30, 5), ...tone(5), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', p),
    hand: (i, o) => ['-i', i, '-vf', 'scale=854:480', ...X264, '-c:a', 'copy', '-movflags', '+faststart', o],
    ssimAgainst: (i, o) => ['-i', o, '-i', i, '-lavfi', '[0:v]scale=640:360[a];[a][1:v]ssim', '-f', 'null', '-'],
  },
  {
    name: 'ProRes MOV → H.264 MP4 (codec)',
    source: 'prores.mov',
    make: (p) => ffmpeg(...pattern('1280x720', 30, 4), '-c:v', 'prores', '-profile:v', '0', '-pix_fmt', 'yuv422p10le', p),
    hand: (i, o) => ['-i', i, ...X264, '-movflags', '+faststart', o],
    ssimAgainst: (i, o) => ['-i', o, '-i', i, '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-'],
  },
  {
    name: '20 s → 14.9 s (trim)',
    source: 'long.mp4',
    make: (p) => ffmpeg(...pattern('854x480', 30, 20), ...tone(20), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', p),
    hand: (i, o) => ['-i', i, '-t', '14.9', ...X264, ...OUT_MP4, o],
    ssimAgainst: (i, o) => ['-i', o, '-i', i, '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-'],
  },
  {
    // HLG as phones record it, over the pixel cap: the fix scales it and tone-maps it to SDR BT.709 in the same pass
    name: 'HLG 10-bit 2560×1440 → SDR BT.709 1926×1082 (tone map + scale)',
    source: 'hlg.mp4',
    make: (p) => execFileSync('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...pattern('2560x1440', 30, 3), '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc', '-color_primaries', 'bt2020', '-color_trc', 'arib-std-b67', '-colorspace', 'bt2020nc', '-tag:v', 'hvc1', p]),
    hand: (i, o) => ['-i', i, '-vf', `scale=1926:1082,setsar=1,${HLG_TONEMAP}`, ...X264, '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-movflags', '+faststart', o],
    // against the source tone-mapped to the same size, not against the HDR source itself
    ssimAgainst: (i, o) => ['-i', o, '-i', i, '-lavfi', `[1:v]${HLG_TONEMAP},scale=1926:1082[r];[0:v][r]ssim`, '-f', 'null', '-'],
  },
  {
    name: 'FLAC → MP3 (audio format)',
    source: 'music.flac',
    make: (p) => ffmpeg(...tone(12), '-c:a', 'flac', p),
    hand: (i, o) => ['-i', i, '-c:a', 'libmp3lame', '-b:a', '192k', o],
    ssimAgainst: null,
  },
];

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fixOnce(input: string, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  // --no-cache: every run really encodes (the fix cache would make repeats free)
  const result = spawnSync(process.execPath, [bin, 'fix', input, '--out', outDir, '--no-cache'], { encoding: 'utf8', env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(work, 'cache') } });
  if (result.status !== 0) throw new Error(`fix failed on ${input}: ${result.stdout}${result.stderr}`);
}

/**
 * Frames paired by their index, not their timestamps, and only while both last: WebM's millisecond timestamps
 * (33, 67, 100 ms) made timestamp pairing compare every third output frame with the source frame before it,
 * and a trimmed output's last frame was repeated against the rest of the longer source.
 */
function aligned(filter: string): string {
  const byIndex = 'setpts=N/FRAME_RATE/TB';
  return `[0:v]${byIndex}[o];[1:v]${byIndex}[s];${filter.replace('[0:v]', '[o]').replace('[1:v]', '[s]').replace(/ssim$/, 'ssim=shortest=1')}`;
}

function ssim(args: string[]): number {
  const lavfi = args.indexOf('-lavfi');
  const fixed = args.map((a, i) => (i === lavfi + 1 ? aligned(a) : a));
  const result = spawnSync(ffmpegPath, ['-hide_banner', '-nostats', ...fixed], { encoding: 'utf8' });
  const match = /All:([0-9.]+)/.exec(result.stderr);
  if (!match) throw new Error(`no SSIM in ffmpeg output: ${result.stderr.slice(-500)}`);
  return Number(match[1]);
}

const only = process.env.BENCH_FIX_ONLY;

function main(): void {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  mkdirSync(work, { recursive: true });
  const rows = [];
  for (const c of cases.filter((k) => !only || k.name.includes(only))) {
    const input = join(work, c.source);
    if (!existsSync(input)) c.make(input);
    const handOut = join(work, `hand-${c.source}.${c.source.endsWith('.flac') ? 'mp3' : 'mp4'}`);
    const outDir = join(work, `out-${c.source}`);
    const hand: number[] = [];
    const fix: number[] = [];
    // interleaved, so drift in machine load hits both sides alike
    for (let r = 0; r < RUNS; r++) {
      hand.push(timed(() => ffmpeg(...c.hand(input, handOut))));
      fix.push(timed(() => fixOnce(input, outDir)));
    }
    const output = join(outDir, c.source.replace(/\.[^.]+$/, c.source.endsWith('.flac') ? '.mp3' : '.mp4'));
    const row = { case: c.name, handSeconds: median(hand), fixSeconds: median(fix), ratio: median(fix) / median(hand), ssim: c.ssimAgainst ? ssim(c.ssimAgainst(input, output)) : null };
    rows.push(row);
    console.log(`${row.case}: hand ${row.handSeconds.toFixed(2)} s, fix ${row.fixSeconds.toFixed(2)} s, ratio ${row.ratio.toFixed(3)}${row.ssim !== null ? `, SSIM ${row.ssim.toFixed(4)}` : ''}`);
  }

  if (only) {
    writeFileSync(join(root, 'bench/results/fix-only.json'), `${JSON.stringify({ date: new Date().toISOString(), only, runs: RUNS, cases: rows, targets: TARGETS }, null, 2)}\n`);
    return;
  }

  // (2) container only: H.264 + AAC in MKV
  const mkv = join(work, 'h264.mkv');
  if (!existsSync(mkv)) ffmpeg(...pattern('1280x720', 30, 10), ...tone(10), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', mkv);
  const remux: number[] = [];
  const reencode: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    remux.push(timed(() => fixOnce(mkv, join(work, 'out-mkv'))));
    reencode.push(timed(() => ffmpeg('-i', mkv, ...X264, ...OUT_MP4, join(work, 'reencoded-mkv.mp4'))));
  }
  const container = { remuxSeconds: median(remux), reencodeSeconds: median(reencode), speedup: median(reencode) / median(remux) };
  console.log(`container-only fix: remux ${container.remuxSeconds.toFixed(2)} s vs re-encode ${container.reencodeSeconds.toFixed(2)} s: ${container.speedup.toFixed(1)}× faster`);

  const worstRatio = Math.max(...rows.map((r) => r.ratio));
  const minSsim = Math.min(...rows.flatMap((r) => (r.ssim === null ? [] : [r.ssim])));
  const result = {
    date: new Date().toISOString(),
    machine: { platform: `${platform()} ${release()}`, cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version },
    runs: RUNS,
    cases: rows,
    container,
    targets: TARGETS,
    met: { fixVsHand: worstRatio <= TARGETS.fixVsHand, remuxSpeedup: container.speedup >= TARGETS.remuxSpeedup, ssim: minSsim >= TARGETS.ssim },
  };
  writeFileSync(join(root, 'bench/results/fix.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`worst fix/hand ratio ${worstRatio.toFixed(3)} (target ≤ ${TARGETS.fixVsHand}); remux ${container.speedup.toFixed(1)}× (target ≥ ${TARGETS.remuxSpeedup}); min SSIM ${minSsim.toFixed(4)} (target ≥ ${TARGETS.ssim})`);
}

main();
