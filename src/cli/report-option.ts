import { isAbsolute, join, relative, resolve } from 'node:path';
import { displayPath } from '../shared/display-path.js';
import { formatValue } from '../check/format-value.js';
import { defaultCacheDir, type ProbeCache } from '../probe/probe-cache.js';
import { assetsDirFor } from '../report/assets-dir.js';
import type { ReportResults } from '../report/write-report.js';
import type { OutputSpec } from '../shared/guard-outputs.js';
import type { Profile } from '../spec/profile.js';
import { UsageError, type CliIo } from './io.js';

export const REPORT_FLAG = ['--report <file>', 'also write an HTML report: FILE.html, with its thumbnails in FILE.assets/ beside it'] as const;

/** What `--report FILE` writes, for the output guard: the HTML file, and its thumbnail folder (replaced whole). */
export function reportOutputs(file: string | undefined, cwd: string): OutputSpec[] {
  if (!file) return [];
  const path = resolve(cwd, file);
  const assets = assetsDirFor(path);
  // the guard echoes the flag as it was typed, beside the input it would land on
  const shownAssets = isAbsolute(file) ? assets : relative(cwd, assets);
  return [
    { flag: '--report', kind: 'file', path, shown: file },
    { flag: '--report', kind: 'replaced-folder', path: assets, shown: `${shownAssets}/`, what: "--report's thumbnail folder" },
  ];
}

/** `--report FILE`: writes the report (thumbnails cached beside the probe cache unless --no-cache) and says where on stderr. */
export async function writeReportOption(file: string | undefined, results: ReportResults, io: CliIo, options: { profile: Profile; cache: boolean; probeCache?: ProbeCache }): Promise<void> {
  if (!file) return;
  // loaded only when asked for, like the JUnit writer: the report's modules stay off every other command's start-up
  const { writeReport, ReportError } = await import('../report/write-report.js');
  try {
    const written = await writeReport(results, {
      file: resolve(io.cwd, file),
      profile: options.profile,
      thumbnailCacheDir: options.cache ? join(defaultCacheDir(io.env), 'thumbnails') : null,
      probeCache: options.probeCache,
      cwd: io.cwd,
    });
    const shown = (path: string) => displayPath(path, io.cwd);
    io.stderr(`report: ${shown(written.file)} (${written.thumbnails} thumbnails in ${shown(written.assetsDir)}/, ${formatValue(written.bytes, 'bytes')} in all)\n`);
  } catch (error) {
    if (error instanceof ReportError) throw new UsageError(error.message);
    throw error;
  }
}
