import { TEXT_MODEL, type Profile } from '../spec/profile.js';
import { checkAggregate } from './aggregate-rules.js';
import { checkMedia, checkProbeFailure, checkVideoForQuality } from './file-rules.js';
import type { CheckInput, FileReport, JobReport, RemoteFileReport } from './job.js';
import { shownUrl } from '../probe/remote/url-name.js';
import { checkRequestFields } from './request-rules.js';
import { hasErrors, type Violation } from './violation.js';

/** Every rule for one job: per file, across files, and on the request. Pure. */
export function checkJob(input: CheckInput, profile: Profile): JobReport {
  const files: FileReport[] = [];
  for (const media of input.media) {
    if (media.path === null || media.probe === null) continue;
    const violations = media.probe.ok ? checkMedia(media.probe.info, profile, media.path) : [checkProbeFailure(media.probe.failure, media.path)];
    // a reference video is judged against the output quality the request asks for
    if (input.request && media.field === 'video_urls' && media.probe.ok && media.probe.info.kind === 'video') {
      violations.push(...checkVideoForQuality(media.probe.info, input.request.quality, profile, media.path));
    }
    files.push({
      path: media.path,
      kind: media.probe.ok ? media.probe.info.kind : null,
      ok: !hasErrors(violations),
      violations,
      info: media.probe.ok ? media.probe.info : null,
    });
  }

  const violations: Violation[] = [...input.loadViolations];
  if (input.request) {
    violations.push(...checkRequestFields(input.request, profile, input.label));
    violations.push(...checkAggregate(input.media, input.request.prompt, input.request.model === TEXT_MODEL, profile, input.label));
  }
  const remote = remoteReports(input, violations);
  return { label: input.label, files, request: { ok: !hasErrors(violations), violations }, ...(remote.length && { remote }) };
}

/** The job's media URLs that were read (--remote), each judged by the violations that name it. */
function remoteReports(input: CheckInput, violations: readonly Violation[]): RemoteFileReport[] {
  return input.media.flatMap((m) => {
    if (m.path !== null || !m.remote || !m.field) return [];
    const info = m.probe?.ok ? m.probe.info : null;
    const url = info?.path ?? shownUrl(m.ref);
    return [{ url, field: m.field, index: m.index, kind: info?.kind ?? null, ok: !hasErrors(violations.filter((v) => v.subject === url)), info, read: m.remote }];
  });
}

/** Several jobs' reports as one: the shape of `check --json`. */
export interface CheckReport {
  ok: boolean;
  files: FileReport[];
  request: { ok: boolean; violations: Violation[] };
  /** Media URLs read with --remote; absent when none was. */
  remote?: RemoteFileReport[];
}

export function mergeReports(reports: readonly JobReport[]): CheckReport {
  const files = reports.flatMap((r) => r.files);
  const violations = reports.flatMap((r) => r.request.violations);
  const request = { ok: !hasErrors(violations), violations };
  const remote = reports.flatMap((r) => r.remote ?? []);
  return { ok: request.ok && files.every((f) => f.ok), files, request, ...(remote.length && { remote }) };
}
