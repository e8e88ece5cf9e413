/**
 * Reads a media URL's facts with a bounded number of bytes (REMOTE_READ_BUDGET_BYTES), into the MediaInfo the local probe
 * makes, so a URL goes through the same file rules as a local file. What cannot be read is said, never guessed.
 */
import { DEFAULT_URL_TIMEOUT_MS } from '../../upload/verify-url.js';
import { CancelledError } from '../../shared/cancel.js';
import { describeNetworkError } from '../../shared/describe-network-error.js';
import { hasCredentials } from '../../shared/redact.js';
import { detectFormat, id3TagEnd, kindOfFormat, SNIFF_BYTES } from '../detect-format.js';
import type { MediaFormat, MediaInfo } from '../media-info.js';
import { budgetFetch, REMOTE_CHUNK_BYTES, REMOTE_READ_BUDGET_BYTES, type ReadStats } from './budget-fetch.js';
import { imageFromPrefix } from './remote-image.js';
import { readRemoteAv } from './remote-av.js';
import { shownUrl, urlExtension, urlExtensionMatches } from './url-name.js';

/** A JPEG whose size sits behind a large EXIF or ICC block gets one more read, up to this many bytes. */
const IMAGE_HEADER_MAX_BYTES = 1024 * 1024;

export type RemoteRead =
  /** `missing`: facts the header did not give within the budget (they are null in `info`). */
  | { ok: true; info: MediaInfo; stats: ReadStats; missing: string[] }
  /** `notMedia`: the bytes were read and are no media format (a verdict, as for a local file); else they could not be read. */
  | { ok: false; reason: string; stats: ReadStats; notMedia?: boolean; format?: MediaFormat | null };

export interface ReadRemoteOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  budget?: number;
  /** For tests and the bench: another fetch underneath (it still gets the clamped ranges). */
  fetchFn?: typeof fetch;
}

export async function readRemote(url: string, options: ReadRemoteOptions = {}): Promise<RemoteRead> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const budget = budgetFetch({ budget: options.budget ?? REMOTE_READ_BUDGET_BYTES, timeoutMs, signal: options.signal, fetchFn: options.fetchFn });
  const { stats } = budget;
  // fetch refuses a user:password in a URL, and the provider never uses one: nothing is sent
  if (hasCredentials(url)) return { ok: false, reason: 'it carries a user or password, so it was not read', stats };
  const stopped = (fallback: string): string => {
    const by = budget.stoppedBy();
    if (by === 'cancelled') throw new CancelledError('reading a media URL', options.signal?.reason);
    if (by === 'timeout') return `no complete header within ${timeoutMs / 1000} s`;
    if (by === 'budget') return `its header is not within the first ${formatMiB(options.budget ?? REMOTE_READ_BUDGET_BYTES)} read${stats.rangeIgnored ? ' (the server ignores Range requests and sends the whole file)' : ''}`;
    return fallback;
  };
  const budgetBytes = options.budget ?? REMOTE_READ_BUDGET_BYTES;
  let prefix: Uint8Array;
  try {
    // a server that ignores Range sends the whole file: it is kept (up to the budget) and every later range served from it
    prefix = await readRange(budget.fetch, url, 0, REMOTE_CHUNK_BYTES, budgetBytes);
  } catch (error) {
    return { ok: false, reason: stopped((error as Error).message), stats };
  }
  if (stats.sizeBytes === null) return { ok: false, reason: 'the server does not say how large the file is (no Content-Range or Content-Length)', stats };
  const format = await detectFormat(prefix) ?? (await formatBehindTag(prefix, stats.sizeBytes, (at) => readRange(budget.fetch, url, at, SNIFF_BYTES)).catch(() => null));
  if (format === null) return { ok: false, reason: 'its first bytes are not an image, video or audio format', stats, notMedia: true, format: null };
  const extension = urlExtension(url);
  const base = { path: shownUrl(url), format, extension, extensionMatches: urlExtensionMatches(extension, format), sizeBytes: stats.sizeBytes };

  if (kindOfFormat(format) === 'image') {
    let facts = await imageFromPrefix(prefix);
    if (!facts && prefix.length < stats.sizeBytes && prefix.length < IMAGE_HEADER_MAX_BYTES) {
      try {
        const rest = await readRange(budget.fetch, url, prefix.length, IMAGE_HEADER_MAX_BYTES - prefix.length);
        facts = await imageFromPrefix(concat(prefix, rest));
      } catch (error) {
        return { ok: false, reason: stopped((error as Error).message), stats, format };
      }
    }
    if (!facts) return { ok: false, reason: `its ${format.toUpperCase()} header cannot be read from the first ${formatMiB(Math.min(stats.sizeBytes, IMAGE_HEADER_MAX_BYTES))}`, stats, format };
    return { ok: true, info: { ...base, ...facts }, stats, missing: [] };
  }

  // what was read already is served from memory (the reader starts at byte 0 again), not fetched twice
  const total = stats.sizeBytes;
  const held = prefix;
  const fetchFn: typeof fetch = async (input, init) => {
    const range = new Headers(init?.headers).get('range')?.match(/^bytes=(\d+)-(\d*)$/);
    const start = range ? Number(range[1]) : 0;
    if (start >= held.length) {
      if (stats.rangeIgnored) throw new Error(`the server ignores Range requests and the header is not within the first ${formatMiB(held.length)}`);
      return budget.fetch(input, init);
    }
    const end = Math.min(range?.[2] ? Number(range[2]) : Number.POSITIVE_INFINITY, held.length - 1);
    return new Response(held.slice(start, end + 1), { status: 206, headers: { 'content-range': `bytes ${start}-${end}/${total}`, 'content-length': String(end - start + 1) } });
  };
  const read = await readRemoteAv(url, base, fetchFn);
  if (!read.ok) return { ok: false, reason: stopped(read.reason), stats, format };
  if (budget.stoppedBy() === 'cancelled') stopped('');
  return { ok: true, info: read.info, stats, missing: missingFacts(read.info) };
}

/** An MP3 whose ID3 tag (cover art) is longer than the first range: the format of the bytes after the tag. */
async function formatBehindTag(prefix: Uint8Array, size: number, read: (at: number) => Promise<Uint8Array>): Promise<MediaFormat | null> {
  const tagEnd = id3TagEnd(prefix);
  if (tagEnd === null || tagEnd < prefix.length || tagEnd >= size) return null;
  return detectFormat(await read(tagEnd));
}

/** The facts the rules need that the header did not give. */
function missingFacts(info: MediaInfo): string[] {
  if (info.kind === 'image') return [];
  const missing = info.duration === null ? ['duration'] : [];
  if (info.kind === 'video' && info.fps === null) missing.push('frame rate');
  return missing;
}

/**
 * `length` bytes from `start` (fewer at the end of the file), by one ranged GET whose body is cut once it has them; when
 * the server ignores the Range and sends the whole file, up to `whole` bytes of it (from byte 0) are kept instead.
 */
async function readRange(fetchFn: typeof fetch, url: string, start: number, length: number, whole = 0): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { range: `bytes=${start}-${start + length - 1}` } });
  } catch (error) {
    throw new Error(`the connection failed (${describeNetworkError(error)})`);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new Error(`it answered HTTP ${response.status}`);
  }
  // a whole-file answer (Range ignored) starts at byte 0: skip to `start`, or keep all of it that fits `whole`
  const ignored = response.status === 200;
  const skip = ignored ? start : 0;
  const want = ignored && whole > 0 ? whole : skip + length;
  const chunks: Uint8Array[] = [];
  let have = 0;
  const reader = response.body!.getReader();
  try {
    while (have < want) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      have += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return ignored && whole > 0 ? concat(...chunks).subarray(0, whole) : concat(...chunks).subarray(skip, skip + length);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function formatMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
