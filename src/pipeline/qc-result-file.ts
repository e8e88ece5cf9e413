import { probeFile } from '../probe/probe-file.js';
import type { MediaInfo } from '../probe/media-info.js';
import { checkResultVideo, unreadableResultFinding, type QcFinding } from './result-qc.js';

export interface QcResultFileOptions {
  /** The local file behind a media URL of the request (what was uploaded), or null for a remote one. */
  localPathOf?: (url: string) => string | null;
  signal?: AbortSignal;
}

/** Probes a downloaded result (and, for `adaptive`, the reference it follows) and compares it with the request. */
export async function qcResultFile(request: Record<string, unknown>, resultPath: string, options: QcResultFileOptions = {}): Promise<QcFinding[]> {
  const probed = await probeFile(resultPath, { signal: options.signal });
  if (!probed.ok) return [unreadableResultFinding(probed.failure)];
  const adaptive = request.aspect_ratio === 'adaptive';
  const [firstVideo, firstImage] = adaptive
    ? await Promise.all([firstReference(request.video_urls, options), firstReference(request.image_urls, options)])
    : [null, null];
  return checkResultVideo(request, probed.info, { firstVideo, firstImage });
}

async function firstReference(urls: unknown, options: QcResultFileOptions): Promise<MediaInfo | null> {
  const first = Array.isArray(urls) && typeof urls[0] === 'string' ? urls[0] : null;
  const path = first === null ? null : (options.localPathOf?.(first) ?? null);
  if (path === null) return null;
  const probed = await probeFile(path, { signal: options.signal });
  return probed.ok ? probed.info : null;
}
