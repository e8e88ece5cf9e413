import type { UploadStage } from '../../upload/upload-error.js';
import type { UploadResult } from '../../upload/upload-result.js';
import { summarizeUploads } from './upload-summary.js';

/** `upload --json`: {ok, files: [{path, key, url, bytes, uploaded, contentType, sha256}], summary, warnings, error}. */
export function formatUploadJson(results: readonly UploadResult[], warnings: readonly string[], error: { path: string; stage: UploadStage; code: string | null; message: string; hint: string | null } | null = null): string {
  const document = {
    ok: error === null,
    files: results.map(({ path, key, url, bytes, uploaded, contentType, sha256 }) => ({ path, key, url, bytes, uploaded, contentType, sha256 })),
    summary: summarizeUploads(results),
    warnings,
    error,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
