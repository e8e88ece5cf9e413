import './isolated-sandbox-dir.js';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { JOURNAL_FILE, type Journal } from '../../src/pipeline/journal.js';
import type { RunJobOptions } from '../../src/pipeline/run-job.js';
import { toolBinary } from '../../src/probe/binaries.js';
import { runProcess } from '../../src/shared/spawn.js';
import { S3_STORE_CREDENTIALS } from '../../src/sandbox/s3-store.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import type { StoredTask } from '../../src/sandbox/task-store.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { uploadSettingsFrom, type UploadSettings } from '../../src/upload/upload-settings.js';
import { sandboxClient } from './sandbox-client.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

/** A copy of fixtures/demo (request.json + a 15 fps WebM, a too-wide PNG, a FLAC) at dir. */
export async function copyDemo(dir: string): Promise<string> {
  await cp(DEMO_DIR, dir, { recursive: true, filter: (source) => !/[/\\](\.seedance-preflight|output)$/.test(source) });
  return dir;
}

/**
 * An asset folder without request.json: a 2 s 640×360 15 fps H.264 clip (too few pixels, too low a frame rate),
 * a 640×480 PNG, a 3 s FLAC and prompt.txt. `seed` changes every file's bytes, so folders share nothing.
 */
export async function writeAssetFolder(dir: string, seed: number, options: { seconds?: number } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const ffmpeg = toolBinary('ffmpeg').path;
  const seconds = options.seconds ?? 2;
  await Promise.all([
    runProcess(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=15:duration=${seconds}`, '-vf', `drawtext=text=${seed}:fontsize=40:x=10:y=10:fontcolor=white,hue=h=${seed * 37}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p', '-y', join(dir, 'clip.mp4')]).catch(() =>
      // builds of ffmpeg without drawtext: the hue alone still makes the bytes differ
      runProcess(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=15:duration=${seconds}`, '-vf', `hue=h=${seed * 37}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p', '-y', join(dir, 'clip.mp4')]),
    ),
    runProcess(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${300 + seed * 10}:sample_rate=16000:duration=3`, '-c:a', 'flac', '-y', join(dir, 'music.flac')]),
    sharp({ create: { width: 640, height: 480, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: 128 } } }).png().toFile(join(dir, 'still.png')),
    writeFile(join(dir, 'prompt.txt'), `Job ${seed}: image 1 over video 1, with audio 1.\n`),
  ]);
  return dir;
}

/** Upload settings pointing at the sandbox's store. */
export function sandboxUpload(sandbox: Sandbox, overrides: Partial<UploadSettings> = {}): UploadSettings {
  return uploadSettingsFrom(sandbox.env, overrides);
}

/** The parts of runJob's options every test shares: seed profile, the sandbox's store, a fast-polling client. */
export function sandboxJobOptions(sandbox: Sandbox): Pick<RunJobOptions, 'profile' | 'upload' | 'client' | 'env'> {
  return {
    profile: SEED_PROFILE,
    upload: sandboxUpload(sandbox),
    client: sandboxClient(sandbox, { poll: { initialDelayMs: 50, maxDelayMs: 100 } }),
    env: { ...process.env, ...sandbox.env },
  };
}

/** Keys of every object in the sandbox's bucket. */
export async function bucketKeys(sandbox: Sandbox): Promise<string[]> {
  const client = new S3Client({ endpoint: sandbox.s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_STORE_CREDENTIALS });
  try {
    const listing = await client.send(new ListObjectsV2Command({ Bucket: sandbox.bucket }));
    return (listing.Contents ?? []).map((o) => o.Key ?? '').sort();
  } finally {
    client.destroy();
  }
}

export async function readJobJournal(jobDir: string): Promise<Journal | null> {
  const text = await readFile(join(jobDir, '.seedance-preflight', JOURNAL_FILE), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as Journal);
}

/** The tasks a sandbox folder's simulator persisted (its tasks.json), oldest first. */
export async function persistedTasks(sandboxDir: string): Promise<StoredTask[]> {
  return (JSON.parse(await readFile(join(sandboxDir, 'tasks.json'), 'utf8')) as { tasks: StoredTask[] }).tasks;
}

/** The line a --sandbox run prints about its in-process sandbox (its endpoints and folder), or null. */
export function sandboxLine(stderr: string): string | null {
  return stderr.split('\n').find((line) => line.startsWith('sandbox: ')) ?? null;
}

/** A TCP relay to a server that can be switched off: while down, every connection is cut at once (a dead host or store). */
export interface SwitchableRelay {
  endpoint: string;
  down: boolean;
  /** Connections accepted while down (and cut). */
  refused: number;
  /** Bytes clients sent through the relay. */
  bytesIn: number;
  close(): Promise<void>;
}

export async function startSwitchableRelay(target: string): Promise<SwitchableRelay> {
  const { hostname, port } = new URL(target);
  const { connect } = await import('node:net');
  const sockets = new Set<Socket>();
  const relay: SwitchableRelay = { endpoint: '', down: false, refused: 0, bytesIn: 0, close: async () => undefined };
  const server = createServer((client) => {
    if (relay.down) {
      relay.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => (relay.bytesIn += chunk.length));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const setDown = (value: boolean) => {
    // going down also cuts the kept-alive connections, as a dead host would
    if (value) for (const socket of sockets) socket.destroy();
    down = value;
  };
  let down = false;
  Object.defineProperty(relay, 'down', { get: () => down, set: setDown });
  relay.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return relay;
}

/** A small seeded random source (mulberry32), so "random" kill times repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
