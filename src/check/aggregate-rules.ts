import type { MediaKind } from '../probe/media-info.js';
import type { Profile } from '../spec/profile.js';
import type { MediaField } from '../spec/request-fields.js';
import { ruleSource } from '../spec/rule-sources.js';
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

  totalDuration('video', limits.totalVideoSeconds, 'request.video_total_duration');
  totalDuration('audio', limits.totalAudioSeconds, 'request.audio_total_duration');
  function totalDuration(kind: 'video' | 'audio', limit: { value: number; source: string }, rule: 'request.video_total_duration' | 'request.audio_total_duration') {
    const durations = media.flatMap((m) => (m.field === KIND_FIELD[kind] && m.probe?.ok && m.probe.info.kind === kind && m.probe.info.duration !== null ? [m.probe.info.duration] : []));
    // rounded to the millisecond: 2.2 + 6.4 + 6.4 is 15.000000000000002 in floating point, not more than 15
    const total = Math.round(durations.reduce((a, b) => a + b, 0) * 1000) / 1000;
    if (total > limit.value) {
      emit({ rule, actual: total, limit: { max: limit.value, unit: 's' }, problem: `the ${kind} files last ${formatValue(total, 's')} together`, fix: `trim them in proportion to ${limit.value} s in total, none below 2 s`, fixable: true, source: limit.source });
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

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
