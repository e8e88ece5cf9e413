import { REFERENCE_MODEL } from '../spec/profile.js';
import { KNOWN_FIELDS, MEDIA_FIELDS } from '../spec/request-fields.js';
import { ruleSource } from '../spec/rule-sources.js';
import { didYouMean } from './did-you-mean.js';
import type { ViolationInit } from './make-violation.js';

const MEDIA_LIST = 'image_urls, video_urls or audio_urls';
// a name that speaks of media, when no documented field is close enough to suggest
const MEDIA_WORDS = /image|video|audio|media|url/i;

/**
 * request.unknown_field for each field the documents do not define, with the documented field it most likely
 * means ("did you mean"); a reference-to-video request that names no media, and an unknown field that looks
 * like one, is told it has none at all. Pure.
 */
export function unknownFieldViolations(request: Record<string, unknown>): Array<Omit<ViolationInit, 'subject'>> {
  const unknown = Object.keys(request).filter((field) => !KNOWN_FIELDS.has(field));
  const noMedia = request.model === REFERENCE_MODEL && MEDIA_FIELDS.every((field) => !hasEntries(request[field]));
  return unknown.map((field) => {
    const guess = didYouMean(field, KNOWN_FIELDS);
    const looksLikeMedia = guess === null ? MEDIA_WORDS.test(field) : (MEDIA_FIELDS as readonly string[]).includes(guess);
    const mediaNote = noMedia && looksLikeMedia ? '; as written the request names no media at all' : '';
    const base = { rule: 'request.unknown_field' as const, severity: 'warning' as const, actual: field, fixable: false, source: ruleSource('request.unknown_field') };
    if (guess !== null && hasEntries(request[guess])) {
      return { ...base, problem: `unknown field "${field}" (did you mean "${guess}"? the request has "${guess}" too)${mediaNote}`, fix: `remove "${field}"` };
    }
    if (guess !== null) return { ...base, problem: `unknown field "${field}" (did you mean "${guess}"?)${mediaNote}`, fix: `rename "${field}" to "${guess}"` };
    if (mediaNote) return { ...base, problem: `unknown field "${field}": not in the documents${mediaNote}`, fix: `put the media under ${MEDIA_LIST} instead of "${field}"` };
    return { ...base, problem: `unknown field "${field}": not in the documents, so it may be rejected or ignored`, fix: `remove "${field}" or check its spelling` };
  });
}

function hasEntries(value: unknown): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}
