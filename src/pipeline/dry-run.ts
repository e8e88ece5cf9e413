import { UNSET_BUCKET, type UploadSettings } from '../upload/upload-settings.js';
import { hashFile } from '../upload/hash-file.js';
import { objectKey } from '../upload/object-key.js';
import { publicObjectUrl } from '../upload/object-url.js';
import type { Violation } from '../check/violation.js';
import type { ProbeCache } from '../probe/probe-cache.js';
import type { Profile } from '../spec/profile.js';
import { checkTargets, type RemoteReads } from './check-targets.js';
import type { FixedFileReport } from './fix-targets.js';
import type { JobRef } from './job-inputs.js';
import { loadRequestFile, replaceLocalMedia } from './request-file.js';

export interface CostDrivers {
  /** Seconds of video to generate (billed per second). */
  outputSeconds: number;
  /** Seconds of input video (billed). */
  inputVideoSeconds: number;
  /** 1.1 when content_filter is false, else 1. */
  contentFilterFactor: number;
}

/** Where a dry run's URLs point when no bucket is set. */
export const UNSET_BUCKET_URL = 's3://<bucket: not set>';

/** The request a dry run would send: local media replaced by the URLs their content-addressed keys will have. */
export async function plannedRequest(requestFile: string, settings: UploadSettings): Promise<Record<string, unknown>> {
  const loaded = await loadRequestFile(requestFile);
  const urls = new Map<string, string>();
  for (const m of loaded.media) {
    if (!m.path || urls.has(m.path)) continue;
    const file = await hashFile(m.path);
    const key = objectKey(settings.prefix, file.sha256, file.format);
    // no bucket (a dry run needs none): the key is real, the bucket a placeholder that says so
    const url = settings.bucket === UNSET_BUCKET && !settings.publicBaseUrl ? `${UNSET_BUCKET_URL}/${key}` : publicObjectUrl(settings, key);
    urls.set(m.path, settings.urlMode === 'presigned' ? `${url}?X-Amz-Signature=…(signed at upload, valid ${settings.expiresSeconds} s)` : url);
  }
  return replaceLocalMedia(loaded.request ?? {}, loaded.media, (path) => urls.get(path)!);
}

/** What the provider bills on: output seconds, input video seconds (of the fixed videos, as verified), and the content filter's factor. */
export function costDrivers(request: Record<string, unknown>, fixed: readonly FixedFileReport[]): CostDrivers {
  const videoSeconds = fixed.reduce((sum, f) => sum + (f.outputInfo?.kind === 'video' ? (f.outputInfo.duration ?? 0) : 0), 0);
  return { outputSeconds: typeof request.duration === 'number' ? request.duration : 5, inputVideoSeconds: Math.round(videoSeconds * 100) / 100, contentFilterFactor: request.content_filter === false ? 1.1 : 1 };
}

/**
 * Every violation a run's check stage finds in the job as given (before fixing): the check run's fix step makes, with
 * media URLs read (--remote), so a dry run names each rule by id as `check --remote` does. Local probes come from `cache`.
 */
export async function dryRunViolations(job: JobRef, options: { profile: Profile; prompt?: string; allowOutsidePaths?: boolean; cache?: ProbeCache; remoteReads?: RemoteReads; signal?: AbortSignal }): Promise<Violation[]> {
  const { report } = await checkTargets({
    ...('folder' in job ? { paths: [job.folder] } : { requestFile: job.requestFile }),
    profile: options.profile,
    prompt: options.prompt,
    cache: options.cache,
    allowOutsidePaths: options.allowOutsidePaths,
    remote: true,
    remoteReads: options.remoteReads,
    signal: options.signal,
  });
  return [...report.files.flatMap((f) => f.violations), ...report.request.violations];
}
