/**
 * Uploads a folder of 100 real WAV files (~500 MB) to s3rver, then again (the re-run must send 0 bytes), and measures
 * peak RSS of one-file uploads of growing size (must stay flat: streams, not buffers).
 * Run: npx tsx bench/upload.bench.ts (writes bench/results/upload.json)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinary } from '../src/probe/binaries.js';
import { S3_STORE_CREDENTIALS, startS3Store } from '../src/sandbox/s3-store.js';
import { uploadFiles } from '../src/upload/upload-files.js';
import { uploadSettingsFrom } from '../src/upload/upload-settings.js';
import { startS3FaultProxy } from '../test/helpers/s3-fault-proxy.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const folder = join(tmpdir(), 'seedance-bench-upload-100');
const bigDir = join(tmpdir(), 'seedance-bench-upload-big');
const MB = 1_000_000;
/** 48 kHz stereo 16-bit PCM: 192,000 bytes per second. */
const WAV_BYTES_PER_SECOND = 192_000;
const SMALL = { count: 90, seconds: 13 }; // ~2.5 MB each: one PUT
const LARGE = { count: 10, seconds: 140 }; // ~27 MB each: multipart, 4 parts
const MEMORY_SIZES_MB = [16, 64, 256];
const env = { AWS_ACCESS_KEY_ID: S3_STORE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_STORE_CREDENTIALS.secretAccessKey };

function wav(path: string, seconds: number, frequency: number): void {
  execFileSync(toolBinary('ffmpeg').path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`, '-ac', '2', '-c:a', 'pcm_s16le', path]);
}

/** 100 distinct WAVs (different tones, so different hashes), made once and reused. */
function ensureFolder(): string[] {
  const total = SMALL.count + LARGE.count;
  if (!existsSync(folder) || readdirSync(folder).length !== total) {
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < total; i++) {
      const large = i < LARGE.count;
      wav(join(folder, `tone-${i + 1}.wav`), large ? LARGE.seconds : SMALL.seconds, 200 + i * 7);
    }
  }
  return readdirSync(folder).map((name) => join(folder, name));
}

function ensureBig(sizeMB: number): string {
  const path = join(bigDir, `tone-${sizeMB}MB.wav`);
  mkdirSync(bigDir, { recursive: true });
  if (!existsSync(path)) wav(path, Math.round((sizeMB * MB) / WAV_BYTES_PER_SECOND), 300 + sizeMB);
  return path;
}

interface ChildReport {
  seconds: number;
  files: number;
  bytes: number;
  bytesSent: number;
  uploaded: number;
  maxRssMB: number;
}

/** One upload in a fresh process, so its peak RSS is its own. */
function runChild(endpoint: string, prefix: string, paths: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', endpoint, prefix, ...paths], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildReport) : reject(new Error(`child exited ${code}`))));
  });
}

async function child(endpoint: string, prefix: string, paths: string[]): Promise<void> {
  const settings = uploadSettingsFrom({}, { bucket: 'bench', prefix, endpoint, forcePathStyle: true });
  const start = process.hrtime.bigint();
  const results = await uploadFiles(paths, settings, { env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sent = results.filter((r) => r.uploaded);
  const report: ChildReport = {
    seconds,
    files: results.length,
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    bytesSent: sent.reduce((n, r) => n + r.bytes, 0),
    uploaded: sent.length,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(report));
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const files = ensureFolder();
  const totalBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const store = await startS3Store({ buckets: ['bench'] });
  try {
    const prefix = `run-${Date.now()}`;
    const first = await runChild(store.endpoint, prefix, files);
    console.error(`first run: ${first.files} files, ${(first.bytesSent / MB).toFixed(0)} MB sent in ${first.seconds.toFixed(2)} s, peak RSS ${first.maxRssMB.toFixed(0)} MB`);
    // the re-run goes through a counting proxy: what really crosses the wire
    const proxy = await startS3FaultProxy(store);
    const again = await runChild(proxy.endpoint, prefix, files);
    const wire = { requests: proxy.requests.length, bodyBytes: proxy.requests.reduce((n, r) => n + r.bodyBytes, 0), byMethod: countBy(proxy.requests.map((r) => r.method)) };
    await proxy.close();
    console.error(`re-run: ${again.bytesSent} bytes sent (${wire.requests} requests, ${wire.bodyBytes} body bytes on the wire) in ${again.seconds.toFixed(2)} s`);

    const memory: { fileMB: number; seconds: number; maxRssMB: number }[] = [];
    const tiny = await runChild(store.endpoint, `${prefix}-mem-tiny`, [join(root, 'fixtures/media/valid-3s.mp3')]);
    memory.push({ fileMB: round(24_494 / MB, 3), seconds: round(tiny.seconds, 3), maxRssMB: round(tiny.maxRssMB) });
    for (const sizeMB of MEMORY_SIZES_MB) {
      const path = ensureBig(sizeMB);
      const one = await runChild(store.endpoint, `${prefix}-mem`, [path]);
      memory.push({ fileMB: round(statSync(path).size / MB), seconds: round(one.seconds, 3), maxRssMB: round(one.maxRssMB) });
      console.error(`one file of ${sizeMB} MB: peak RSS ${one.maxRssMB.toFixed(0)} MB`);
    }

    const result = {
      date: new Date().toISOString(),
      store: 's3rver 3.7.1 on loopback (same machine); uploads run in a child process',
      machine: { availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, os: `${platform()} ${release()}` },
      folder: { files: files.length, totalMB: round(totalBytes / MB), single: `${SMALL.count} × ${round((SMALL.seconds * WAV_BYTES_PER_SECOND) / MB)} MB (one PUT)`, multipart: `${LARGE.count} × ${round((LARGE.seconds * WAV_BYTES_PER_SECOND) / MB)} MB (8 MiB parts)` },
      firstRun: { seconds: round(first.seconds, 2), uploaded: first.uploaded, bytesSent: first.bytesSent, throughputMBps: round(first.bytesSent / MB / first.seconds), peakRssMB: round(first.maxRssMB) },
      reRun: { seconds: round(again.seconds, 2), uploaded: again.uploaded, bytesSent: again.bytesSent, wire },
      peakRssBySize: memory,
      targets: { reRunBytesSent: 0, memory: 'flat in file size' },
      meetsTargets: { reRun: again.bytesSent === 0 && wire.bodyBytes === 0, memoryFlat: memory.at(-1)!.maxRssMB - memory[1]!.maxRssMB < 64 },
    };
    console.log(JSON.stringify(result, null, 2));
    const out = join(root, 'bench/results/upload.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written to ${out}`);
  } finally {
    await store.close();
  }
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv.slice(5));
else await main();
