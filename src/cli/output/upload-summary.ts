import type { UploadResult } from '../../upload/upload-result.js';

interface UploadSummary {
  files: number;
  uploaded: number;
  skipped: number;
  bytesSent: number;
  bytesSkipped: number;
}

/** Counts of what was sent and what was already there. */
export function summarizeUploads(results: readonly UploadResult[]): UploadSummary {
  const sent = results.filter((r) => r.uploaded);
  const skipped = results.filter((r) => !r.uploaded);
  const sum = (list: readonly UploadResult[]) => list.reduce((total, r) => total + r.bytes, 0);
  return { files: results.length, uploaded: sent.length, skipped: skipped.length, bytesSent: sum(sent), bytesSkipped: sum(skipped) };
}
