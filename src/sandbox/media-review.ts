import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { checkAggregate } from '../check/aggregate-rules.js';
import { describeProblem } from '../check/describe-problem.js';
import { checkMedia, checkProbeFailure } from '../check/file-rules.js';
import type { JobMedia } from '../check/job.js';
import { probeFile } from '../probe/probe-file.js';
import { TEXT_MODEL, type Profile } from '../spec/profile.js';
import { MEDIA_FIELDS } from '../spec/request-fields.js';

/** How a task fails when its media do not pass (TASKS.md error codes). */
export interface TaskFailure {
  code: string;
  message: string;
  type: string;
}

/** Rules whose breach the provider would not fail a task for: prompt wording is the model's business. */
const NOT_ENFORCED: ReadonlySet<string> = new Set(['request.prompt_reference', 'request.prompt_length']);
const FETCH_TIMEOUT_MS = 30_000;

/** Fetches every referenced URL into `workDir`, probes it and checks it with the project's rules; null when all pass. */
export async function reviewMedia(request: Record<string, unknown>, profile: Profile, workDir: string, signal?: AbortSignal): Promise<TaskFailure | null> {
  const media: JobMedia[] = [];
  for (const field of MEDIA_FIELDS) {
    const urls = Array.isArray(request[field]) ? (request[field] as string[]) : [];
    for (const [index, url] of urls.entries()) {
      const where = `${field}[${index}]`;
      const path = join(workDir, `${field}-${index}`);
      const fetched = await fetchTo(url, path, signal);
      if (fetched) {
        return failureFor(field, `${where} ${url} could not be fetched: ${fetched}`);
      }
      const probe = await probeFile(path, { signal });
      media.push({ field, index, ref: url, path, probe });
      const violations = probe.ok ? checkMedia(probe.info, profile, where) : [checkProbeFailure(probe.failure, where)];
      const errors = violations.filter((v) => v.severity === 'error');
      if (errors.length) return failureFor(field, errors.map((v) => describeProblem(v)).join(' '));
    }
  }
  const aggregate = checkAggregate(media, request.prompt, request.model === TEXT_MODEL, profile, 'request').filter((v) => v.severity === 'error' && !NOT_ENFORCED.has(v.rule));
  if (aggregate.length) return { code: 'invalid_parameters', type: 'invalid_request_error', message: aggregate.map((v) => describeProblem(v)).join(' ') };
  return null;
}

/** Image problems fail as image_processing_error, the rest as invalid_parameters (TASKS.md). */
function failureFor(field: string, message: string): TaskFailure {
  return field === 'image_urls'
    ? { code: 'image_processing_error', type: 'invalid_request_error', message }
    : { code: 'invalid_parameters', type: 'invalid_request_error', message };
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
    if (signal?.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: string } }).cause;
    return timeout.aborted ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (cause?.code ?? (error as Error).message);
  }
}
