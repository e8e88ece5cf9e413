import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { probeFile } from '../probe/probe-file.js';
import type { MediaInfo } from '../probe/media-info.js';
import { MEDIA_ARRAYS } from './documented-media.js';
import { judgeMedia, judgeTotals, type MediaProblem } from './judge-media.js';
import { cancellationOr } from '../shared/cancel.js';
import { describeNetworkError } from '../shared/describe-network-error.js';

/** How a task fails when its media do not pass (TASKS.md error codes). */
export interface TaskFailure {
  code: string;
  message: string;
  type: string;
}

/** The reviewed media's facts the generation needs: `adaptive` follows video 1, else image 1. */
export interface AcceptedMedia {
  firstVideo: { width: number; height: number } | null;
  firstImage: { width: number; height: number } | null;
}

export type MediaReview = { ok: true; accepted: AcceptedMedia } | { ok: false; failure: TaskFailure };

const FETCH_TIMEOUT_MS = 30_000;

/** Fetches every referenced URL into `workDir`, reads it with the probe (facts only) and judges it by the sandbox's own table. */
export async function reviewMedia(request: Record<string, unknown>, workDir: string, signal?: AbortSignal): Promise<MediaReview> {
  const reviewed: { field: string; info: MediaInfo }[] = [];
  for (const { field, kind } of MEDIA_ARRAYS) {
    const urls = Array.isArray(request[field]) ? (request[field] as string[]) : [];
    for (const [index, url] of urls.entries()) {
      const param = `${field}[${index}]`;
      const path = join(workDir, `${field}-${index}`);
      const fetched = await fetchTo(url, path, signal);
      if (fetched) return rejected({ param, kind, text: `the file at ${url} could not be downloaded (${fetched})` });
      const probe = await probeFile(path, { signal });
      const problem = judgeMedia(param, kind, probe.ok ? probe.info : null);
      if (problem) return rejected(problem);
      if (probe.ok) reviewed.push({ field, info: probe.info });
    }
  }
  const total = judgeTotals(reviewed);
  if (total) return rejected(total);
  const sizeOf = (field: string) => {
    const first = reviewed.find((r) => r.field === field)?.info;
    return first && first.kind !== 'audio' ? { width: first.width, height: first.height } : null;
  };
  return { ok: true, accepted: { firstVideo: sizeOf('video_urls'), firstImage: sizeOf('image_urls') } };
}

/** Image problems fail as image_processing_error, the rest as invalid_parameters (TASKS.md error codes). */
function rejected(problem: MediaProblem): MediaReview {
  const code = problem.kind === 'image' ? 'image_processing_error' : 'invalid_parameters';
  return { ok: false, failure: { code, type: 'invalid_request_error', message: `${problem.param}: ${problem.text}` } };
}

/** Downloads a URL to a file; the reason it could not, or null. */
async function fetchTo(url: string, path: string, signal?: AbortSignal): Promise<string | null> {
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return `HTTP ${response.status}`;
    }
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(path));
    return null;
  } catch (error) {
    if (signal?.aborted) throw cancellationOr(error, signal, `fetching ${url}`);
    return timeout.aborted ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : describeNetworkError(error);
  }
}
