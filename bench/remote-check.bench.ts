/**
 * What `check --remote` costs per media URL against a local HTTP server that honours Range (as a CDN does): for MP4
 * with its index at the end and at the front, MOV, WebM, MP3, WAV, PNG and a 50 MB MP4 (index at the end, and at the
 * front), the bytes the bounded read takes against the file's size, and the time of the per-URL work check does (the
 * reachability GET, then the ranged read) against a plain full GET of the same file (the baseline: downloading it to
 * probe it). Medians of RUNS runs, one URL at a time; then one `check --remote` (in-process) of a request naming all.
 * Run: npm run bench:remote (writes bench/results/remote-check.json)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { REMOTE_CHUNK_BYTES, REMOTE_READ_BUDGET_BYTES } from '../src/probe/remote/budget-fetch.js';
import { readRemote } from '../src/probe/remote/read-remote.js';
import { verifyUrl } from '../src/upload/verify-url.js';
import { ffmpeg } from '../test/helpers/make-media.js';
import { startMediaServer } from '../test/probe/remote/media-server.js';
import { makeRemoteMedia } from '../test/probe/remote/remote-media.js';

const RUNS = 7;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(tmpdir(), 'seedance-bench-remote');

async function ensureMedia(): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const media: Record<string, string> = await makeRemoteMedia(dir);
  const big = join(dir, 'big-50mb-index-end.mp4');
  if (!existsSync(big)) {
    // lossless 720p frames: about 50 MB (-fs stops the encode there and the index is still written, at the end)
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=60', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-fs', '50000000', `file:${big}`]);
    await ffmpeg(['-i', `file:${big}`, '-c', 'copy', '-movflags', '+faststart', `file:${join(dir, 'big-50mb-index-front.mp4')}`]);
  }
  return { ...media, big50End: 'big-50mb-index-end.mp4', big50Front: 'big-50mb-index-front.mp4' };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function fullGet(url: string): Promise<number> {
  const response = await fetch(url);
  return (await response.arrayBuffer()).byteLength;
}

const media = await ensureMedia();
const server = await startMediaServer(dir);
// the first URL pays for loading mediabunny and sharp and asking ffmpeg for its decoders: not a per-URL cost
await readRemote(`${server.base}/${media.png}`);
await readRemote(`${server.base}/${media.mp4Front}`);

const rows = [];
for (const [key, name] of Object.entries(media)) {
  const url = `${server.base}/${name}`;
  const remote: number[] = [];
  const baseline: number[] = [];
  let read = await readRemote(url);
  for (let i = 0; i < RUNS; i++) {
    let start = performance.now();
    await verifyUrl(url);
    read = await readRemote(url);
    remote.push(performance.now() - start);
    start = performance.now();
    await fullGet(url);
    baseline.push(performance.now() - start);
  }
  const size = read.stats.sizeBytes ?? 0;
  rows.push({
    file: key,
    name,
    ok: read.ok,
    sizeBytes: size,
    // the reachability GET asks for 1 KiB more (Range: bytes=0-1023)
    bytesRead: read.stats.bytesRead,
    requests: read.stats.requests,
    bytesReadOfSize: Math.round((read.stats.bytesRead / size) * 1000) / 1000,
    msPerUrl: Math.round(median(remote) * 10) / 10,
    msFullGet: Math.round(median(baseline) * 10) / 10,
    timeVsFullGet: Math.round((median(remote) / median(baseline)) * 100) / 100,
  });
}

// the command itself: one request naming every URL (read at once), against the same request without --remote
const request = join(dir, 'request.json');
const urls = Object.values(media).map((name) => `${server.base}/${name}`);
writeFileSync(request, JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'p', video_urls: urls.filter((u) => /\.(mp4|mov|webm)$/.test(u)).slice(0, 3), audio_urls: urls.filter((u) => /\.(mp3|wav)$/.test(u)), image_urls: urls.filter((u) => u.endsWith('.png')) }));
const io = { stdout: () => undefined, stderr: () => undefined, env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') }, cwd: root, stderrIsTTY: false };
const command = async (args: string[]) => {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await runCli(['check', '--request', request, ...args], io);
    times.push(performance.now() - start);
  }
  return Math.round(median(times) * 10) / 10;
};
const withRemote = await command(['--remote']);
const without = await command([]);
await server.close();

const result = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, platform: platform(), release: release(), node: process.version },
  budget: { bytesPerUrl: REMOTE_READ_BUDGET_BYTES, rangeBytes: REMOTE_CHUNK_BYTES, timeoutSeconds: 15 },
  runs: RUNS,
  perUrl: rows,
  checkRequest: { urls: 6, msWithRemote: withRemote, msWithoutRemote: without, msPerUrl: Math.round(((withRemote - without) / 6) * 10) / 10 },
};
console.table(rows.map(({ file, sizeBytes, bytesRead, requests, bytesReadOfSize, msPerUrl, msFullGet, timeVsFullGet }) => ({ file, sizeBytes, bytesRead, requests, bytesReadOfSize, msPerUrl, msFullGet, timeVsFullGet })));
console.log(`check --request (6 URLs): ${withRemote} ms with --remote, ${without} ms without: ${result.checkRequest.msPerUrl} ms per URL`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/remote-check.json'), `${JSON.stringify(result, null, 2)}\n`);
