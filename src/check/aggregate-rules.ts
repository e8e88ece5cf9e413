import type { MediaKind } from '../probe/media-info.js';
import type { Profile, Range } from '../spec/profile.js';
import { estimatedItem, heldItem, leastItems, plannedTotal, reservedSeconds } from '../normalize/planned-lengths.js';
import type { MediaField } from '../spec/request-fields.js';
import { ruleSource } from '../spec/rule-sources.js';
import { shortNames } from './short-names.js';
import { formatValue } from './format-value.js';
import type { JobMedia } from './job.js';
import { makeViolation, type ViolationInit } from './make-violation.js';
import { findPromptReferences, type MediaNoun } from './prompt.js';
import type { Violation } from './violation.js';

const FIELD_KIND: Record<MediaField, MediaKind> = { image_urls: 'image', video_urls: 'video', audio_urls: 'audio' };
const KIND_FIELD: Record<MediaKind, MediaField> = { image: 'image_urls', video: 'video_urls', audio: 'audio_urls' };

export function fieldForKind(kind: MediaKind): MediaField {
  return KIND_FIELD[kind];
}

/** Rules across all of a request's media: counts, audio-only, total durations and size, kinds, prompt references. Pure. */
export function checkAggregate(media: readonly JobMedia[], prompt: unknown, isTextModel: boolean, profile: Profile, subject: string): Violation[] {
  const out: Violation[] = [];
  const emit = (init: Omit<ViolationInit, 'subject' | 'bytesPerMB'>) => out.push(makeViolation({ ...init, subject, bytesPerMB: profile.bytesPerMB.value }));
  const limits = profile.request;
  const count = (field: MediaField) => media.filter((m) => m.field === field).length;
  const counts = { image: count('image_urls'), video: count('video_urls'), audio: count('audio_urls') };

  for (const [kind, limit, rule] of [
    ['image', limits.maxImages, 'request.image_count'],
    ['video', limits.maxVideos, 'request.video_count'],
    ['audio', limits.maxAudios, 'request.audio_count'],
  ] as const) {
    if (counts[kind] > limit.value) {
      emit({ rule, actual: counts[kind], limit: { max: limit.value, unit: 'count' }, problem: `${counts[kind]} ${kind} files are given`, fix: `keep at most ${limit.value} ${kind} files (the prompt numbers them in order)`, fixable: false, source: limit.source });
    }
  }
  if (!isTextModel && counts.audio > 0 && counts.image === 0 && counts.video === 0) {
    emit({ rule: 'request.audio_only', actual: counts.audio, problem: 'audio is given without any image or video', fix: 'add at least one image or video', fixable: false, source: ruleSource('request.audio_only') });
  }

  totalDuration('video', limits.totalVideoSeconds, 'request.video_total_duration', profile.video.duration.value);
  totalDuration('audio', limits.totalAudioSeconds, 'request.audio_total_duration', profile.audio.duration.value);
  function totalDuration(kind: 'video' | 'audio', limit: { value: number; source: string }, rule: TotalRule, range: Range) {
    const timed = media.flatMap((m) => (m.field === KIND_FIELD[kind] && m.probe?.ok && m.probe.info.kind === kind && m.probe.info.duration !== null ? [{ name: m.path ?? m.ref, url: m.path === null, info: m.probe.info }] : []));
    // rounded to the millisecond: 2.2 + 6.4 + 6.4 is 15.000000000000002 in floating point, not more than 15
    const total = Math.round(timed.reduce((a, t) => a + t.info.duration!, 0) * 1000) / 1000;
    // what each file's own fix leaves it (extended past the minimum, cut under the cap), at the least a cut can make it;
    // a URL is sent as it is (fix cannot cut it), as the planner holds it
    const least = leastItems(timed.map((t) => (t.url ? heldItem(t.info.duration!) : estimatedItem(t.info, range)!)), range.min);
    if (plannedTotal(least) > limit.value) {
      out.push(unreachableTotal(kind, timed.map((t, i) => ({ name: t.name, seconds: reservedSeconds(least[i]!), url: t.url })), range.min, { max: limit.value, source: limit.source }, subject, profile.bytesPerMB.value));
    } else if (total > limit.value) {
      emit({ rule, actual: total, limit: { max: limit.value, unit: 's' }, problem: `the ${kind} files last ${formatValue(total, 's')} together`, fix: `trim them in proportion to ${limit.value} s in total, none below ${formatValue(range.min, 's')}${timed.some((t) => t.url) ? ' (only the local files: a URL is sent as it is)' : ''}`, fixable: true, source: limit.source });
    }
  }

  const totalBytes = media.reduce((sum, m) => sum + (m.probe?.ok ? m.probe.info.sizeBytes : 0), 0);
  if (totalBytes > limits.totalMediaBytes.value) {
    emit({ rule: 'request.total_size', actual: totalBytes, limit: { max: limits.totalMediaBytes.value, unit: 'bytes' }, problem: `the media files are ${formatValue(totalBytes, 'bytes', profile.bytesPerMB.value)} together`, fix: 'use fewer or smaller files (re-encode videos at a lower bitrate)', fixable: false, source: limits.totalMediaBytes.source });
  }

  for (const m of media) {
    if (!m.field || !m.probe?.ok) continue;
    const expected = FIELD_KIND[m.field];
    const actual = m.probe.info.kind;
    if (actual !== expected) {
      emit({ rule: 'request.media_kind', actual, problem: `${m.field}[${m.index}] (${m.ref}) is ${article(actual)} ${actual}, not ${article(expected)} ${expected}`, fix: `move it to ${KIND_FIELD[actual]}`, fixable: false, source: ruleSource('request.media_kind') });
    }
  }

  if (typeof prompt === 'string') {
    const seen = new Set<string>();
    for (const ref of findPromptReferences(prompt)) {
      const available = isTextModel ? 0 : counts[ref.kind as MediaNoun];
      const key = `${ref.kind}${ref.index}`;
      if ((ref.index < 1 || ref.index > available) && !seen.has(key)) {
        seen.add(key);
        emit({ rule: 'request.prompt_reference', severity: 'warning', actual: ref.text, limit: { max: available, unit: 'count' }, problem: `the prompt mentions "${ref.text}" but ${available === 0 ? `no ${ref.kind} is given` : `only ${available} ${ref.kind} file${available === 1 ? ' is' : 's are'} given`}`, fix: `add ${ref.kind} ${ref.index} to ${KIND_FIELD[ref.kind]} or correct the prompt`, fixable: false, source: ruleSource('request.prompt_reference') });
      }
    }
  }
  return out;
}

type TotalRule = 'request.video_total_duration' | 'request.audio_total_duration';

/**
 * A request's videos (or audio) that no cut can bring under the cap: at the least their fixes leave them (`files`, each
 * with its seconds and the margin an encode may add; `url`: sent as it is), they last longer together. Not fixable:
 * some must go. Files are named relative to the folder they share. Pure.
 */
export function unreachableTotal(kind: 'video' | 'audio', files: readonly { name: string; seconds: number; url?: boolean }[], floor: number, limit: { max: number; source: string }, subject: string, bytesPerMB: number): Violation {
  const total = Math.round(files.reduce((sum, f) => sum + f.seconds, 0) * 1000) / 1000;
  const names = shortNames(files.map((f) => f.name));
  const each = files.map((f, i) => `${names[i]} ${formatValue(f.seconds, 's')}`).join(', ');
  const urls = files.some((f) => f.url) ? ', URLs as they are' : '';
  return makeViolation({
    rule: kind === 'video' ? 'request.video_total_duration' : 'request.audio_total_duration',
    actual: total,
    limit: { max: limit.max, unit: 's' },
    problem: `no cut can bring the ${kind} files under ${formatValue(limit.max, 's')}: at the least fix can leave them (none cut below ${formatValue(floor, 's')}, room for the encoder where cut or extended${urls}), they still need ${formatValue(total, 's')} together (${each})`,
    fix: `use fewer ${kind} files`,
    fixable: false,
    source: limit.source,
    subject,
    bytesPerMB,
  });
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
