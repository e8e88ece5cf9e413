import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { describeBytes } from './describe-bytes.js';
import { SNIFF_BYTES, detectFormat, extensionMatchesFormat, kindOfFormat } from './detect-format.js';
import { parseFfprobe, parseFfprobeImage, type FileFacts } from './ffprobe-parse.js';
import { probeImage } from './image-probe.js';
import type { MediaFormat, MediaKind, ProbeFailure, ProbeProblemCode, ProbeResult } from './media-info.js';
import { fileArg, runProcess, ProcessError } from '../shared/spawn.js';
import { toolBinary } from './binaries.js';

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Longest an ffprobe run may take (milliseconds). */
  timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

/** What identifies a file's version to the cache, taken when it was sniffed. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** A file whose bytes were sniffed: its facts and which prober reads it, or the result that ends its probe early. */
export type SniffedFile =
  | { ok: true; facts: FileFacts; kind: MediaKind; identity: FileIdentity }
  | { ok: false; result: ProbeResult; identity?: FileIdentity };

/** Probes one file: stat, sniff its bytes, then sharp (images) or ffprobe (video, audio). Never throws for bad files. */
export async function probeFile(path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const sniffed = sniffFile(path);
  return sniffed.ok ? probeSniffed(sniffed, options) : sniffed.result;
}

/**
 * Stats the file and reads its first bytes: the real format decides the prober.
 * Synchronous on purpose: a stat and one small read of a regular file take microseconds, while four thread-pool
 * round trips per file delay every ffprobe start in a batch (non-regular files are never opened, so this cannot hang).
 */
export function sniffFile(path: string): SniffedFile {
  const extension = extname(path).slice(1).toLowerCase();
  let stats: Stats | undefined;
  const fail = (code: ProbeProblemCode, detail: string, sizeBytes: number | null = null): SniffedFile => ({
    ok: false,
    result: failure(path, extension, code, detail, sizeBytes, null),
    ...(stats && { identity: identityOf(stats) }),
  });

  try {
    stats = statSync(path);
  } catch (error) {
    return statFailure(error, fail);
  }
  if (!stats.isFile()) return fail('not_a_file', stats.isDirectory() ? 'it is a directory, not a file' : 'it is not a regular file');
  if (stats.size === 0) return fail('empty', 'it is empty (0 bytes)', 0);

  let head: Buffer;
  try {
    head = readHead(path, Math.min(SNIFF_BYTES, stats.size));
  } catch (error) {
    return statFailure(error, fail);
  }
  const format = detectFormat(head);
  if (!format) return fail('unknown_format', `its bytes are not an image, video or audio format (${describeBytes(head)})`, stats.size);
  const facts: FileFacts = { path, format, extension, extensionMatches: extensionMatchesFormat(extension, format), sizeBytes: stats.size };
  return { ok: true, facts, kind: kindOfFormat(format), identity: identityOf(stats) };
}

function identityOf(stats: Stats): FileIdentity {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

/** Reads a sniffed file with its prober: sharp for images (ffprobe for those sharp cannot open), ffprobe for the rest. */
export async function probeSniffed({ facts, kind }: { facts: FileFacts; kind: MediaKind }, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { path, extension, sizeBytes, format } = facts;
  const fail = (code: ProbeProblemCode, detail: string): ProbeResult => failure(path, extension, code, detail, sizeBytes, format);
  if (kind === 'image') {
    const image = await probeImage(facts);
    if (image.ok) return { ok: true, info: image.info };
    if (image.code !== 'unsupported') return fail(image.code, image.detail);
    // formats sharp cannot open (BMP, for one) are read by ffprobe instead
    const probed = await runFfprobe(path, options);
    const info = probed.ok ? parseFfprobeImage(probed.stdout, facts) : null;
    if (info) return { ok: true, info };
    return fail('corrupt', `it cannot be read as ${format.toUpperCase()} (${image.detail})`);
  }

  const probed = await runFfprobe(path, options);
  if (!probed.ok) return fail('corrupt', probed.detail);
  const parsed = parseFfprobe(probed.stdout, facts);
  if (!parsed.ok) return fail('corrupt', parsed.detail);
  return { ok: true, info: parsed.info };
}

function failure(path: string, extension: string, code: ProbeProblemCode, detail: string, sizeBytes: number | null, format: MediaFormat | null): ProbeResult {
  return { ok: false, failure: { path, code, detail, extension, sizeBytes, format } satisfies ProbeFailure };
}

/** ffprobe's arguments for one file; the `file:` prefix keeps names with ':' or a leading '-' from being read as protocols or options. */
function ffprobeArgs(path: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', fileArg(resolve(path))];
}

async function runFfprobe(path: string, options: ProbeOptions): Promise<{ ok: true; stdout: string } | { ok: false; detail: string }> {
  try {
    const { stdout } = await runProcess(toolBinary('ffprobe').path, ffprobeArgs(path), {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    });
    return { ok: true, stdout };
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    if (error.timedOut) return { ok: false, detail: `ffprobe did not finish within ${(options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS) / 1000} s` };
    return { ok: false, detail: explainFfprobeError(error.stderrTail) };
  }
}

/** ffprobe's last stderr line, made plain: "moov atom not found" means the MP4 was never finished. */
function explainFfprobeError(stderr: string): string {
  const line = stderr.trim().split('\n').filter(Boolean).pop() ?? 'ffprobe failed';
  const message = line.replace(/^.*?:\s(?=[A-Za-z])/, '').trim();
  if (/moov atom not found/i.test(stderr)) return 'the MP4/MOV index (moov atom) is missing: the file was not finished writing or is truncated';
  if (/Invalid data found when processing input/i.test(stderr)) return 'its data is invalid or truncated (ffprobe: Invalid data found when processing input)';
  return `ffprobe cannot read it (${message})`;
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

function statFailure<T>(error: unknown, fail: (code: ProbeProblemCode, detail: string) => T): T {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return fail('not_found', 'it does not exist');
    case 'ELOOP':
      return fail('unreadable', 'it is a symbolic link that loops back on itself');
    case 'EACCES':
    case 'EPERM':
      return fail('unreadable', 'permission denied: the file cannot be read by this user');
    case 'ENOTDIR':
      return fail('not_found', 'a part of its path is not a directory');
    case 'EISDIR':
      return fail('not_a_file', 'it is a directory, not a file');
    default:
      return fail('unreadable', `it cannot be read (${(error as Error).message})`);
  }
}
