import type { CheckReport } from '../../check/check-job.js';
import { summarize } from '../../check/summary.js';
import { mediaFactsJson } from './media-facts-json.js';
import { violationJson } from '../../text/violation-text.js';
import { shower, shownCheckReport } from './display.js';

/** The version of `check --json`'s shape: bumped when a key changes meaning or goes; new keys do not bump it. */
export const CHECK_JSON_SCHEMA = 'seedance-preflight/check@2';

/**
 * `check --json`: DESIGN.md's {ok, files: [{path, kind, ok, violations}], request: {ok, violations}}, with the schema
 * version, summary counts, each file's measured facts, and (with --remote) each media URL read.
 */
export function formatCheckJson(report: CheckReport, cwd: string): string {
  return `${JSON.stringify(checkReportJson(report, cwd), null, 2)}\n`;
}

/** The check report as `check --json` documents it, each violation's sentence rendered, paths relative to `cwd`; also inside submit's refusal. */
export function checkReportJson(given: CheckReport, cwd: string) {
  const report = shownCheckReport(given, shower(cwd));
  return {
    schema: CHECK_JSON_SCHEMA,
    ok: report.ok,
    summary: summarize(report),
    files: report.files.map(({ path, kind, ok, violations, info }) => ({ path, kind, ok, violations: violations.map(violationJson), facts: info ? mediaFactsJson(info) : null })),
    request: { ok: report.request.ok, violations: report.request.violations.map(violationJson) },
    // a URL's violations are in request.violations, with the URL as their subject
    remote: (report.remote ?? []).map(({ url, field, index, kind, ok, info, read }) => ({
      url,
      field,
      index,
      kind,
      ok,
      facts: info ? mediaFactsJson(info) : null,
      read: { bytes: read.bytesRead, requests: read.requests, sizeBytes: read.sizeBytes, rangeIgnored: read.rangeIgnored },
      note: read.note,
    })),
  };
}
