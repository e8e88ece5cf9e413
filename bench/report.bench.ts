/**
 * What `--report` adds to a cold `check` of the check bench's 200 files (target: check + report ≤ 1.5× check alone), and
 * the report's size. Measured twice: on the bench folder as it is (about ten distinct sources, copied: the thumbnail store
 * draws each content once) and on a copy where every file's bytes are made distinct (every file drawn), the honest worst case.
 * Run: npm run bench:report (writes bench/results/report.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { ensureMedia, TOTAL } from './check-media.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist/cli/bin.js');
const uniqueDir = join(tmpdir(), 'seedance-bench-report-unique-200');
const RUNS = 3;
const TARGET = 1.5;

function seconds(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The CLI's check over the files (exit 1, violations found, is expected); with `report`, also --report. */
function check(files: string[], cacheDir: string, report?: string): number {
  let result: ReturnType<typeof spawnSync> | undefined;
  const args = [bin, 'check', '--json', ...(report ? ['--report', report] : []), ...files];
  const time = seconds(() => {
    result = spawnSync(process.execPath, args, { env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: cacheDir }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  });
  const { status, stdout, stderr } = result!;
  let listed = -1;
  try {
    listed = (JSON.parse(String(stdout)) as { files: unknown[] }).files.length;
  } catch {
    // not JSON: reported below
  }
  if ((status !== 0 && status !== 1) || listed !== files.length || (report && !/^report: /m.test(String(stderr)))) {
    throw new Error(`check failed: exit ${status}, ${listed} files listed\n${String(stderr).slice(0, 2000)}`);
  }
  return time;
}

/**
 * The same 200 files with distinct bytes, each still valid: a JPEG comment, a PNG text chunk, a free atom (MP4/MOV),
 * an EBML Void element (MKV/WebM), an ID3v1 tag (MP3), a RIFF chunk (WAV/WebP).
 */
function ensureUniqueMedia(files: string[]): string[] {
  if (existsSync(uniqueDir) && readdirSync(uniqueDir).length === files.length) return files.map((f) => join(uniqueDir, basename(f)));
  rmSync(uniqueDir, { recursive: true, force: true });
  mkdirSync(uniqueDir, { recursive: true });
  return files.map((file, i) => {
    const out = join(uniqueDir, basename(file));
    const tag = Buffer.from(`seedance-bench ${i}`.padEnd(24, ' '));
    const ext = file.split('.').pop()!;
    const bytes = readFileSync(file);
    if (ext === 'jpg') writeFileSync(out, Buffer.concat([bytes.subarray(0, 2), Buffer.from([0xff, 0xfe, 0, tag.length + 2]), tag, bytes.subarray(2)]));
    else if (ext === 'png') {
      const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from('Comment\0'), tag]);
      const chunk = Buffer.alloc(body.length + 8);
      chunk.writeUInt32BE(body.length - 4, 0);
      body.copy(chunk, 4);
      chunk.writeUInt32BE(crc32(body), body.length + 4);
      writeFileSync(out, Buffer.concat([bytes.subarray(0, 33), chunk, bytes.subarray(33)]));
    } else if (ext === 'webp' || ext === 'wav') {
      const chunk = Buffer.concat([Buffer.from('JUNK'), Buffer.from([tag.length, 0, 0, 0]), tag]);
      const whole = Buffer.concat([bytes, chunk]);
      whole.writeUInt32LE(whole.length - 8, 4);
      writeFileSync(out, whole);
    } else {
      copyFileSync(file, out);
      if (ext === 'mp4' || ext === 'mov') appendFileSync(out, Buffer.concat([Buffer.from([0, 0, 0, tag.length + 8]), Buffer.from('free'), tag]));
      else if (ext === 'mkv' || ext === 'webm') appendFileSync(out, Buffer.concat([Buffer.from([0xec, 0x80 | tag.length]), tag]));
      else if (ext === 'mp3') appendFileSync(out, Buffer.concat([Buffer.from('TAG'), Buffer.from(`seedance-bench ${i}`.padEnd(125, '\0'))]));
      else throw new Error(`no way to make ${file} distinct`);
    }
    return out;
  });
}

function folderBytes(dir: string): { files: number; bytes: number; largest: number } {
  const sizes = readdirSync(dir).filter((n) => n.endsWith('.jpg')).map((n) => statSync(join(dir, n)).size);
  return { files: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), largest: Math.max(0, ...sizes) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function measure(label: string, files: string[]) {
  const runs = { check: [] as number[], checkAndReport: [] as number[], warmCheckAndReport: [] as number[] };
  let size = { htmlBytes: 0, thumbnails: { files: 0, bytes: 0, largest: 0 } };
  for (let run = 1; run <= RUNS; run++) {
    // fresh cache folders: the check alone and the check with a report both start cold (probe cache and thumbnails)
    const plainCache = mkdtempSync(join(tmpdir(), 'seedance-bench-cache-'));
    const reportCache = mkdtempSync(join(tmpdir(), 'seedance-bench-cache-'));
    const out = mkdtempSync(join(tmpdir(), 'seedance-bench-report-'));
    try {
      runs.check.push(check(files, plainCache));
      runs.checkAndReport.push(check(files, reportCache, join(out, 'report.html')));
      runs.warmCheckAndReport.push(check(files, reportCache, join(out, 'report.html')));
      size = { htmlBytes: statSync(join(out, 'report.html')).size, thumbnails: folderBytes(join(out, 'report.assets')) };
    } finally {
      for (const dir of [plainCache, reportCache, out]) rmSync(dir, { recursive: true, force: true });
    }
    console.error(`${label} run ${run}: check ${runs.check.at(-1)!.toFixed(2)} s, check --report ${runs.checkAndReport.at(-1)!.toFixed(2)} s, warm ${runs.warmCheckAndReport.at(-1)!.toFixed(2)} s`);
  }
  const alone = median(runs.check);
  const withReport = median(runs.checkAndReport);
  return {
    runsSeconds: { check: runs.check.map((x) => round(x)), checkAndReport: runs.checkAndReport.map((x) => round(x)), warmCheckAndReport: runs.warmCheckAndReport.map((x) => round(x)) },
    medianSeconds: { check: round(alone), checkAndReport: round(withReport), warmCheckAndReport: round(median(runs.warmCheckAndReport)), reportAdds: round(withReport - alone) },
    ratio: { checkAndReportToCheck: round(withReport / alone) },
    meetsTarget: withReport / alone <= TARGET,
    size: { ...size, totalBytes: size.htmlBytes + size.thumbnails.bytes },
  };
}

async function main(): Promise<void> {
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const files = await ensureMedia();
  if (files.length !== TOTAL) throw new Error(`expected ${TOTAL} files, found ${files.length}`);
  const unique = ensureUniqueMedia(files);

  const copies = measure('bench folder (copies)', files);
  const distinct = measure('distinct bytes', unique);
  const result = {
    date: new Date().toISOString(),
    files: files.length,
    machine: { availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, os: `${platform()} ${release()}` },
    target: { checkAndReportToCheck: TARGET },
    benchFolder: copies,
    distinctFiles: distinct,
  };
  console.log(`\n${files.length} files, ${RUNS} runs each (median); ${result.machine.availableParallelism} cores, node ${process.version}`);
  for (const [label, m] of [['bench folder (copies)', copies], ['every file distinct', distinct]] as const) {
    console.log(`${label.padEnd(24)} check ${m.medianSeconds.check.toFixed(2)} s, check --report ${m.medianSeconds.checkAndReport.toFixed(2)} s (${m.ratio.checkAndReportToCheck.toFixed(2)}×, target ≤ ${TARGET}×: ${m.meetsTarget ? 'met' : 'MISSED'}), warm ${m.medianSeconds.warmCheckAndReport.toFixed(2)} s; report ${(m.size.totalBytes / 1e6).toFixed(2)} MB (HTML ${(m.size.htmlBytes / 1e3).toFixed(0)} KB + ${m.size.thumbnails.files} thumbnails, largest ${(m.size.thumbnails.largest / 1e3).toFixed(1)} KB)`);
  }
  const out = join(root, 'bench/results/report.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${out}`);
}

await main();
