import type { MediaInfo } from '../probe/media-info.js';
import type { Profile } from '../spec/profile.js';
import { ruleSource } from '../spec/rule-sources.js';
import { checkMedia, checkProbeFailure, checkVideoForQuality } from './file-rules.js';
import type { JobMedia } from './job.js';
import { makeViolation } from './make-violation.js';
import type { Violation } from './violation.js';

/**
 * The file rules for media read from a URL, as for a local file (subject: the URL as shown), plus the quality rule
 * for reference videos. None is fixable here: fix writes copies of local files, and a URL's file is not one. Pure.
 */
export function checkRemoteMedia(info: MediaInfo, media: JobMedia, request: Record<string, unknown> | null, profile: Profile): Violation[] {
  const found = checkMedia(info, profile, info.path);
  if (request && media.field === 'video_urls' && info.kind === 'video') found.push(...checkVideoForQuality(info, request.quality, profile, info.path));
  return found.map(remoteFix);
}

/** A URL whose bytes were read and are no media format: the verdict a local file gets (file.unknown_format). */
export function remoteNotMedia(shown: string, detail: string): Violation {
  return remoteFix(checkProbeFailure({ path: shown, code: 'unknown_format', detail, extension: '', sizeBytes: null, format: null }, shown));
}

/** What could not be read within the budget or the deadline: said as a warning, since its file rules were not applied. */
export function remoteUnread(shown: string, where: string, reason: string, missing: readonly string[] = []): Violation {
  const what = missing.length ? `${where}: its ${missing.join(' and ')} could not be read (${reason}), so ${missing.length === 1 ? 'it is' : 'they are'} not checked` : `${where} could not be read (${reason}), so the file rules were not applied to it`;
  return makeViolation({
    rule: 'request.url_media_unread',
    severity: 'warning',
    subject: shown,
    actual: reason,
    problem: what,
    fix: 'serve it with Range support and its index at the front (MP4: -movflags +faststart), or check a local copy',
    fixable: false,
    source: ruleSource('request.url_media_unread'),
  });
}

function remoteFix(v: Violation): Violation {
  if (!v.fixable) return v;
  return { ...v, fixable: false, fix: `download it, fix the copy (${v.fix}) and serve or upload that instead` };
}
