import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/check-job.js';
import { judgeReport } from '../../src/check/fail-on.js';
import type { RemoteFileReport } from '../../src/check/job.js';
import { makeViolation } from '../../src/check/make-violation.js';
import { summarize } from '../../src/check/summary.js';
import type { Severity } from '../../src/check/violation.js';

const violation = (severity: Severity, subject: string, fixable = false) => makeViolation({ rule: 'video.format', severity, subject, problem: 'p', fix: 'f', fixable, source: 's' });
const url = (name: string, ok: boolean): RemoteFileReport => ({ url: `https://cdn.example/${name}`, field: 'video_urls', index: 0, kind: 'video', ok, info: null, read: { bytesRead: 1, requests: 1, sizeBytes: 1, rangeIgnored: false, note: null } });

/** Two local files (one failing on a fixable error), two URLs (one failing, one with a warning), and a request warning. */
const report: CheckReport = {
  ok: false,
  files: [
    { path: 'a.mp4', kind: 'video', ok: true, violations: [], info: null },
    { path: 'b.mov', kind: 'video', ok: false, violations: [violation('error', 'b.mov', true), violation('warning', 'b.mov', true)], info: null },
  ],
  request: {
    ok: false,
    violations: [violation('error', 'https://cdn.example/c.webm'), violation('warning', 'https://cdn.example/d.mp4'), violation('warning', 'request.json')],
  },
  remote: [url('c.webm', false), url('d.mp4', true)],
};

describe('summarize: the counts of check --json and of the text summary', () => {
  it('counts files and URLs apart, each violation once (a URL’s are the request’s), fixable errors only', () => {
    expect(summarize(report)).toEqual({ files: 2, urls: 2, ok: 2, failing: 2, errors: 2, warnings: 3, fixable: 1 });
  });

  it('judged at --fail-on warning, a URL with a warning fails too', () => {
    const judged = judgeReport(report, 'warning');
    expect(judged.remote!.map((r) => r.ok)).toEqual([false, false]);
    expect(summarize(judged)).toEqual({ files: 2, urls: 2, ok: 1, failing: 3, errors: 2, warnings: 3, fixable: 1 });
  });

  it('a report without URLs has none', () => {
    expect(summarize({ ok: true, files: [], request: { ok: true, violations: [] } })).toEqual({ files: 0, urls: 0, ok: 0, failing: 0, errors: 0, warnings: 0, fixable: 0 });
  });
});
