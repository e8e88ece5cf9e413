import { formatValue } from '../../check/format-value.js';
import type { UploadResult } from '../../upload/upload-result.js';
import { summarizeUploads } from './upload-summary.js';

/** `upload`: a line per file (sent or already there) with its URL, then a summary. */
export function formatUploadText(results: readonly UploadResult[]): string {
  const lines = results.map((r) => `${r.uploaded ? '↑ uploaded' : '= skipped '} ${r.path}  ${formatValue(r.bytes, 'bytes')}\n    ${r.url}`);
  const s = summarizeUploads(results);
  lines.push(`${s.files} file${s.files === 1 ? '' : 's'}: ${s.uploaded} uploaded (${formatValue(s.bytesSent, 'bytes')} sent), ${s.skipped} skipped (already in the bucket, ${formatValue(s.bytesSkipped, 'bytes')})`);
  return `${lines.join('\n')}\n`;
}
