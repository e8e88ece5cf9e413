import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { describeBytes } from './describe-bytes.js';
import { SNIFF_BYTES, detectFormat, extensionMatchesFormat, id3TagEnd, kindOfFormat } from './detect-format.js';
import { formatFromFfprobe, needsPacketCount, parseFfprobe, parseFfprobeImage, type FileFacts, type ParsedProbe } from './ffprobe-parse.js';
import { DECODE_PIXEL_LIMIT, imageDecoderFor } from './image-decoders.js';
import { probeImage } from './image-probe.js';
import type { MediaFormat, MediaKind, ProbeFailure, ProbeProblemCode, ProbeResult } from './media-info.js';
import { fileArg, ProcessError } from '../shared/spawn.js';
import { throwIfCancelled } from '../shared/cancel.js';
import { runTool, toolBinary } from './binaries.js';
import { decodableCodecs } from './decoders.js';
import { packetsOverrule, parsePacketTimes, rateFromPacketTimes, RATE_PACKETS } from './packet-rate.js';
import type { Fallback } from './in-process/fallback.js';
import { readInProcess } from './in-process/read-in-process.js';
import { assessDamage } from './damage/assess-damage.js';
import { withDamage } from './damage/apply-damage.js';
import { damagedProblem } from './damage/describe-damage.js';
import { readTrackProblems } from './streams/read-track-problems.js';

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Longest an ffprobe run may take (milliseconds). */
  timeoutMs?: number;
  /** 'ffprobe' skips the in-process reader (the equality test and the bench compare the two). */
  reader?: 'auto' | 'ffprobe';
  /** Told which reader took each video or audio file, and why ffprobe did when the in-process one declined. */
  onRoute?: (route: ProbeRoute) => void;
}

/** Which reader gave a video or audio file's MediaInfo; `fallback` says why it was not the in-process one. */
export interface ProbeRoute {
  path: string;
  reader: 'in-process' | 'ffprobe';
  fallback: Fallback | null;
}

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
const MATROSKA: ReadonlySet<MediaFormat> = new Set(['mkv', 'webm']);

/** What identifies a file's version to the cache, taken when it was sniffed. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * A file whose bytes were sniffed: its facts and which prober reads it, or the result that ends its probe early.
 * `kind: null` means the sniff was unsure (an MP3 behind zero bytes, say): ffprobe decides before the file is called unknown.
 */
export type SniffedFile =
  | { ok: true; facts: FileFacts; kind: MediaKind; identity: FileIdentity }
  | { ok: true; facts: Omit<FileFacts, 'format' | 'extensionMatches'>; kind: null; unknownDetail: string; identity: FileIdentity }
  | { ok: false; result: ProbeResult; identity?: FileIdentity };

/** Probes one file: stat, sniff its bytes, then sharp (images) or ffprobe (video, audio). Never throws for bad files. */
export async function probeFile(path: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const sniffed = await sniffFile(path);
  return sniffed.ok ? probeSniffed(sniffed, options) : sniffed.result;
}

/**
 * Stats the file and reads its first bytes (and those behind an ID3 tag): the real format decides the prober.
 * The reads are synchronous on purpose: a stat and one small read of a regular file take microseconds, while four
 * thread-pool round trips per file delay every ffprobe start in a batch (non-regular files are never opened, so this
 * cannot hang). Only the byte matching is asynchronous (file-type), and it runs on the buffer in memory.
 */
export async function sniffFile(path: string): Promise<SniffedFile> {
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
  let format: MediaFormat | null;
  try {
    head = readAt(path, 0, Math.min(SNIFF_BYTES, stats.size));
    format = await detectFormat(head);
    const tagEnd = id3TagEnd(head);
    // an ID3 tag longer than the sniffed bytes (cover art): read what follows it
    if (format === null && tagEnd !== null && tagEnd >= head.length && tagEnd < stats.size) format = await detectFormat(readAt(path, tagEnd, SNIFF_BYTES));
  } catch (error) {
    return statFailure(error, fail);
  }
  const identity = identityOf(stats);
  if (!format) {
    const detail = `its bytes are not an image, video or audio format (${describeBytes(head, stats.size)})`;
    return { ok: true, facts: { path, extension, sizeBytes: stats.size }, kind: null, unknownDetail: detail, identity };
  }
  const facts: FileFacts = { path, format, extension, extensionMatches: extensionMatchesFormat(extension, format), sizeBytes: stats.size };
  return { ok: true, facts, kind: kindOfFormat(format), identity };
}

function identityOf(stats: Stats): FileIdentity {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

type ProbeInput = Pick<Extract<SniffedFile, { ok: true; kind: MediaKind }>, 'facts' | 'kind'> | Pick<Extract<SniffedFile, { ok: true; kind: null }>, 'facts' | 'kind' | 'unknownDetail'>;

/**
 * Reads a sniffed file with its prober: sharp for images (ffprobe for those sharp cannot open), ffprobe for the rest;
 * then, whichever reader it was, checks that the bytes hold what the headers promise (src/probe/damage).
 */
export async function probeSniffed(file: ProbeInput, options: ProbeOptions = {}): Promise<ProbeResult> {
  const result = await readSniffed(file, options);
  if (!result.ok) return impossibleHeader(result.failure, options);
  return { ok: true, info: withDamage(result.info, await assessDamage(result.info.path, result.info.format, { signal: options.signal })) };
}

/**
 * ffprobe refuses some impossible headers outright (65,535 channels, a rate of 0) that the in-process reader reads: the
 * damage check names them, so both readers give the same verdict. Cut files stay `corrupt` with ffprobe's own reason.
 */
async function impossibleHeader(failure: ProbeFailure, options: ProbeOptions): Promise<ProbeResult> {
  if (failure.code !== 'corrupt' || failure.format === null || kindOfFormat(failure.format) === 'image') return { ok: false, failure };
  const damage = await assessDamage(failure.path, failure.format, { signal: options.signal });
  if (damage?.kind !== 'impossible') return { ok: false, failure };
  return { ok: false, failure: { ...failure, code: 'damaged', detail: damagedProblem(damage), damage } };
}

async function readSniffed(file: ProbeInput, options: ProbeOptions): Promise<ProbeResult> {
  if (file.kind === null) return probeUnsure(file.facts, file.unknownDetail, options);
  const { facts, kind } = file;
  const { path, extension, sizeBytes, format } = facts;
  const fail = (code: ProbeProblemCode, detail: string): ProbeResult => failure(path, extension, code, detail, sizeBytes, format);
  if (kind === 'image') {
    const image = await probeImage(facts);
    if (image.ok) return { ok: true, info: image.info };
    if (image.code !== 'unsupported') return fail(image.code, image.detail);
    // formats sharp cannot open (BMP, PSD, JPEG 2000) are read by ffprobe instead
    const probed = await runFfprobe(path, options);
    const info = probed.ok ? parseFfprobeImage(probed.stdout, facts) : null;
    if (!info) return fail('corrupt', `it cannot be read as ${format.toUpperCase()} (${image.detail})`);
    // ffprobe reads only the header: fix decodes with ffmpeg, so check must know whether it can (RLE PSDs, for one, fail)
    if (imageDecoderFor(format) === 'ffmpeg' && info.storedWidth * info.storedHeight <= DECODE_PIXEL_LIMIT) {
      const decodeError = await ffmpegDecodeError(path, options);
      if (decodeError) return { ok: true, info: { ...info, decodeError } };
    }
    return { ok: true, info };
  }

  // in-process first: no process to start; it declines (with its reason) whatever it cannot read exactly as ffprobe does
  let fallback: Fallback = { code: 'trait', detail: 'the caller asked for ffprobe' };
  if (options.reader !== 'ffprobe') {
    // the in-process reading takes milliseconds and is not interrupted: a cancelled run stops before it, as a process would not start
    throwIfCancelled(options.signal, `probing ${basename(path)}`);
    const read = await readInProcess(facts, decodersInUse);
    if (read.ok) {
      options.onRoute?.({ path, reader: 'in-process', fallback: null });
      return { ok: true, info: read.info };
    }
    fallback = read.fallback;
  }
  options.onRoute?.({ path, reader: 'ffprobe', fallback });
  const countPackets = needsPacketCount(format);
  const probed = await runFfprobe(path, options, { countPackets });
  if (!probed.ok) return fail('corrupt', probed.detail);
  return parsed(parseFfprobe(probed.stdout, facts, countPackets, await decodersInUse(), readTrackProblems(path, format)), facts, fail, options, countPackets);
}

/** The sniff was unsure: ffprobe names the container, and only a media container it names makes the file media. */
async function probeUnsure(base: Omit<FileFacts, 'format' | 'extensionMatches'>, unknownDetail: string, options: ProbeOptions): Promise<ProbeResult> {
  options.onRoute?.({ path: base.path, reader: 'ffprobe', fallback: { code: 'container', detail: 'its first bytes name no format' } });
  let probed = await runFfprobe(base.path, options);
  const format = probed.ok ? formatFromFfprobe(probed.stdout) : null;
  if (!probed.ok || !format) return failure(base.path, base.extension, 'unknown_format', unknownDetail, base.sizeBytes, null);
  const facts: FileFacts = { ...base, format, extensionMatches: extensionMatchesFormat(base.extension, format) };
  const fail = (code: ProbeProblemCode, detail: string): ProbeResult => failure(base.path, base.extension, code, detail, base.sizeBytes, format);
  if (kindOfFormat(format) === 'image') return fail('unknown_format', unknownDetail);
  // packets are counted only once the file is known to be raw audio: reading every packet of an unknown file could be long
  const countPackets = needsPacketCount(format);
  if (countPackets) probed = await runFfprobe(base.path, options, { countPackets });
  if (!probed.ok) return fail('corrupt', probed.detail);
  return parsed(parseFfprobe(probed.stdout, facts, countPackets, await decodersInUse(), readTrackProblems(base.path, format)), facts, fail, options, countPackets);
}

/** A parsed probe; an audio file whose duration ffprobe could not give (a WAV with no samples) is measured by counting its packets. */
async function parsed(result: ParsedProbe, facts: FileFacts, fail: (code: ProbeProblemCode, detail: string) => ProbeResult, options: ProbeOptions, packetsCounted: boolean): Promise<ProbeResult> {
  if (!result.ok) {
    const failed = fail(result.undecodable ? 'undecodable' : 'corrupt', result.detail);
    return result.undecodable && !failed.ok ? { ok: false, failure: { ...failed.failure, undecodable: result.undecodable } } : failed;
  }
  const { info } = result;
  // the stated rate is implausible (1000/1 from a millisecond clock), disagrees with the base rate or is missing; a
  // Matroska's DefaultDuration is only what its muxer was told (30 over blocks at 8.3 fps): the packets' times decide
  if (info.kind === 'video' && (result.rateFromPackets || MATROSKA.has(info.format))) {
    const measured = rateFromPacketTimes(await packetTimes(facts.path, info.videoStreamIndex, options));
    if ((result.rateFromPackets && measured) || packetsOverrule(info.fps, measured)) return { ok: true, info: { ...info, fps: measured!.fps, variableFrameRate: measured!.variable, fpsSource: 'packets' } };
  }
  // a probe that already counted packets would only say the same again
  if (info.kind === 'audio' && info.duration === null && !packetsCounted) {
    const counted = await runFfprobe(facts.path, options, { countPackets: true });
    const again = counted.ok ? parseFfprobe(counted.stdout, facts, true, await decodersInUse(), readTrackProblems(facts.path, facts.format)) : null;
    if (again?.ok) return { ok: true, info: again.info };
  }
  return { ok: true, info };
}

/** The decoders of the ffmpeg fix will run; null (every codec taken as decodable) when it cannot be asked. */
async function decodersInUse(): Promise<ReadonlySet<string> | null> {
  try {
    return await decodableCodecs(toolBinary('ffmpeg'));
  } catch {
    return null;
  }
}

/** Presentation times of the first packets of one stream: a bounded read, no decoding. */
async function packetTimes(path: string, streamIndex: number, options: ProbeOptions): Promise<number[]> {
  const args = ['-v', 'error', '-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', '-read_intervals', `%+#${RATE_PACKETS}`, '-i', fileArg(resolve(path))];
  try {
    const { stdout } = await runTool('ffprobe', args, { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS });
    return parsePacketTimes(stdout);
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    return [];
  }
}

function failure(path: string, extension: string, code: ProbeProblemCode, detail: string, sizeBytes: number | null, format: MediaFormat | null): ProbeResult {
  return { ok: false, failure: { path, code, detail, extension, sizeBytes, format } satisfies ProbeFailure };
}

/** ffprobe's arguments for one file; the `file:` prefix keeps names with ':' or a leading '-' from being read as protocols or options. */
function ffprobeArgs(path: string, countPackets: boolean): string[] {
  // -count_packets reads every packet (no decoding): the only true length of raw streams whose header only estimates it
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...(countPackets ? ['-count_packets'] : []), '-i', fileArg(resolve(path))];
}

async function runFfprobe(path: string, options: ProbeOptions, how: { countPackets?: boolean } = {}): Promise<{ ok: true; stdout: string } | { ok: false; detail: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  try {
    const { stdout } = await runTool('ffprobe', ffprobeArgs(path, how.countPackets ?? false), { signal: options.signal, timeoutMs });
    return { ok: true, stdout };
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    if (error.timedOut) return { ok: false, detail: `ffprobe did not finish within ${timeoutMs / 1000} s` };
    // the bundled ffprobe crashes on some containers (MPEG-TS): read a stream copy made by the bundled ffmpeg instead
    if (error.signalName) return probeStreamCopy(path, options, error.signalName);
    return { ok: false, detail: explainFfprobeError(error.stderrTail) };
  }
}

/** Decodes the first frame with the bundled ffmpeg (the decoder fix uses); null when it decodes, else ffmpeg's reason. */
async function ffmpegDecodeError(path: string, options: ProbeOptions): Promise<string | null> {
  try {
    await runTool('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', fileArg(resolve(path)), '-frames:v', '1', '-f', 'null', '-'], { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, discardStdout: true });
    return null;
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    const lines = error.stderrTail.trim().split('\n').filter(Boolean);
    return (lines[0] ?? 'ffmpeg failed').replace(/^\[[^\]]*\]\s*/, '').replace(/\.$/, '').trim();
  }
}

/** Copies every stream into a temporary Matroska file with ffmpeg (no decoding) and probes that. */
async function probeStreamCopy(path: string, options: ProbeOptions, crash: string): Promise<{ ok: true; stdout: string } | { ok: false; detail: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sp-probe-'));
  const copy = join(dir, 'copy.mkv');
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  try {
    await runTool('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', fileArg(resolve(path)), '-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'matroska', fileArg(copy)], { signal: options.signal, timeoutMs, discardStdout: true });
    const { stdout } = await runTool('ffprobe', ffprobeArgs(copy, true), { signal: options.signal, timeoutMs });
    return { ok: true, stdout };
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    return { ok: false, detail: `ffprobe crashed on it (${crash}) and ffmpeg cannot copy its streams either (${explainFfprobeError(error.stderrTail)})` };
  } finally {
    await rm(dir, { recursive: true, force: true });
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

function readAt(path: string, position: number, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, position));
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
